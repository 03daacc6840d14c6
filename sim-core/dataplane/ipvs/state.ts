/**
 * The per-namespace state of ipset and IPVS, kept in the per-step store like
 * every other kernel table: plain immutable data, persistent maps (HAMTs)
 * for what grows with traffic, so a step that touches one connection copies
 * a few small nodes and not the table.
 *
 * IPVS keeps (include/net/ip_vs.h): the virtual services (struct
 * ip_vs_service) with their destinations (struct ip_vs_dest: weight,
 * activeconns, inactconns, persistconns, stats) and scheduler state, and the
 * connection table (struct ip_vs_conn, /proc/net/ip_vs_conn): protocol,
 * client, virtual and destination address:port, the protocol state and the
 * expiry, persistence templates among them.
 */
import type { Hamt } from '../../engine/hamt.ts';
import type { SchedulerState } from '../../k8s/kube-proxy/ipvs/schedulers.ts';
import type { VirtualServer } from '../../k8s/kube-proxy/ipvs/virtual-server.ts';
import type { DummyAddresses } from './kube-ipvs0.ts';

/** One set as `ipset list` shows it: its type, options and members. */
export interface IpsetSet {
  readonly name: string;
  /** hash:ip,port, hash:ip,port,ip, hash:ip,port,net, bitmap:port, hash:ip … */
  readonly type: string;
  /** In ipset's entry syntax ("10.96.0.10,tcp:53", "30080", "10.0.0.1,tcp:80,10.1.0.0/16"). */
  readonly members: readonly string[];
}

/** ipset's sets in a namespace, by name. */
export type IpsetState = Readonly<Record<string, IpsetSet>>;

/** A virtual service as the kernel holds it: ipvsadm's view plus the scheduler's state. */
export interface IpvsService extends VirtualServer {
  /** The scheduler's private data (svc->sched_data), for rr the last destination picked. */
  readonly sched: SchedulerState;
}

/** An address and port (cport/vport/dport; 0 in a template's client port). */
export interface IpvsEndpoint {
  readonly ip: string;
  readonly port: number;
}

/** struct ip_vs_conn, a connection or a persistence template. */
export interface IpvsConn {
  /** Creation order: the table lists in hash order in the kernel, ours in this order. */
  readonly id: number;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
  readonly client: IpvsEndpoint;
  readonly virtual: IpvsEndpoint;
  readonly dest: IpvsEndpoint;
  /** The IPVS protocol state name (tcp_state_name_table): NONE, SYN_RECV, ESTABLISHED … UDP for UDP. */
  readonly state: string;
  /** When the entry's timer fires (simulated µs). */
  readonly expiresUs: number;
  /** IP_VS_CONN_F_TEMPLATE: a persistence template (sessionAffinity ClientIP). */
  readonly template?: boolean;
  /** IP_VS_CONN_F_INACTIVE: counted in the destination's inactconns, not activeconns. */
  readonly inactive: boolean;
  /** The template this connection was scheduled by (cp->control). */
  readonly control?: string;
  /** The virtual service's key ("10.96.0.10:80/TCP") this entry belongs to. */
  readonly service: string;
}

/** IPVS in a namespace. */
export interface IpvsState {
  /** By virtualServerKey ("10.96.0.10:80/TCP"); `order` lists the keys in creation order. */
  readonly services: Hamt<IpvsService>;
  readonly order: readonly string[];
  /** Connections and templates by their "in" key (what ip_vs_conn_in_get hashes). */
  readonly conns: Hamt<IpvsConn>;
  /** "out" key (what ip_vs_conn_out_get hashes: destination and client) → "in" key. */
  readonly out: Hamt<string>;
  readonly nextConnId: number;
  /** net.ipv4.vs.conntrack: keep conntrack in step with IPVS NAT (kube-proxy sets 1). */
  readonly conntrack: boolean;
  /**
   * The /32 addresses of dummy devices (kube-ipvs0 → its ClusterIPs, in bind
   * order), kept here because a device holds thousands of them; the device
   * itself is in the namespace's ifaces. `ip addr show kube-ipvs0` lists these.
   */
  readonly dummy?: DummyAddresses;
}
