/**
 * ICMP for IPv4 (RFC 792).
 *
 *   offset  len  field
 *        0    1  type (8 echo request, 0 echo reply, 3 dest. unreachable, 11 time exceeded)
 *        1    1  code
 *        2    2  checksum (RFC 1071, over the whole ICMP message)
 *        4    2  identifier  (echo; for other types the first half of the "rest of header")
 *        6    2  sequence number (echo; second half otherwise)
 *        8    …  data
 *
 * Non-echo types keep their 4 "rest of header" bytes in identifier/sequence,
 * so any message round-trips. Linux computes ICMP checksums in software, so
 * the reference captures hold final values (README "Capture notes").
 */
import { internetChecksum } from './checksum.ts';

export const ICMP_ECHO_REPLY = 0;
export const ICMP_DEST_UNREACHABLE = 3;
export const ICMP_ECHO_REQUEST = 8;
export const ICMP_TIME_EXCEEDED = 11;
export const ICMP_HEADER_LEN = 8;

export interface IcmpRepr {
  type: number;
  code: number;
  identifier: number;
  sequence: number;
  data: Uint8Array;
}

export interface IcmpPacket {
  repr: IcmpRepr;
  checksum: number;
}

export function parseIcmp(bytes: Uint8Array): IcmpPacket {
  if (bytes.length < ICMP_HEADER_LEN)
    throw new RangeError(`ICMP message of ${bytes.length} bytes is truncated`);
  return {
    repr: {
      type: bytes[0],
      code: bytes[1],
      identifier: (bytes[4] << 8) | bytes[5],
      sequence: (bytes[6] << 8) | bytes[7],
      data: bytes.subarray(ICMP_HEADER_LEN),
    },
    checksum: (bytes[2] << 8) | bytes[3],
  };
}

export function icmpLen(repr: IcmpRepr): number {
  return ICMP_HEADER_LEN + repr.data.length;
}

/** Writes header and data at buf[offset] with a correct checksum; returns the length. */
export function writeIcmp(repr: IcmpRepr, buf: Uint8Array, offset = 0): number {
  const len = icmpLen(repr);
  const b = buf.subarray(offset, offset + len);
  b[0] = repr.type & 0xff;
  b[1] = repr.code & 0xff;
  b[2] = 0;
  b[3] = 0;
  b[4] = (repr.identifier >> 8) & 0xff;
  b[5] = repr.identifier & 0xff;
  b[6] = (repr.sequence >> 8) & 0xff;
  b[7] = repr.sequence & 0xff;
  b.set(repr.data, ICMP_HEADER_LEN);
  const sum = internetChecksum(b);
  b[2] = sum >> 8;
  b[3] = sum & 0xff;
  return len;
}

export function emitIcmp(repr: IcmpRepr): Uint8Array {
  const out = new Uint8Array(icmpLen(repr));
  writeIcmp(repr, out, 0);
  return out;
}

export function verifyIcmpChecksum(message: Uint8Array): boolean {
  return message.length >= ICMP_HEADER_LEN && internetChecksum(message) === 0;
}

/**
 * The 56-byte payload iputils ping sends (ping_common.c, default -s 56):
 * a struct timeval as the host lays it out (x86-64: little-endian 64-bit
 * tv_sec, then 64-bit tv_usec), then the fill bytes 0x10..0x37 (i = 8..55 of
 * the pattern starting at the timeval end, offset 16). See reference
 * same-node frame 3: `72 d1 06 6b 00 00 00 00 | ff 60 08 00 00 00 00 00 | 10 11 … 37`.
 * The time comes in as arguments: the model never reads a clock.
 */
export function pingPayload(epochSeconds: number, usec: number): Uint8Array {
  const out = new Uint8Array(56);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(Math.floor(epochSeconds)), true);
  view.setBigUint64(8, BigInt(Math.floor(usec)), true);
  for (let i = 16; i < 56; i++) out[i] = i;
  return out;
}

/**
 * The quoted datagram of an ICMP error. RFC 792 asks for the IP header plus
 * 8 bytes; RFC 1812 §4.3.2.3 allows more, and Linux's icmp_send() quotes as
 * much as fits in a 576-byte reply: 576 - 20 (IP) - 8 (ICMP) = 548 bytes.
 */
export function icmpErrorData(ipPacket: Uint8Array): Uint8Array {
  return ipPacket.slice(0, Math.min(ipPacket.length, 576 - 20 - ICMP_HEADER_LEN));
}
