/**
 * The Internet checksum (RFC 1071): one's-complement of the one's-complement
 * sum of 16-bit big-endian words. Shared by IPv4, ICMP, TCP and UDP; the
 * latter two also sum a pseudo-header (RFC 793 §3.1, RFC 768).
 */
import type { Ip4 } from '../model.ts';
import { ip4ToBytes } from './addr.ts';

/** Unfolded 32-bit-ish accumulator of 16-bit words over buf[start, end). */
export function sumWords(buf: Uint8Array, start = 0, end = buf.length, acc = 0): number {
  let i = start;
  for (; i + 1 < end; i += 2) acc += (buf[i] << 8) | buf[i + 1];
  // An odd trailing byte is padded with a zero on the right (RFC 1071 §4.1).
  if (i < end) acc += buf[i] << 8;
  return acc;
}

/** Folds carries and complements: the value that goes in the checksum field. */
export function foldChecksum(acc: number): number {
  while (acc > 0xffff) acc = (acc & 0xffff) + Math.floor(acc / 0x10000);
  return ~acc & 0xffff;
}

/** RFC 1071 checksum over buf[start, end). A buffer that includes a correct checksum yields 0. */
export function internetChecksum(buf: Uint8Array, start = 0, end = buf.length): number {
  return foldChecksum(sumWords(buf, start, end));
}

/** Sum of the IPv4 pseudo-header: src, dst, zero, protocol, upper-layer length. */
export function pseudoHeaderSum(src: Ip4, dst: Ip4, protocol: number, length: number): number {
  return sumWords(ip4ToBytes(src)) + sumWords(ip4ToBytes(dst)) + protocol + length;
}

/** Checksum of an upper-layer segment (TCP/UDP) including the pseudo-header. */
export function transportChecksum(
  segment: Uint8Array,
  src: Ip4,
  dst: Ip4,
  protocol: number,
): number {
  return foldChecksum(
    sumWords(segment, 0, segment.length, pseudoHeaderSum(src, dst, protocol, segment.length)),
  );
}
