/**
 * IPv4 header (RFC 791 §3.1; DSCP/ECN per RFC 2474 and RFC 3168).
 *
 *   offset  len  field
 *        0    1  version (4 bits) | IHL (4 bits, in 32-bit words)
 *        1    1  DSCP (6 bits) | ECN (2 bits)
 *        2    2  total length
 *        4    2  identification
 *        6    2  flags (reserved, DF, MF) | fragment offset (13 bits)
 *        8    1  time to live
 *        9    1  protocol
 *       10    2  header checksum
 *       12    4  source address
 *       16    4  destination address
 *       20    …  options (IHL > 5), then payload
 *
 * Linux senders in the reference emit IHL 5, TTL 64, DSCP/ECN 0; ping and
 * TCP set DF, echo replies and VXLAN outer headers do not (README "IPv4").
 */
import type { Ip4 } from '../model.ts';
import { readIp4, writeIp4 } from './addr.ts';
import { internetChecksum } from './checksum.ts';

export { internetChecksum } from './checksum.ts';

export const IPV4_HEADER_LEN = 20;
export const IP_PROTO_ICMP = 1;
export const IP_PROTO_TCP = 6;
export const IP_PROTO_UDP = 17;

export interface Ipv4Repr {
  dscp: number;
  ecn: number;
  identification: number;
  dontFragment: boolean;
  ttl: number;
  protocol: number;
  srcAddr: Ip4;
  dstAddr: Ip4;
}

export interface Ipv4Packet {
  repr: Ipv4Repr;
  /** Bytes after the header up to total length (trailing link padding excluded); a view. */
  payload: Uint8Array;
  headerLen: number;
  totalLength: number;
  checksum: number;
  moreFragments: boolean;
  fragmentOffset: number;
  /** Raw option bytes when IHL > 5 (Linux sends none in our scenarios). */
  options: Uint8Array;
}

export function parseIpv4(bytes: Uint8Array): Ipv4Packet {
  if (bytes.length < IPV4_HEADER_LEN)
    throw new RangeError(`IPv4 packet of ${bytes.length} bytes is truncated`);
  const version = bytes[0] >> 4;
  if (version !== 4) throw new Error(`not IPv4 (version ${version})`);
  const headerLen = (bytes[0] & 0x0f) * 4;
  const totalLength = (bytes[2] << 8) | bytes[3];
  if (headerLen < IPV4_HEADER_LEN || totalLength < headerLen || totalLength > bytes.length) {
    throw new RangeError(
      `bad IPv4 lengths: IHL ${headerLen}, total ${totalLength}, have ${bytes.length}`,
    );
  }
  const flagsFrag = (bytes[6] << 8) | bytes[7];
  return {
    repr: {
      dscp: bytes[1] >> 2,
      ecn: bytes[1] & 0x03,
      identification: (bytes[4] << 8) | bytes[5],
      dontFragment: (flagsFrag & 0x4000) !== 0,
      ttl: bytes[8],
      protocol: bytes[9],
      srcAddr: readIp4(bytes, 12),
      dstAddr: readIp4(bytes, 16),
    },
    payload: bytes.subarray(headerLen, totalLength),
    headerLen,
    totalLength,
    checksum: (bytes[10] << 8) | bytes[11],
    moreFragments: (flagsFrag & 0x2000) !== 0,
    fragmentOffset: flagsFrag & 0x1fff,
    options: bytes.subarray(IPV4_HEADER_LEN, headerLen),
  };
}

/** Header plus payload length: what goes in the total length field. */
export function ipv4Len(_repr: Ipv4Repr, payloadLen = 0): number {
  return IPV4_HEADER_LEN + payloadLen;
}

/**
 * Writes the 20-byte header at buf[offset] for a payload of `payloadLen`
 * bytes (which the caller places after it), with total length and checksum.
 */
export function writeIpv4(repr: Ipv4Repr, payloadLen: number, buf: Uint8Array, offset = 0): number {
  const total = ipv4Len(repr, payloadLen);
  if (total > 0xffff) throw new RangeError(`IPv4 total length ${total} exceeds 65535`);
  const b = buf.subarray(offset, offset + IPV4_HEADER_LEN);
  b[0] = 0x45;
  b[1] = ((repr.dscp & 0x3f) << 2) | (repr.ecn & 0x03);
  b[2] = total >> 8;
  b[3] = total & 0xff;
  b[4] = (repr.identification >> 8) & 0xff;
  b[5] = repr.identification & 0xff;
  b[6] = repr.dontFragment ? 0x40 : 0; // never MF / fragment offset: Linux does PMTU, not fragmentation
  b[7] = 0;
  b[8] = repr.ttl & 0xff;
  b[9] = repr.protocol & 0xff;
  b[10] = 0;
  b[11] = 0;
  writeIp4(b, 12, repr.srcAddr);
  writeIp4(b, 16, repr.dstAddr);
  const sum = internetChecksum(b, 0, IPV4_HEADER_LEN);
  b[10] = sum >> 8;
  b[11] = sum & 0xff;
  return IPV4_HEADER_LEN;
}

export function emitIpv4(repr: Ipv4Repr, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(ipv4Len(repr, payload.length));
  writeIpv4(repr, payload.length, out, 0);
  out.set(payload, IPV4_HEADER_LEN);
  return out;
}

/** True when the header (IHL words at the start of `packet`) sums to zero, i.e. the checksum is right. */
export function verifyIpv4Checksum(packet: Uint8Array): boolean {
  const headerLen = (packet[0] & 0x0f) * 4;
  return (
    headerLen >= IPV4_HEADER_LEN &&
    packet.length >= headerLen &&
    internetChecksum(packet, 0, headerLen) === 0
  );
}

/**
 * What a router does on forward (RFC 791 §3.2 "Time to Live"; RFC 1812
 * §5.3.1): a copy of `packet` with TTL one lower and the checksum adjusted
 * incrementally the way Linux's ip_decrease_ttl() does (add 0x0100 in one's
 * complement), so the bytes match a kernel-forwarded packet. Everything else,
 * DF and the IP ID included, is kept (README "Forwarding").
 * Throws when TTL is already 0; a caller sees TTL <= 1 and sends ICMP Time
 * Exceeded instead of forwarding.
 */
export function decrementTtl(packet: Uint8Array): Uint8Array {
  if (packet.length < IPV4_HEADER_LEN) throw new RangeError('IPv4 packet truncated');
  if (packet[8] === 0) throw new Error('TTL is already 0');
  const out = packet.slice();
  // ip_decrease_ttl() on a little-endian host: the u16 it loads is byte-swapped,
  // so htons(0x0100) adds 1 to the swapped value; then it folds the carry.
  let swapped = (out[11] << 8) | out[10];
  swapped += 1;
  swapped = (swapped + (swapped >= 0xffff ? 1 : 0)) & 0xffff;
  out[10] = swapped & 0xff;
  out[11] = swapped >> 8;
  out[8] -= 1;
  return out;
}
