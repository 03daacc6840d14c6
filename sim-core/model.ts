/**
 * The shapes sim-core hands out: the state of every network namespace after a
 * step, and the step itself. Everything here is plain, immutable data
 * (readonly), so the app can keep references across steps and compare them
 * by identity: a table that did not change between two steps is the same
 * object in both snapshots (structural sharing).
 */
import type { Fact } from './narration/facts.ts';
import type { EndpointSlice, Service } from './k8s/api-types.ts';
import type { IpsetState, IpvsState } from './dataplane/ipvs/state.ts';
import type { Layer } from './wire/layers.ts';
import type { NetfilterState } from './dataplane/netfilter/ruleset.ts';
import type { CtTable } from './dataplane/netfilter/conntrack-table.ts';
import type { Hamt } from './engine/hamt.ts';
import type { CacheItem } from './dns/cache.ts';

export type Mac = string; // "0a:58:0a:f4:00:02", lower case
export type Ip4 = string; // "10.244.0.2"

export type IfaceKind = 'loopback' | 'veth' | 'bridge' | 'ethernet' | 'vxlan' | 'dummy' | 'ipip';

export interface Iface {
  readonly name: string; // "eth0", "veth3a1b2c4d", "cni0"
  readonly kind: IfaceKind;
  readonly mac: Mac;
  readonly ip?: Ip4;
  readonly prefixLength?: number;
  readonly mtu: number;
  /** veth: the other end, as netns id + interface name ("eth0@if4"). */
  readonly peer?: { readonly netns: string; readonly iface: string };
  /** Bridge port: the bridge it is enslaved to. */
  readonly master?: string;
  readonly hairpin?: boolean;
  readonly ifindex: number;
  /** A VXLAN device's VNI and UDP port (`ip -d link`: vxlan id 4096 … dstport 4789); absent: flannel's 1 and 8472. */
  readonly vxlan?: {
    readonly vni: number;
    readonly port: number;
    /** Flow-based (`ip -d link`: vxlan external): the VNI and remote come with each packet (Cilium's cilium_vxlan). */
    readonly external?: boolean;
  };
}

export interface Route {
  /** "default" or a CIDR ("10.244.0.0/24"). */
  readonly dst: string;
  readonly via?: Ip4;
  readonly dev: string;
  /** rtm_protocol as `ip route` names it: bird (12, BIRD's), 80 (felix's own, printed as the number). */
  readonly proto?: 'kernel' | 'boot' | 'static' | 'bird' | '80';
  /**
   * A blackhole route (RTN_BLACKHOLE): matching packets are dropped; `dev` is empty.
   * broadcast/multicast: the local table's RTN_BROADCAST (and the output route of a
   * multicast group): sent to ff:ff:ff:ff:ff:ff or 01:00:5e:…, without ARP.
   */
  readonly type?: 'blackhole' | 'broadcast' | 'multicast';
  readonly scope?: 'link' | 'host' | 'global';
  readonly src?: Ip4;
  readonly onlink?: boolean;
  /** RTAX_MTU: the route's path MTU (`mtu 1450`; Cilium's routes carry it). */
  readonly mtu?: number;
}

export type NeighborState =
  'INCOMPLETE' | 'REACHABLE' | 'STALE' | 'DELAY' | 'PROBE' | 'FAILED' | 'PERMANENT';

export interface Neighbor {
  readonly ip: Ip4;
  readonly dev: string;
  readonly mac?: Mac;
  readonly state: NeighborState;
  /** Simulated time (µs) the entry last changed state. */
  readonly updatedUs: number;
  /** When an upper layer (TCP) last confirmed the neighbour (neigh->confirmed). */
  readonly confirmedUs?: number;
}

export interface FdbEntry {
  readonly mac: Mac;
  /** Port name ("veth…") or the bridge itself for its own address. */
  readonly port: string;
  readonly bridge: string;
  /** permanent = the local addresses of the bridge and its ports (never aged). */
  readonly permanent: boolean;
  /** 'self' entries live in the device's own table (multicast), 'master' in the bridge's. */
  readonly flag: 'master' | 'self';
  readonly learnedUs?: number;
  /** VXLAN fdb entries: the remote VTEP's underlay IP (`bridge fdb … dst 192.168.1.11`). */
  readonly dst?: Ip4;
}

export interface Netns {
  readonly id: string; // "node-1" for the host netns, "node-1/default/web-0" for a pod
  readonly node: string;
  /** host: a node's own namespace; external: a machine on the node network outside the cluster. */
  readonly kind: 'host' | 'pod' | 'network' | 'external';
  readonly pod?: string; // "default/web-0"
  readonly ifaces: readonly Iface[];
  readonly routes: readonly Route[];
  readonly neighbors: readonly Neighbor[];
  /** Bridge forwarding databases of bridges in this netns (host only). */
  readonly fdb: readonly FdbEntry[];
  /** Devices a capture holds in promiscuous mode (tcpdump's default; `-p` turns it off). */
  readonly promiscuous?: readonly string[];
  /** Sockets open in this namespace, as `ss -tuan` lists them. */
  readonly sockets?: readonly Socket[];
  /**
   * The kernel's IP ID generator for packets without a connected socket
   * (ip_idents: one counter per source, destination and protocol), with the
   * jiffy it was last used at.
   */
  readonly ipIdents?: Readonly<Record<string, { readonly id: number; readonly jiffies: number }>>;
  /** iptables' tables, chains, rules and counters (iptables-save shows them). */
  readonly netfilter?: NetfilterState;
  /** The conntrack table (conntrack -L), and the id the next entry gets. */
  readonly conntrack?: CtTable;
  readonly conntrackNextId?: number;
  /** Packets waiting for a neighbour to resolve (each INCOMPLETE entry's arp_queue), oldest first. */
  readonly arpQueue?: readonly QueuedPacket[];
  /** The net.* sysctls set differently from the kernel's defaults for this kind of namespace. */
  readonly sysctls?: Readonly<Record<string, string>>;
  /**
   * LoadBalancer addresses a layer-2 load balancer's speaker on this node
   * answers ARP for (as MetalLB's L2 mode does): not the kernel's own addresses.
   */
  readonly announced?: readonly string[];
  /** ipset's sets (`ipset list`), which `-m set` matches read. */
  readonly ipsets?: IpsetState;
  /** IPVS: virtual servers, their real servers and the connection table (`ipvsadm -Ln`, `-Lnc`). */
  readonly ipvs?: IpvsState;
  /**
   * A CoreDNS pod's cache plugin entries by key ("name|type|class|do|cd"),
   * stored replies with the time they were stored (their TTL counts down
   * from it); expired entries stay until overwritten, as in CoreDNS.
   */
  readonly dnsCache?: Hamt<CacheItem>;
}

/** One line of `ss -tuan`: a socket of a process or of the kernel itself (a VXLAN device's UDP port). */
export interface Socket {
  readonly protocol: 'tcp' | 'udp';
  /** ss's state column: UNCONN, LISTEN, SYN-SENT, SYN-RECV, ESTAB, FIN-WAIT-1, TIME-WAIT … */
  readonly state: string;
  readonly localAddr: Ip4;
  readonly localPort: number;
  readonly peerAddr?: Ip4;
  readonly peerPort?: number;
  /**
   * What getpeername() answers when it is not the peer on the wire: the
   * Service address a socket-LB translation (cil_sock4_connect, remembered in
   * cilium_lb4_reverse_sk) replaced by a backend — "10.96.0.50:80".
   */
  readonly sockPeer?: string;
  /** Who holds it: a container's name, or the kernel device it belongs to. */
  readonly owner: string;
  /** A UDP tunnel socket (udp_tunnel_sock: encap_rcv) and the device it feeds. */
  readonly encap?: { readonly kind: 'vxlan'; readonly dev: string };
  /**
   * ss's Recv-Q: bytes received that the program has not read, the peer's
   * FIN counting one until it reads the end of the stream (CLOSE-WAIT 1 0);
   * on a LISTEN socket, connections waiting for accept().
   */
  readonly recvQ?: number;
  /**
   * ss's Send-Q: bytes sent and not yet acknowledged, our SYN and FIN
   * counting one each (SYN-SENT 0 1); on a LISTEN socket, its backlog.
   */
  readonly sendQ?: number;
  /** A TCP connection's kernel state (struct tcp_sock); absent on LISTEN and UDP sockets. */
  readonly tcp?: TcpConnection;
}

/**
 * What the kernel keeps for one TCP connection, as data: sequence numbers
 * (RFC 9293 §3.3.1 names), the timestamp clock, the IP ID counter and the
 * timers' counts. Every change is a new object, like the Socket it is in.
 */
export interface TcpConnection {
  /** Our initial sequence number, and the peer's (0 until its SYN arrives). */
  readonly iss: number;
  readonly irs: number;
  /** Oldest unacknowledged sequence number, and the next one we send. */
  readonly sndUna: number;
  readonly sndNxt: number;
  /** The next sequence number we expect from the peer. */
  readonly rcvNxt: number;
  /** How far the program has read (copied_seq): Recv-Q is rcvNxt − copiedSeq. */
  readonly copiedSeq: number;
  /** Added to the 1 kHz TCP clock for our TSval (secure_tcp_ts_off). */
  readonly tsOffset: number;
  /** The peer's last TSval, echoed as our TSecr (ts_recent). */
  readonly tsRecent: number;
  /** The IP ID of our next segment (inet_id): random at creation, then +1 per segment. */
  readonly ipId: number;
  /** The receive window offered in our SYN or SYN-ACK, before scaling. */
  readonly rcvWnd: number;
  /** The MSS our SYN or SYN-ACK advertised. */
  readonly mss: number;
  /**
   * The most data one segment carries once connected (mss_cache): the
   * smaller of both ends' MSS less 12 bytes of timestamps; set by the handshake.
   */
  readonly sndMss?: number;
  /** SYN retransmissions so far (icsk_retransmits). */
  readonly retransmits: number;
  /** Received data or a FIN not acknowledged yet: a delayed ACK is due. */
  readonly ackPending: boolean;
}

/** A packet in a neighbour entry's queue, waiting for ARP to resolve its next hop. */
export interface QueuedPacket {
  readonly dev: string;
  readonly nexthop: string;
  /** The IPv4 packet as it will be sent. */
  readonly packet: Uint8Array;
  /** The kernel's context for it (route, marks, conntrack), opaque outside the dataplane. */
  readonly context: unknown;
}

export interface ContainerStatus {
  readonly name: string;
  readonly image: string;
  readonly state: 'running' | 'terminated' | 'waiting';
  readonly restartCount: number;
  readonly ports: readonly { readonly containerPort: number; readonly protocol: string }[];
  /** A terminated container's exit code (absent: a crash, exit code 1). */
  readonly exitCode?: number;
}

export interface PodStatus {
  readonly namespace: string;
  readonly name: string;
  readonly node: string;
  readonly phase: 'Pending' | 'Running' | 'Failed';
  readonly ip?: Ip4;
  /** The pause (sandbox) container's ID: what host-local writes into the IP's file. */
  readonly sandboxId: string;
  readonly netns: string;
  readonly containers: readonly ContainerStatus[];
  /** The Ready condition is False: a readiness probe fails (absent: ready once Running). */
  readonly unready?: boolean;
  /** Why the sandbox failed (host-local's exhaustion error), when phase is Failed. */
  readonly reason?: string;
  /** metadata.deletionTimestamp (µs) and deletionGracePeriodSeconds: the pod is Terminating. */
  readonly deletion?: { readonly atUs: number; readonly graceSeconds: number };
}

/** One file of host-local's on-disk state under /var/lib/cni/networks/<network>/. */
export interface IpamFile {
  readonly path: string;
  readonly content: string;
}

export interface NodeStatus {
  readonly name: string;
  readonly ip: Ip4;
  readonly podCIDR: string;
  readonly ipam: readonly IpamFile[];
  /** calico-ipam: the IPAM blocks affine to this node (IPAMBlock resources), in the order it claimed them. */
  readonly ipamBlocks?: readonly IpamBlock[];
  /** Cilium: the agent's BPF maps on this node (cilium_lxc, cilium_ipcache). */
  readonly bpf?: CiliumMaps;
  /** spec.unschedulable: cordoned (kubectl cordon or drain); the scheduler places nothing new here. */
  readonly unschedulable?: boolean;
  /** The machine is off: its kubelet posts no status and its NIC receives nothing. */
  readonly down?: boolean;
  /** The node lifecycle controller set Ready=Unknown ("Kubelet stopped posting node status."). */
  readonly notReady?: boolean;
}

/** One row of cilium_lxc, the endpoint map (`cilium bpf endpoint list`). */
export interface BpfEndpoint {
  readonly ip: Ip4;
  /** Absent for the node's own addresses, printed (localhost). */
  readonly id?: number;
  readonly secId?: number;
  readonly ifindex?: number;
  readonly mac?: Mac;
  readonly nodeMac?: Mac;
  /** The pod it belongs to (namespace/name), for panels. */
  readonly pod?: string;
}

/** One row of cilium_ipcache (`cilium bpf ipcache list`): a prefix, its security identity and tunnel endpoint. */
export interface IpcacheEntry {
  readonly prefix: string;
  readonly identity: number;
  readonly tunnelEndpoint: Ip4;
}

/**
 * One frontend of cilium_lb4_services_v2 with its backends (`cilium bpf lb
 * list`): slot 0 is the frontend itself (count, flags, rev NAT id), slots
 * 1 … n the backends from cilium_lb4_backends.
 */
export interface LbService {
  readonly address: Ip4;
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP';
  /** The reverse NAT id, the service's ID in `cilium service list`. */
  readonly revNat: number;
  /** loadbalancer.ServiceFlags as printed: "ClusterIP, non-routable". */
  readonly flags: string;
  /** Slot i + 1 holds backends[i]. */
  readonly backends: readonly { readonly address: Ip4; readonly port: number }[];
  /** namespace/name:port of the Service, for panels. */
  readonly service: string;
}

export interface CiliumMaps {
  readonly endpoints: readonly BpfEndpoint[];
  readonly ipcache: readonly IpcacheEntry[];
  /** With kubeProxyReplacement: the service map. */
  readonly lb?: readonly LbService[];
}

/**
 * One calico-ipam block (the IPAMBlock resource, libcalico-go's model.AllocationBlock):
 * its CIDR, the node it is affine to, and which ordinals are allocated to which handle.
 */
export interface IpamBlock {
  readonly cidr: string;
  /** "host:node-1" */
  readonly affinity: string;
  /** Per ordinal: the index into `attributes`, or null when free (spec.allocations). */
  readonly allocations: readonly (number | null)[];
  /** Free ordinals in the order they will be handed out (spec.unallocated). */
  readonly unallocated: readonly number[];
  /** spec.attributes: the handle and the pod (or tunnel) of each allocation. */
  readonly attributes: readonly IpamAttribute[];
}

export interface IpamAttribute {
  /** "k8s-pod-network.<containerID>", or "vxlan-tunnel-addr-node-1". */
  readonly handle_id: string;
  readonly secondary: Readonly<Record<string, string>>;
}

/** The whole world after one step. Tables that did not change are shared by reference. */
/**
 * The Kubernetes API objects of the Services half as the API server holds
 * them at a step: Services with their allocated addresses and ports, and the
 * EndpointSlices the controller (or the user) wrote.
 */
export interface ApiObjects {
  readonly services: readonly Service[];
  readonly endpointSlices: readonly EndpointSlice[];
}

export interface Snapshot {
  readonly timeUs: number;
  readonly nodes: readonly NodeStatus[];
  readonly pods: readonly PodStatus[];
  readonly api: ApiObjects;
  readonly netns: Readonly<Record<string, Netns>>;
  /** One namespace by id without building the flat `netns` record (cheap on a big cluster). */
  netnsById(id: string): Netns | undefined;
  /**
   * Every namespace, in node order, without building the flat `netns` record (a list of a
   * thousand is cheap; a record keyed by a thousand ids costs milliseconds a step).
   */
  netnsList(): readonly Netns[];
  /**
   * A token for one node's part of the state (its namespaces and its pods; the node network
   * and each outside machine are parts of their own, by netns id): the same object in two
   * snapshots of a simulation exactly when neither changed between them. Lets a view skip the
   * nodes a step did not touch without comparing their contents.
   */
  partVersion(node: string): object;
}

export type StepKind =
  | 'setup' // kubelet / CNI / IPAM actions before traffic
  | 'action' // a scenario action begins (ping, connect)
  | 'transmit' // a frame leaves an interface onto a link
  | 'deliver' // a frame is received by an interface
  | 'arp' // neighbour table change / ARP handling
  | 'fdb-learn'
  | 'fdb-forward'
  | 'flood'
  | 'route'
  | 'encap' // VXLAN: the inner frame is wrapped for the node network
  | 'decap'
  | 'icmp'
  | 'tcp'
  | 'container'
  | 'netfilter' // a netfilter hook decided something: a rule matched, a NAT, a drop
  | 'conntrack' // a conntrack entry was created, confirmed or changed state
  | 'control' // the control plane wrote something: an EndpointSlice, kube-proxy's rules
  | 'bpf' // an eBPF program at a tc hook (Cilium) decided something
  | 'error';

/** A place in the topology: a network namespace and, optionally, one of its interfaces. */
export interface Place {
  readonly node: string;
  readonly netns: string;
  readonly iface?: string;
}

/** Names a table row a step read or wrote, for highlighting in panels. */
export interface TableRef {
  readonly table:
    | 'neighbor'
    | 'fdb'
    | 'route'
    | 'ipam'
    | 'iface'
    | 'container'
    | 'iptables' // key "table/CHAIN/rule number"
    | 'conntrack' // key: the entry's id
    | 'dns-cache' // key: the cache key "name|type|class|do|cd"
    | 'socket'
    | 'bpf-endpoint' // Cilium's endpoint map; key: the IP
    | 'bpf-ipcache' // Cilium's ipcache; key: the prefix
    | 'bpf-lb'; // Cilium's service map; key: "10.96.0.10:53/UDP" (the frontend)
  readonly netns: string;
  /** The row's key: an IP for neighbour/ipam, a MAC for fdb, a dst for route. */
  readonly key: string;
  readonly change: 'read' | 'added' | 'updated' | 'removed';
}

export interface CapturePoint {
  readonly netns: string;
  readonly iface: string;
  readonly direction: 'in' | 'out';
}

export interface Step {
  readonly index: number;
  readonly timeUs: number;
  readonly kind: StepKind;
  readonly place: Place;
  /** For frames crossing a link: where it came from (animation runs from → place). */
  readonly from?: Place;
  /** A flood: every other place a copy of the frame goes to at the same time. */
  readonly fanout?: readonly Place[];
  /** The frame on the wire, as Linux would emit it. */
  readonly frame?: Uint8Array;
  /**
   * A step that rewrote the packet (a NAT): the frame as it was just before,
   * so the inspector can show both (Packet Tracer's In and Out Layers).
   */
  readonly before?: Uint8Array;
  readonly layers?: readonly Layer[];
  /**
   * The frame was put on the wire by a network stack here (not merely
   * forwarded by a bridge): what a capture of the trace contains, once each.
   */
  readonly captured?: boolean;
  /**
   * Where a capture would see this frame: each device (as "netns id/iface")
   * and the direction, as `tcpdump -i DEV` would record it.
   */
  readonly seenAt?: readonly CapturePoint[];
  /** Short, Wireshark-Info-column-like summary. */
  readonly summary: string;
  /** What happened, as data: which device, MAC, rule, state. `narrate(step.facts)` puts it in words. */
  readonly facts: Fact;
  readonly touched: readonly TableRef[];
  /** Which scenario action (index into Scenario.actions) this step belongs to; -1 for setup. */
  readonly action: number;
}
