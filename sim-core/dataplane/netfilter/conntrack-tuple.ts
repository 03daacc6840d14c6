/**
 * Conntrack tuples: what identifies one direction of a flow
 * (include/net/netfilter/nf_conntrack_tuple.h). TCP, UDP, UDP-Lite and SCTP
 * carry ports; ICMP carries type, code and the echo identifier (all three
 * are part of the key: icmp_pkt_to_tuple); anything else is tracked by
 * addresses alone (the "generic" tracker, printed as `unknown`).
 */

export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_SCTP = 132;
export const IPPROTO_UDPLITE = 136;

export const ICMP_ECHOREPLY = 0;
export const ICMP_DEST_UNREACH = 3;
export const ICMP_ECHO = 8;

export interface CtPortTuple {
  readonly l3: 'ipv4';
  readonly protocol: number;
  readonly src: string;
  readonly dst: string;
  readonly sport: number;
  readonly dport: number;
}

export interface CtIcmpTuple {
  readonly l3: 'ipv4';
  readonly protocol: typeof IPPROTO_ICMP;
  readonly src: string;
  readonly dst: string;
  readonly type: number;
  readonly code: number;
  readonly id: number;
}

export interface CtGenericTuple {
  readonly l3: 'ipv4';
  readonly protocol: number;
  readonly src: string;
  readonly dst: string;
}

export type CtTuple = CtPortTuple | CtIcmpTuple | CtGenericTuple;

const PORTED = new Set([IPPROTO_TCP, IPPROTO_UDP, IPPROTO_SCTP, IPPROTO_UDPLITE]);

export function hasPorts(t: CtTuple): t is CtPortTuple {
  return PORTED.has(t.protocol);
}

export function isIcmp(t: CtTuple): t is CtIcmpTuple {
  return t.protocol === IPPROTO_ICMP;
}

export function portTuple(
  protocol: number,
  src: string,
  sport: number,
  dst: string,
  dport: number,
): CtPortTuple {
  return { l3: 'ipv4', protocol, src, dst, sport, dport };
}

export function icmpTuple(
  src: string,
  dst: string,
  type: number,
  code: number,
  id: number,
): CtIcmpTuple {
  return { l3: 'ipv4', protocol: IPPROTO_ICMP, src, dst, type, code, id };
}

export function genericTuple(protocol: number, src: string, dst: string): CtGenericTuple {
  return { l3: 'ipv4', protocol, src, dst };
}

/**
 * nf_conntrack_proto_icmp.c `invmap`: only queries have an inverse (echo ↔
 * echo reply, timestamp, info, address mask). The reply keeps the id and the
 * code; any other type cannot start a connection.
 */
const ICMP_INVERSE: Readonly<Record<number, number>> = {
  0: 8,
  8: 0,
  13: 14,
  14: 13,
  15: 16,
  16: 15,
  17: 18,
  18: 17,
};

/** nf_ct_invert_tuple: the tuple a reply carries; undefined when there can be none. */
export function ctInvertTuple(t: CtTuple): CtTuple | undefined {
  if (isIcmp(t)) {
    const type = ICMP_INVERSE[t.type];
    return type === undefined ? undefined : { ...t, src: t.dst, dst: t.src, type };
  }
  if (hasPorts(t)) return { ...t, src: t.dst, dst: t.src, sport: t.dport, dport: t.sport };
  return { ...t, src: t.dst, dst: t.src };
}

/** A stable string naming the tuple, used as the hash key. */
export function ctTupleKey(t: CtTuple): string {
  const head = `${t.protocol}|${t.src}>${t.dst}`;
  if (hasPorts(t)) return `${head}|${t.sport}>${t.dport}`;
  if (isIcmp(t)) return `${head}|${t.type}/${t.code}/${t.id}`;
  return head;
}

export function ctTupleEqual(a: CtTuple, b: CtTuple): boolean {
  return ctTupleKey(a) === ctTupleKey(b);
}

/**
 * include/linux/icmp.h icmp_is_err: the ICMP types that quote the packet
 * that caused them, and so may be RELATED to a tracked flow.
 */
export function icmpIsError(type: number): boolean {
  return type === 3 || type === 4 || type === 5 || type === 11 || type === 12;
}
