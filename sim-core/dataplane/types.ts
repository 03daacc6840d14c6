/**
 * The simulated kernel's shared vocabulary: the dataplane handle every stage
 * receives, the packet context (skb) that travels through the stages, and
 * the table of stage entry points. Stages call each other only through
 * `dp.ops` — as Linux does through netdev_ops, rx_handler, inet_protos[] and
 * the netfilter hooks — so no file in dataplane/ imports another stage and
 * there is no import cycle: kernel.ts is the one place that wires them.
 */
import type { Iface, IfaceKind, Netns, Place, Route, TableRef } from '../model.ts';
import type { EventQueue } from '../engine/queue.ts';
import type { Rng } from '../engine/rng.ts';
import type { Ipv4Repr } from '../wire/ipv4.ts';
import type { World } from './world.ts';
import type { Fact } from '../narration/facts.ts';

/** Simulated latencies (µs): small and fixed, so traces are readable and deterministic. */
export const LINK_DELAY_US = 2;
export const KERNEL_DELAY_US = 3;

export type Event =
  | {
      readonly type: 'rx';
      readonly netns: string;
      readonly iface: string;
      readonly frame: Uint8Array;
    }
  | {
      readonly type: 'run';
      readonly fn: () => void;
      /**
       * A timer that only ages state (a neighbour going STALE, a conntrack
       * entry expiring): it fires when its time comes, but a trace does not
       * wait for it — the next action starts once only such timers are left.
       */
      readonly background?: boolean;
    };

/**
 * The packet context: Linux's sk_buff, cut to what our stages read. It is a
 * transient, mutable object (like an skb) that lives while one packet is in
 * one namespace; everything that outlives it is state in the World.
 */
export interface Skb {
  readonly netns: string;
  /** The IPv4 packet (header and payload). */
  packet: Uint8Array;
  /** Its parsed header, kept in step with `packet` by setPacket(). */
  ip: Ipv4Repr;
  /** The frame it arrived in, when it arrived on a device. */
  frame?: Uint8Array;
  /** The device it came in on (netfilter's -i). */
  inDev?: string;
  /** The device the route sends it out of (netfilter's -o). */
  outDev?: string;
  /** Bridge ports, when br_netfilter hands a bridged frame to iptables (-m physdev). */
  physIn?: string;
  physOut?: string;
  /** skb->mark (iptables MARK, -m mark). */
  mark: number;
  /** It arrived for a broadcast or multicast address (the input route's RTCF_BROADCAST/MULTICAST). */
  broadcast?: 'broadcast' | 'multicast';
  /** The conntrack entry this packet belongs to (skb->_nfct), set by the conntrack hook. */
  ct?: unknown;
  /**
   * br_netfilter's nf_bridge info: the bridge port the frame came in on and
   * its Ethernet source, kept while a DNATed frame takes the neighbour
   * layer's slow path, so br_dev_xmit can restore them and keep bridging.
   */
  bridged?: {
    readonly bridge: string;
    readonly port: string;
    readonly srcMac: string;
    dnat?: boolean;
  };
  /**
   * Where a forwarded packet entered this namespace: output steps that have no
   * link of their own to start from (out of cni0, into flannel.1) start the
   * hop there, so the packet visibly crosses the node.
   */
  origin?: Place;
  /** Why it is sent: the cause the step that puts it on a wire starts from. */
  why?: Fact;
  /**
   * A VXLAN packet: the encap step that wrapped `inner`. When the neighbour
   * layer writes the outer Ethernet header, that step is amended to show the
   * outer frame, with the inner one before it.
   */
  encap?: { readonly step: number; readonly inner: Uint8Array };
  /** Decapsulated from IP-in-IP on this device: received without a frame of its own. */
  tunnel?: string;
  /** Table rows read on the way (route, neighbour), for the step that shows it. */
  touched: TableRef[];
}

/** A packet waiting in a neighbour entry's queue (arp_queue) for its next hop to resolve. */
export interface QueuedSkb {
  readonly skb: Skb;
  readonly route: Route;
  readonly nexthop: string;
}

/** What a netfilter hook answers (NF_ACCEPT, NF_DROP, NF_STOLEN); ACCEPT may come with a rewritten skb. */
export type NfVerdict =
  | { readonly verdict: 'accept' }
  | { readonly verdict: 'drop'; readonly fact: Fact }
  | { readonly verdict: 'stolen' };

export type NfFamily = 'ipv4' | 'bridge';
export type NfHookPoint = 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING';

export interface NfHookOps {
  readonly family: NfFamily;
  readonly hook: NfHookPoint;
  /** NF_IP_PRI_*: conntrack −200, mangle −150, DNAT −100, filter 0, SNAT 100, confirm INT_MAX. */
  readonly priority: number;
  readonly name: string;
  fn(dp: Dataplane, skb: Skb): NfVerdict;
}

/** A tc program on a device's ingress or egress (clsact): the slot Cilium's eBPF will use. */
export type TcVerdict = 'ok' | 'shot' | 'stolen';
/** The tunnel metadata a flow-based tunnel device hands up with a decapsulated frame (bpf_skb_get_tunnel_key). */
export interface TunnelKey {
  readonly vni: number;
  readonly remote: string;
}
export type TcProgram = (
  dp: Dataplane,
  netns: string,
  dev: string,
  frame: Uint8Array,
  tunnel?: TunnelKey,
) => TcVerdict;
export interface TcHooks {
  readonly ingress?: TcProgram;
  readonly egress?: TcProgram;
}

/**
 * A cgroup sock_addr program at connect() (BPF_CGROUP_INET4_CONNECT, Cilium's
 * cil_sock4_connect): answers the destination to connect to instead, and the
 * address getpeername() reports (the one the program asked for), or undefined
 * to leave connect() alone.
 */
export type SockAddrProgram = (
  dp: Dataplane,
  netns: string,
  protocol: 'TCP' | 'UDP',
  dst: string,
  port: number,
) => { readonly dst: string; readonly port: number; readonly peer: string } | undefined;

/** A device driver: what dev_queue_xmit calls for an interface of this kind (ndo_start_xmit). */
export interface Driver {
  xmit(dp: Dataplane, netns: string, dev: Iface, frame: Uint8Array, facts: XmitFacts): void;
}

/** The step facts a transmission carries: why it is sent and which rows decided it. */
export interface XmitFacts {
  /** What the step that shows the transmission says. */
  readonly fact: Fact;
  readonly touched: readonly TableRef[];
  /** False when a bridge merely forwards a frame someone else sent (not a new capture). */
  readonly origin: boolean;
  /** Where the hop starts when not at the device itself (a forwarded packet's ingress). */
  readonly from?: Place;
  /** The packet's context, when an IP packet is being sent (conntrack, marks, bridged DNAT). */
  readonly skb?: Skb;
  /** The route's next hop: where a NOARP tunnel (tunl0) sends the packet. */
  readonly nexthop?: string;
  /** bpf_skb_set_tunnel_key: a flow-based VXLAN device sends to this remote with this VNI. */
  readonly tunnel?: TunnelKey;
}

/** An IP protocol handler (inet_protos[]): ICMP, TCP, UDP. */
export type IpProtocolHandler = (dp: Dataplane, skb: Skb) => void;

/** The stages, as the kernel wires them (kernel.ts). */
export interface KernelOps {
  /** netif_receive_skb: a frame arrives on a device (with its tunnel key, from a flow-based tunnel). */
  netifReceive(
    dp: Dataplane,
    netns: string,
    dev: string,
    frame: Uint8Array,
    tunnel?: TunnelKey,
  ): void;
  /** dev_queue_xmit: tc egress, then the device's driver. */
  devQueueXmit(
    dp: Dataplane,
    netns: string,
    dev: string,
    frame: Uint8Array,
    facts: XmitFacts,
  ): void;
  /** br_handle_frame: a frame enters a bridge port. */
  bridgeInput(dp: Dataplane, netns: string, bridge: string, port: string, frame: Uint8Array): void;
  /** br_handle_frame_finish: the FDB decision (after br_netfilter's PREROUTING, with its skb). */
  bridgeFinish(
    dp: Dataplane,
    netns: string,
    bridge: string,
    port: string,
    frame: Uint8Array,
    skb?: Skb,
  ): void;
  /** The bridge sends a frame out of some of its ports. */
  bridgeEgress(
    dp: Dataplane,
    netns: string,
    bridge: string,
    ports: readonly string[],
    frame: Uint8Array,
    origin?: boolean,
  ): void;
  /** ip_rcv: an IPv4 packet arrives on `dev`. */
  ipRcv(dp: Dataplane, netns: string, dev: string, packet: Uint8Array, frame: Uint8Array): void;
  /** ip_rcv_finish: the input routing decision, after PREROUTING. */
  ipRcvFinish(dp: Dataplane, skb: Skb): void;
  /** ip_local_out: a socket (or the kernel itself) sends a packet. */
  ipLocalOut(dp: Dataplane, skb: Skb): void;
  /** neigh_output: resolve the next hop and hand the frame to the device. */
  neighOutput(dp: Dataplane, skb: Skb, route: Route, nexthop: string): void;
  /** The local socket layer could not send: tell the sender (ping prints, connect fails). */
  unreachable(dp: Dataplane, netns: string, packet: Uint8Array, reason: string): void;
}

export interface Dataplane {
  readonly world: World;
  readonly queue: EventQueue<Event>;
  readonly rng: Rng;
  readonly ops: KernelOps;
  readonly drivers: Readonly<Record<IfaceKind, Driver>>;
  readonly protocols: ReadonlyMap<number, IpProtocolHandler>;
  /** Per-netns netfilter hooks, sorted by priority within each family and hook. */
  hooks(netns: string, family: NfFamily, hook: NfHookPoint): readonly NfHookOps[];
  /** The tc programs attached to a device (clsact ingress/egress): Cilium's eBPF. */
  tc(netns: string, dev: string): TcHooks | undefined;
  /** The cgroup connect4 program (Cilium's socket LB), if one is attached. */
  readonly connect4?: SockAddrProgram;
  /** Per-boot seed of the kernel's flow hash (VXLAN source ports). */
  readonly vxlanSeed: number;
  /** The IP ID for a packet sent without a connected socket (ping, echo replies, ICMP errors, VXLAN outer headers). */
  ipIdent(netnsId: string, src: string, dst: string, protocol: number): number;
  /** Human name of a netns for explanations ("pod default/client", "node node-1"). */
  label(netns: string): string;
  at(delayUs: number, fn: () => void): void;
  /** A background timer (see Event): fires in time, but nothing waits for it. */
  timer(delayUs: number, fn: () => void): void;
}

/**
 * A node's interface list by name, built once per list (lists are immutable:
 * a change makes a new one). A bridge with a thousand ports looks a port up
 * for every copy of a flooded frame; a scan per lookup made a flood O(ports²).
 */
const ifaceIndex = new WeakMap<readonly Iface[], Map<string, Iface>>();
/** Below this many interfaces (every pod's namespace) a scan is cheaper than an index. */
const INDEX_FROM = 32;

export function findIface(ns: Netns, name: string): Iface | undefined {
  const list = ns.ifaces;
  if (list.length < INDEX_FROM) return list.find((x) => x.name === name);
  let byName = ifaceIndex.get(list);
  if (!byName) {
    byName = new Map();
    // The first of a name wins, as find() would have it.
    for (const i of list) if (!byName.has(i.name)) byName.set(i.name, i);
    ifaceIndex.set(list, byName);
  }
  return byName.get(name);
}

export function iface(ns: Netns, name: string): Iface {
  const i = findIface(ns, name);
  if (!i) throw new Error(`${ns.id} has no interface ${name}`);
  return i;
}

export function place(ns: Netns, ifaceName?: string): Place {
  return ifaceName
    ? { node: ns.node, netns: ns.id, iface: ifaceName }
    : { node: ns.node, netns: ns.id };
}
