/**
 * What the evaluator needs to know about a packet and its surroundings: the
 * fields netfilter matches read from the skb (addresses, ports, interfaces,
 * mark), the bridge ports br_netfilter records, the conntrack verdict the
 * caller's conntrack already reached, and the routing facts addrtype asks
 * about. Randomness comes from the caller's seeded generator.
 */

export type CtState = 'NEW' | 'ESTABLISHED' | 'RELATED' | 'INVALID' | 'UNTRACKED';

/** Conntrack status bits by their conntrack-tools names (IPS_* in the kernel). */
export type CtStatus = 'EXPECTED' | 'SEEN_REPLY' | 'ASSURED' | 'CONFIRMED' | 'SNAT' | 'DNAT';

export type AddrType =
  | 'UNSPEC'
  | 'UNICAST'
  | 'LOCAL'
  | 'BROADCAST'
  | 'ANYCAST'
  | 'MULTICAST'
  | 'BLACKHOLE'
  | 'UNREACHABLE'
  | 'PROHIBIT'
  | 'THROW'
  | 'NAT'
  | 'XRESOLVE';

export interface NfPacket {
  readonly src: string;
  readonly dst: string;
  readonly protocol: number;
  /** tcp/udp/sctp */
  readonly sport?: number;
  readonly dport?: number;
  /** TCP flag byte (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10, URG 0x20). */
  readonly tcpFlags?: number;
  readonly icmpType?: number;
  readonly icmpCode?: number;
  /** IP total length: what byte counters add up. */
  readonly length: number;
  readonly ttl?: number;
  /** A non-first fragment (what -f matches). */
  readonly fragment?: boolean;
  readonly inIface?: string;
  readonly outIface?: string;
  /** br_netfilter: the bridge ports the frame came in on / will leave by. */
  readonly physIn?: string;
  readonly physOut?: string;
  readonly bridged?: boolean;
  readonly mark: number;
  readonly ctState?: CtState;
  readonly ctStatus?: readonly CtStatus[];
  /** The packet travels in its conntrack entry's reply direction (ctinfo >= IP_CT_IS_REPLY). */
  readonly ctReply?: boolean;
  /**
   * skb->ipvs_property: IPVS has forwarded this packet (ip_vs_nat_xmit sets
   * it before handing the packet to LOCAL_OUT), with the IPVS connection the
   * ipvs match finds for it (conn_out_get on the inverted header).
   */
  readonly ipvs?: IpvsPacketInfo;
}

/** What `-m ipvs` reads of a packet IPVS forwarded. */
export interface IpvsPacketInfo {
  readonly conn?: {
    readonly protocol: number;
    readonly vaddr: string;
    readonly vport: number;
    readonly method: 'MASQ' | 'GATE' | 'IPIP';
    /** The controlling connection's virtual port (FTP data under its control connection). */
    readonly controlVport?: number;
  };
}

export interface IpsetKey {
  readonly src: string;
  readonly dst: string;
  readonly sport?: number;
  readonly dport?: number;
  readonly protocol: number;
}

export interface NfEnv {
  readonly nowUs: number;
  /** The route type of `ip`, looked up in the table of `iface` when given (--limit-iface-in/out). */
  addrType(ip: string, iface?: string): AddrType;
  /**
   * [0, 1) from the seeded generator. Called only when a statistic random
   * match is evaluated, exactly once per evaluation, so traces are deterministic.
   */
  random(): number;
  /** Membership of the packet's key in ipset `set`; undefined when there is no such set. */
  ipsetContains?(set: string, key: IpsetKey, dirs: readonly ('src' | 'dst')[]): boolean | undefined;
}
