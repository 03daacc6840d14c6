/**
 * IPv4 address and CIDR helpers. All arithmetic goes through ip-num so that
 * edge cases (/0, /32, octet bounds) are handled by one well-tested library;
 * these wrappers only give the rest of sim-core plain strings in and out.
 *
 * Functions other than the parse/validate ones expect already-valid input
 * (as produced by parseCidr / parseIPv4) and throw on garbage: a bad CIDR
 * reaching them is a bug, not a user error.
 */
import { IPv4, IPv4CidrRange } from 'ip-num';

export type CidrParse =
  | { readonly ok: true; readonly cidr: string; readonly prefix: number }
  | { readonly ok: false; readonly message: string };

// Strict dotted quad: ip-num alone accepts some forms a student should not
// rely on, and we want our own wording for every failure.
const DOTTED_QUAD = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** True when the text is shaped like an IPv4 address (four dot-separated numbers). */
export function looksLikeIPv4(text: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+$/.test(text);
}

/** The canonical dotted-quad form, or undefined when `text` is not an IPv4 address. */
export function parseIPv4(text: string): string | undefined {
  const m = DOTTED_QUAD.exec(text);
  if (!m) return undefined;
  // Leading zeros ("010.1.1.1") are read as octal by some tools: refuse them.
  if (m.slice(1).some((o) => o.length > 1 && o.startsWith('0'))) return undefined;
  try {
    return IPv4.fromDecimalDottedString(text).toString();
  } catch {
    return undefined;
  }
}

/**
 * Parse "a.b.c.d/n". Host bits set ("10.244.1.0/16") is an error, not silently
 * masked: it is almost always a typo and the message suggests the network.
 */
export function parseCidr(text: string): CidrParse {
  const slash = text.indexOf('/');
  if (slash < 0) {
    return {
      ok: false,
      message: `${text} is not a CIDR range: expected address/prefix, like 10.244.0.0/16`,
    };
  }
  const addr = text.slice(0, slash);
  const bits = text.slice(slash + 1);
  if (parseIPv4(addr) === undefined) {
    return { ok: false, message: `${text} is not a CIDR range: ${addr} is not an IPv4 address` };
  }
  if (!/^\d{1,2}$/.test(bits) || Number(bits) > 32) {
    return { ok: false, message: `${text} is not a CIDR range: the prefix length must be 0..32` };
  }
  const range = IPv4CidrRange.fromCidr(text);
  const network = range.getFirst().toString();
  if (network !== addr) {
    return {
      ok: false,
      message: `${text} has host bits set; did you mean ${network}/${bits}?`,
    };
  }
  return { ok: true, cidr: `${network}/${Number(bits)}`, prefix: Number(bits) };
}

function range(cidr: string): IPv4CidrRange {
  return IPv4CidrRange.fromCidr(cidr);
}

/** Prefix length of a valid CIDR ("10.244.0.0/16" → 16). */
export function prefixLength(cidr: string): number {
  return Number(cidr.slice(cidr.indexOf('/') + 1));
}

/** Number of addresses in the range (a /24 has 256). */
export function cidrSize(cidr: string): bigint {
  return range(cidr).getSize();
}

/** Whether `inner` (an IPv4 address or a CIDR) lies entirely inside `outer`. */
export function cidrContains(outer: string, inner: string): boolean {
  const o = range(outer);
  return inner.includes('/') ? range(inner).inside(o) : o.contains(new IPv4(inner));
}

/**
 * The block two CIDR ranges share, or undefined if they are disjoint. Two CIDR
 * blocks either nest or do not touch, so the overlap is always the smaller one.
 */
export function cidrsOverlap(a: string, b: string): string | undefined {
  const ra = range(a);
  const rb = range(b);
  if (!ra.isOverlapping(rb)) return undefined;
  return ra.inside(rb) ? ra.toCidrString() : rb.toCidrString();
}

/** The network (first) address of a CIDR. */
export function networkAddress(cidr: string): string {
  return range(cidr).getFirst().toString();
}

/** The broadcast (last) address of a CIDR. */
export function broadcastAddress(cidr: string): string {
  return range(cidr).getLast().toString();
}

/** How many /maskSize subnets fit in `cidr` (0 when maskSize < its prefix). */
export function subnetCount(cidr: string, maskSize: number): bigint {
  const prefix = prefixLength(cidr);
  return maskSize < prefix ? 0n : 1n << BigInt(maskSize - prefix);
}

/** The i-th (0-based) /maskSize subnet of `cidr`: nthSubnet("10.244.0.0/16", 24, 1) = "10.244.1.0/24". */
export function nthSubnet(cidr: string, maskSize: number, i: number | bigint): string {
  const n = BigInt(i);
  if (n < 0n || n >= subnetCount(cidr, maskSize)) {
    throw new RangeError(`${cidr} has no /${maskSize} subnet number ${n}`);
  }
  const base = range(cidr).getFirst().getValue();
  const start = base + n * (1n << BigInt(32 - maskSize));
  return `${IPv4.fromNumber(start).toString()}/${maskSize}`;
}

/** Index of `subnet` among the /its-prefix subnets of `cidr` (inverse of nthSubnet). */
export function subnetIndex(cidr: string, subnet: string): bigint {
  const offset = range(subnet).getFirst().getValue() - range(cidr).getFirst().getValue();
  return offset >> BigInt(32 - prefixLength(subnet));
}

/** Address n (0-based, network address = 0) of a CIDR: hostAddress("10.244.1.0/24", 1) = "10.244.1.1". */
export function hostAddress(cidr: string, n: number | bigint): string {
  const k = BigInt(n);
  if (k < 0n || k >= cidrSize(cidr)) throw new RangeError(`${cidr} has no address number ${k}`);
  return IPv4.fromNumber(range(cidr).getFirst().getValue() + k).toString();
}

/** A canonical dotted quad: four decimal octets without leading zeros. */
const CANONICAL_QUAD = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/;

/**
 * IPv4 address as an unsigned 32-bit number (for sorting and hashing). A
 * canonical address is parsed here (IPAM and the topology call this per pod
 * and per lookup); anything else goes to ip-num, which refuses it as before.
 */
export function ipToNumber(ip: string): number {
  const m = CANONICAL_QUAD.exec(ip);
  if (m) {
    const a = +m[1];
    const b = +m[2];
    const c = +m[3];
    const d = +m[4];
    if (a < 256 && b < 256 && c < 256 && d < 256) return a * 16777216 + b * 65536 + c * 256 + d;
  }
  return Number(new IPv4(ip).getValue());
}

/** Inverse of ipToNumber. */
export function numberToIp(n: number | bigint): string {
  if (typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 0xffffffff)
    return `${Math.floor(n / 16777216)}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  return IPv4.fromNumber(BigInt(n)).toString();
}
