/**
 * IPv4 address arithmetic for the data path (route lookups, hex MACs),
 * built on ip-num so there is one notion of an address in the project.
 */
import { IPv4, IPv4CidrRange } from 'ip-num';

export function ipToInt(ip: string): number {
  return Number(IPv4.fromDecimalDottedString(ip).getValue());
}

export function intToIp(n: number): string {
  return IPv4.fromNumber(BigInt(n >>> 0)).toString();
}

export interface Prefix {
  readonly network: number;
  readonly length: number;
}

export function parsePrefix(cidr: string): Prefix {
  const range = IPv4CidrRange.fromCidr(cidr);
  return {
    network: Number(range.getFirst().getValue()),
    length: Number(range.getPrefix().getValue()),
  };
}

export function prefixContains(p: Prefix, ip: number): boolean {
  if (p.length === 0) return true;
  const mask = (0xffffffff << (32 - p.length)) >>> 0;
  return (ip & mask) >>> 0 === p.network;
}

export function cidrContainsIp(cidr: string, ip: string): boolean {
  return prefixContains(parsePrefix(cidr), ipToInt(ip));
}

/** The n-th address of a CIDR (0 = network address). */
export function nthAddress(cidr: string, n: number): string {
  return intToIp(parsePrefix(cidr).network + n);
}

/** Last usable host address (broadcast − 1). */
export function lastHost(cidr: string): string {
  const p = parsePrefix(cidr);
  return intToIp(p.network + 2 ** (32 - p.length) - 2);
}
