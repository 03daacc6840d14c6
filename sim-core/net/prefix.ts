/**
 * Route lookups in the data path: a CIDR as (network, length) integers, and
 * the containment test. Parsed through ip-num once per distinct CIDR and
 * memoized, since every packet consults every route.
 */
import { ipToNumber, prefixLength } from './cidr.ts';

export interface Prefix {
  readonly network: number;
  readonly length: number;
}

const cache = new Map<string, Prefix>();

export function parsePrefix(cidr: string): Prefix {
  let p = cache.get(cidr);
  if (!p) {
    p = { network: ipToNumber(cidr.slice(0, cidr.indexOf('/'))), length: prefixLength(cidr) };
    cache.set(cidr, p);
  }
  return p;
}

export function prefixContains(p: Prefix, ip: number): boolean {
  if (p.length === 0) return true;
  const mask = (0xffffffff << (32 - p.length)) >>> 0;
  return (ip & mask) >>> 0 === p.network;
}
