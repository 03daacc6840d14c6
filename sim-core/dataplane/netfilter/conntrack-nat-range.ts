/**
 * NAT ranges (struct nf_nat_range2, include/uapi/linux/netfilter/nf_nat.h)
 * and the address half of the mapping: nf_nat_core.c's range tests and
 * find_best_ips_proto, which picks an address from a range by hashing the
 * source (and destination) address with jhash2, so a client keeps its
 * mapped address from one connection to the next.
 */
import { ipToNumber, numberToIp } from '../../net/cidr.ts';
import { hasPorts, isIcmp, type CtTuple } from './conntrack-tuple.ts';

export type NatManip = 'SRC' | 'DST';

export interface NatRange {
  /** NF_NAT_RANGE_MAP_IPS: map the address into minAddr..maxAddr (maxAddr defaults to minAddr). */
  readonly minAddr?: string;
  readonly maxAddr?: string;
  /** NF_NAT_RANGE_PROTO_SPECIFIED: ports (or ICMP ids) minPort..maxPort (maxPort defaults to minPort). */
  readonly minPort?: number;
  readonly maxPort?: number;
  /** --random (NF_NAT_RANGE_PROTO_RANDOM). */
  readonly random?: boolean;
  /** --random-fully (NF_NAT_RANGE_PROTO_RANDOM_FULLY). */
  readonly randomFully?: boolean;
  /** --persistent (NF_NAT_RANGE_PERSISTENT): the address choice ignores the destination. */
  readonly persistent?: boolean;
}

export const mapsIps = (r: NatRange) => r.minAddr !== undefined;
export const protoSpecified = (r: NatRange) => r.minPort !== undefined;
/** NF_NAT_RANGE_PROTO_RANDOM_ALL. */
export const randomAll = (r: NatRange) => r.random === true || r.randomFully === true;

export function portRange(r: NatRange): readonly [number, number] {
  const a = r.minPort ?? 0;
  const b = r.maxPort ?? a;
  return a <= b ? [a, b] : [b, a];
}

/** The manipulable part of a tuple: the port on that side, or the ICMP id (the same both ways). */
export function manipKey(t: CtTuple, manip: NatManip): number | undefined {
  if (isIcmp(t)) return t.id;
  if (hasPorts(t)) return manip === 'SRC' ? t.sport : t.dport;
  return undefined;
}

export function withManipKey(t: CtTuple, manip: NatManip, key: number): CtTuple {
  if (isIcmp(t)) return { ...t, id: key };
  if (hasPorts(t)) return manip === 'SRC' ? { ...t, sport: key } : { ...t, dport: key };
  return t;
}

/** l4proto_in_range. Protocols without ports are always in range. */
export function l4InRange(t: CtTuple, manip: NatManip, r: NatRange): boolean {
  const key = manipKey(t, manip);
  if (key === undefined) return true;
  const [min, max] = portRange(r);
  return key >= min && key <= max;
}

/** nf_in_range: would the source side of `t` satisfy the range? (SRC manip only.) */
export function srcInRange(t: CtTuple, r: NatRange): boolean {
  if (mapsIps(r)) {
    const ip = ipToNumber(t.src);
    if (ip < ipToNumber(r.minAddr!) || ip > ipToNumber(r.maxAddr ?? r.minAddr!)) return false;
  }
  return !protoSpecified(r) || l4InRange(t, 'SRC', r);
}

const rol32 = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;

/** __jhash_mix: mix three 32-bit values reversibly. */
function mix(a: number, b: number, c: number): [number, number, number] {
  a = ((a - c) ^ rol32(c, 4)) >>> 0;
  c = (c + b) >>> 0;
  b = ((b - a) ^ rol32(a, 6)) >>> 0;
  a = (a + c) >>> 0;
  c = ((c - b) ^ rol32(b, 8)) >>> 0;
  b = (b + a) >>> 0;
  a = ((a - c) ^ rol32(c, 16)) >>> 0;
  c = (c + b) >>> 0;
  b = ((b - a) ^ rol32(a, 19)) >>> 0;
  a = (a + c) >>> 0;
  c = ((c - b) ^ rol32(b, 4)) >>> 0;
  b = (b + a) >>> 0;
  return [a, b, c];
}

/** __jhash_final: the last mixing of (a, b, c) into c. */
function final(a: number, b: number, c: number): number {
  c = ((c ^ b) - rol32(b, 14)) >>> 0;
  a = ((a ^ c) - rol32(c, 11)) >>> 0;
  b = ((b ^ a) - rol32(a, 25)) >>> 0;
  c = ((c ^ b) - rol32(b, 16)) >>> 0;
  a = ((a ^ c) - rol32(c, 4)) >>> 0;
  b = ((b ^ a) - rol32(a, 14)) >>> 0;
  return ((c ^ b) - rol32(b, 24)) >>> 0;
}

/** include/linux/jhash.h jhash2: Bob Jenkins' lookup3 over 32-bit words. */
export function jhash2(k: readonly number[], initval: number): number {
  let a = (0xdeadbeef + (k.length << 2) + initval) >>> 0;
  let b = a;
  let c = a;
  let i = 0;
  for (; k.length - i > 3; i += 3) {
    [a, b, c] = mix((a + k[i]) >>> 0, (b + k[i + 1]) >>> 0, (c + k[i + 2]) >>> 0);
  }
  const left = k.length - i;
  if (left === 0) return c;
  if (left === 3) c = (c + k[i + 2]) >>> 0;
  if (left >= 2) b = (b + k[i + 1]) >>> 0;
  return final((a + k[i]) >>> 0, b, c);
}

/** An IPv4 address as the kernel's u32 word holds it: network byte order, read little-endian (x86). */
function wireWord(ip: string): number {
  const n = ipToNumber(ip);
  return (((n & 0xff) << 24) | ((n & 0xff00) << 8) | ((n >>> 8) & 0xff00) | (n >>> 24)) >>> 0;
}

/** reciprocal_scale: map a 32-bit hash onto 0..range-1. */
const reciprocalScale = (hash: number, range: number) =>
  Number((BigInt(hash) * BigInt(range)) >> 32n);

/**
 * find_best_ips_proto: set the manipulated address from the range. One
 * address is taken as is; from several, jhash2 of the source address (a
 * 16-byte nf_inet_addr, so three zero words follow an IPv4 address), seeded
 * with the destination address unless --persistent, picks one.
 */
export function bestIps(t: CtTuple, r: NatRange, manip: NatManip): CtTuple {
  if (!mapsIps(r)) return t;
  const min = r.minAddr!;
  const max = r.maxAddr ?? min;
  const set = (ip: string): CtTuple => (manip === 'SRC' ? { ...t, src: ip } : { ...t, dst: ip });
  if (min === max) return set(min);
  // nf_conntrack_zone id 0 (the default zone) is xored into the seed.
  const j = jhash2([wireWord(t.src), 0, 0, 0], r.persistent ? 0 : wireWord(t.dst));
  const lo = ipToNumber(min);
  return set(numberToIp(lo + reciprocalScale(j, ipToNumber(max) - lo + 1)));
}
