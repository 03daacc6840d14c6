/**
 * One iptables rule as the kernel holds it: the fixed ipt_ip header (-s -d -i
 * -o -p -f), the xt matches in the order they were given, and one target.
 *
 * Values are stored in the kernel's canonical form, already masked and
 * numeric (addresses as u32, "--set-mark" folded into value/mask, probability
 * as the u32 fraction of 2^31), so the evaluator never parses a string and the
 * printers reproduce what iptables-save reads back from the kernel.
 */

/** An address selector: matches when (ip & mask) === addr, xor invert. */
export interface AddrMatch {
  readonly addr: number;
  readonly mask: number;
  readonly invert: boolean;
}

/** An interface selector; a trailing "+" matches every name with that prefix. */
export interface IfaceMatch {
  readonly name: string;
  readonly invert: boolean;
}

export interface ProtoMatch {
  readonly proto: number;
  readonly invert: boolean;
}

/** An inclusive port range; [0, 65535] without invert means "any". */
export interface PortRange {
  readonly min: number;
  readonly max: number;
  readonly invert: boolean;
}

export interface TcpMatch {
  readonly module: 'tcp';
  readonly sport: PortRange;
  readonly dport: PortRange;
  /** --tcp-flags MASK COMP (and --syn = FIN,SYN,RST,ACK SYN). */
  readonly flags?: { readonly mask: number; readonly cmp: number; readonly invert: boolean };
}

export interface UdpMatch {
  readonly module: 'udp' | 'sctp';
  readonly sport: PortRange;
  readonly dport: PortRange;
}

export interface IcmpMatch {
  readonly module: 'icmp';
  /** 255 is "any". */
  readonly type: number;
  readonly codeMin: number;
  readonly codeMax: number;
  readonly invert: boolean;
}

export interface MultiportMatch {
  readonly module: 'multiport';
  readonly dir: 'sports' | 'dports' | 'ports';
  readonly ranges: readonly (readonly [number, number])[];
  readonly invert: boolean;
}

export interface CommentMatch {
  readonly module: 'comment';
  readonly comment: string;
}

/** Bit i of a type mask is the kernel's RTN_* value i (UNSPEC = 0, UNICAST = 1, LOCAL = 2, ...). */
export interface AddrtypeMatch {
  readonly module: 'addrtype';
  readonly src?: { readonly types: number; readonly invert: boolean };
  readonly dst?: { readonly types: number; readonly invert: boolean };
  readonly limitIfaceIn: boolean;
  readonly limitIfaceOut: boolean;
}

export type StatisticMatch =
  | {
      readonly module: 'statistic';
      readonly mode: 'random';
      /** lround(p * 2^31), as libxt_statistic stores it. */
      readonly probability: number;
      readonly invert: boolean;
    }
  | {
      readonly module: 'statistic';
      readonly mode: 'nth';
      readonly every: number;
      readonly packet: number;
      readonly invert: boolean;
    };

export interface MarkMatch {
  readonly module: 'mark';
  readonly value: number;
  readonly mask: number;
  readonly invert: boolean;
}

/** State bits as xt_conntrack numbers them; status bits are the kernel's IPS_* bits. */
export interface CtMatch {
  readonly module: 'conntrack';
  readonly state?: { readonly mask: number; readonly invert: boolean };
  readonly status?: { readonly mask: number; readonly invert: boolean };
}

/** -m state --state: the old spelling of conntrack --ctstate, kept under its own name. */
export interface StateMatch {
  readonly module: 'state';
  readonly state: { readonly mask: number; readonly invert: boolean };
}

export interface RecentMatch {
  readonly module: 'recent';
  readonly command: 'set' | 'rcheck' | 'update' | 'remove';
  readonly name: string;
  readonly side: 'source' | 'dest';
  readonly mask: number;
  readonly seconds: number;
  readonly hitcount: number;
  readonly reap: boolean;
  readonly rttl: boolean;
  readonly invert: boolean;
}

export interface SetMatch {
  readonly module: 'set';
  readonly name: string;
  readonly dirs: readonly ('src' | 'dst')[];
  readonly invert: boolean;
  readonly returnNomatch: boolean;
  readonly noUpdateCounters: boolean;
  readonly noUpdateSubcounters: boolean;
}

export interface PhysdevMatch {
  readonly module: 'physdev';
  readonly isIn?: { readonly invert: boolean };
  readonly in?: IfaceMatch;
  readonly isOut?: { readonly invert: boolean };
  readonly out?: IfaceMatch;
  readonly isBridged?: { readonly invert: boolean };
}

/**
 * The ipvs match (xt_ipvs): does the packet belong to an IPVS connection,
 * and that connection's virtual service, direction and forwarding method.
 * Every field but `property` also requires the IPVS property (libxt_ipvs's
 * "any of the following options implies --ipvs").
 */
export interface IpvsMatch {
  readonly module: 'ipvs';
  /** --ipvs; written by iptables-save only when it is the sole option. */
  readonly property?: { readonly invert: boolean };
  readonly vproto?: { readonly proto: number; readonly invert: boolean };
  /** --vaddr address[/mask]: the address as given (host bits kept), the mask as a u32. */
  readonly vaddr?: { readonly addr: number; readonly mask: number; readonly invert: boolean };
  readonly vport?: { readonly port: number; readonly invert: boolean };
  /** --vdir ORIGINAL | REPLY. */
  readonly vdir?: 'ORIGINAL' | 'REPLY';
  readonly vmethod?: { readonly method: 'GATE' | 'IPIP' | 'MASQ'; readonly invert: boolean };
  readonly vportctl?: { readonly port: number; readonly invert: boolean };
}

export type NfMatch =
  | TcpMatch
  | UdpMatch
  | IcmpMatch
  | MultiportMatch
  | CommentMatch
  | AddrtypeMatch
  | StatisticMatch
  | MarkMatch
  | CtMatch
  | StateMatch
  | RecentMatch
  | SetMatch
  | PhysdevMatch
  | IpvsMatch;

export type MatchModule = NfMatch['module'];

export type RejectWith =
  | 'icmp-net-unreachable'
  | 'icmp-host-unreachable'
  | 'icmp-proto-unreachable'
  | 'icmp-port-unreachable'
  | 'icmp-net-prohibited'
  | 'icmp-host-prohibited'
  | 'tcp-reset'
  | 'icmp-admin-prohibited';

/** nf_nat_range: an address range and/or a port range (either may be absent). */
export interface NatRange {
  readonly minAddr?: number;
  readonly maxAddr?: number;
  readonly minPort?: number;
  readonly maxPort?: number;
}

export interface NatFlags {
  readonly random: boolean;
  readonly randomFully: boolean;
  readonly persistent: boolean;
}

export type NfTarget =
  | { readonly kind: 'none' }
  | { readonly kind: 'ACCEPT' | 'DROP' | 'RETURN' }
  | { readonly kind: 'jump' | 'goto'; readonly chain: string }
  | { readonly kind: 'REJECT'; readonly with: RejectWith }
  | ({ readonly kind: 'DNAT' | 'SNAT' | 'MASQUERADE'; readonly range: NatRange } & NatFlags)
  | { readonly kind: 'MARK'; readonly value: number; readonly mask: number }
  | {
      readonly kind: 'CT';
      readonly notrack: boolean;
      /** Written as -j NOTRACK: saved under that name, listed as CT. */
      readonly alias: boolean;
      readonly zone: number;
    }
  | { readonly kind: 'LOG'; readonly prefix: string; readonly level: number };

export type TargetKind = NfTarget['kind'];

export interface NfRule {
  readonly src?: AddrMatch;
  readonly dst?: AddrMatch;
  readonly inIface?: IfaceMatch;
  readonly outIface?: IfaceMatch;
  /** Absent means "-p all". */
  readonly protocol?: ProtoMatch;
  /** -f / ! -f: second and later fragments. */
  readonly fragment?: { readonly invert: boolean };
  readonly matches: readonly NfMatch[];
  readonly target: NfTarget;
}
