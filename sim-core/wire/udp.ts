/**
 * UDP header (RFC 768).
 *
 *   offset  len  field
 *        0    2  source port
 *        2    2  destination port
 *        4    2  length (header + payload)
 *        6    2  checksum (pseudo-header + datagram; 0 = none)
 *        8    …  payload
 *
 * A computed checksum of 0 goes on the wire as 0xffff (RFC 768), since 0
 * means "no checksum". flannel's VXLAN device has udpcsum on, so outer UDP
 * checksums are enabled (README "VXLAN (flannel)").
 */
import type { Ip4 } from '../model.ts';
import { transportChecksum } from './checksum.ts';
import { IP_PROTO_UDP } from './ipv4.ts';

export const UDP_HEADER_LEN = 8;

export interface UdpRepr {
  srcPort: number;
  dstPort: number;
  payload: Uint8Array;
}

export interface UdpDatagram {
  repr: UdpRepr;
  length: number;
  checksum: number;
}

export function parseUdp(bytes: Uint8Array): UdpDatagram {
  if (bytes.length < UDP_HEADER_LEN)
    throw new RangeError(`UDP datagram of ${bytes.length} bytes is truncated`);
  const length = (bytes[4] << 8) | bytes[5];
  if (length < UDP_HEADER_LEN || length > bytes.length) {
    throw new RangeError(`bad UDP length ${length} for ${bytes.length} bytes`);
  }
  return {
    repr: {
      srcPort: (bytes[0] << 8) | bytes[1],
      dstPort: (bytes[2] << 8) | bytes[3],
      payload: bytes.subarray(UDP_HEADER_LEN, length),
    },
    length,
    checksum: (bytes[6] << 8) | bytes[7],
  };
}

export function udpLen(repr: UdpRepr): number {
  return UDP_HEADER_LEN + repr.payload.length;
}

/**
 * Writes header and payload at buf[offset]; with `checksum` (the default)
 * fills in the RFC 768 checksum for srcAddr → dstAddr, else leaves 0.
 */
export function writeUdp(
  repr: UdpRepr,
  srcAddr: Ip4,
  dstAddr: Ip4,
  buf: Uint8Array,
  offset = 0,
  checksum = true,
): number {
  const len = udpLen(repr);
  if (len > 0xffff) throw new RangeError(`UDP length ${len} exceeds 65535`);
  const b = buf.subarray(offset, offset + len);
  b[0] = (repr.srcPort >> 8) & 0xff;
  b[1] = repr.srcPort & 0xff;
  b[2] = (repr.dstPort >> 8) & 0xff;
  b[3] = repr.dstPort & 0xff;
  b[4] = len >> 8;
  b[5] = len & 0xff;
  b[6] = 0;
  b[7] = 0;
  b.set(repr.payload, UDP_HEADER_LEN);
  if (checksum) {
    const sum = transportChecksum(b, srcAddr, dstAddr, IP_PROTO_UDP) || 0xffff;
    b[6] = sum >> 8;
    b[7] = sum & 0xff;
  }
  return len;
}

export function emitUdp(repr: UdpRepr, srcAddr: Ip4, dstAddr: Ip4, checksum = true): Uint8Array {
  const out = new Uint8Array(udpLen(repr));
  writeUdp(repr, srcAddr, dstAddr, out, 0, checksum);
  return out;
}

/** True when the checksum is absent (0) or correct for srcAddr → dstAddr. */
export function verifyUdpChecksum(datagram: Uint8Array, srcAddr: Ip4, dstAddr: Ip4): boolean {
  if (datagram.length < UDP_HEADER_LEN) return false;
  if (datagram[6] === 0 && datagram[7] === 0) return true;
  return transportChecksum(datagram, srcAddr, dstAddr, IP_PROTO_UDP) === 0;
}
