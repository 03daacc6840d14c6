/**
 * TCP header (RFC 9293 §3.1; ECE/CWR from RFC 3168).
 *
 *   offset  len  field
 *        0    2  source port
 *        2    2  destination port
 *        4    4  sequence number
 *        8    4  acknowledgment number
 *       12    1  data offset (4 bits, 32-bit words) | reserved (4 bits)
 *       13    1  flags: CWR ECE URG ACK PSH RST SYN FIN (bit 7 .. bit 0)
 *       14    2  window
 *       16    2  checksum (RFC 1071 over pseudo-header + segment)
 *       18    2  urgent pointer
 *       20    …  options (padded to 32 bits), then payload
 *
 * Options (RFC 9293 §3.2, RFC 7323, RFC 2018): kinds 0 EOL, 1 NOP, 2 MSS,
 * 3 window scale, 4 SACK permitted, 5 SACK, 8 timestamps. Linux's SYN and
 * SYN-ACK carry MSS, SACK_PERM, TS, NOP, WS (kinds 2,4,8,1,3; 20 bytes);
 * later segments NOP, NOP, TS (reference same-node frames 5-7).
 *
 * The reference captures hold partial (pseudo-header only) checksums because
 * veth passes CHECKSUM_PARTIAL skbs; we always write the final checksum a NIC
 * would (README "Capture notes").
 */
import type { Ip4 } from '../model.ts';
import { transportChecksum } from './checksum.ts';
import { IP_PROTO_TCP } from './ipv4.ts';
import { readTcpOptions, tcpOptionsLen, writeTcpOptions } from './tcp-options.ts';
import type { TcpOption } from './tcp-options.ts';

export type { TcpOption } from './tcp-options.ts';
export { linuxSynOptions, linuxTimestampOptions } from './tcp-options.ts';

export const TCP_HEADER_LEN = 20;

export interface TcpFlags {
  fin: boolean;
  syn: boolean;
  rst: boolean;
  psh: boolean;
  ack: boolean;
  urg: boolean;
  ece: boolean;
  cwr: boolean;
}

export interface TcpRepr {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: TcpFlags;
  window: number;
  urgentPointer: number;
  options: TcpOption[];
  payload: Uint8Array;
}

export interface TcpSegment {
  repr: TcpRepr;
  checksum: number;
  headerLen: number;
}

const FLAG_BITS: [keyof TcpFlags, number][] = [
  ['fin', 0x01],
  ['syn', 0x02],
  ['rst', 0x04],
  ['psh', 0x08],
  ['ack', 0x10],
  ['urg', 0x20],
  ['ece', 0x40],
  ['cwr', 0x80],
];

/** All flags false except those given: `tcpFlags({ syn: true, ack: true })`. */
export function tcpFlags(set: Partial<TcpFlags> = {}): TcpFlags {
  return {
    fin: false,
    syn: false,
    rst: false,
    psh: false,
    ack: false,
    urg: false,
    ece: false,
    cwr: false,
    ...set,
  };
}

export function tcpFlagsToByte(flags: TcpFlags): number {
  return FLAG_BITS.reduce((b, [k, bit]) => (flags[k] ? b | bit : b), 0);
}

export function tcpFlagsFromByte(byte: number): TcpFlags {
  const f = tcpFlags();
  for (const [k, bit] of FLAG_BITS) f[k] = (byte & bit) !== 0;
  return f;
}

export function parseTcp(bytes: Uint8Array): TcpSegment {
  if (bytes.length < TCP_HEADER_LEN)
    throw new RangeError(`TCP segment of ${bytes.length} bytes is truncated`);
  const headerLen = (bytes[12] >> 4) * 4;
  if (headerLen < TCP_HEADER_LEN || headerLen > bytes.length) {
    throw new RangeError(`bad TCP data offset ${headerLen} for ${bytes.length} bytes`);
  }
  const u32 = (o: number) =>
    ((bytes[o] << 24) | (bytes[o + 1] << 16) | (bytes[o + 2] << 8) | bytes[o + 3]) >>> 0;
  return {
    repr: {
      srcPort: (bytes[0] << 8) | bytes[1],
      dstPort: (bytes[2] << 8) | bytes[3],
      seq: u32(4),
      ack: u32(8),
      flags: tcpFlagsFromByte(bytes[13]),
      window: (bytes[14] << 8) | bytes[15],
      urgentPointer: (bytes[18] << 8) | bytes[19],
      options: readTcpOptions(bytes.subarray(TCP_HEADER_LEN, headerLen)),
      payload: bytes.subarray(headerLen),
    },
    checksum: (bytes[16] << 8) | bytes[17],
    headerLen,
  };
}

/** Header length: 20 plus options padded to a multiple of 4. */
export function tcpHeaderLen(repr: TcpRepr): number {
  const len = TCP_HEADER_LEN + ((tcpOptionsLen(repr.options) + 3) & ~3);
  if (len > 60) throw new RangeError(`TCP options too long (${len - TCP_HEADER_LEN} bytes)`);
  return len;
}

export function tcpLen(repr: TcpRepr): number {
  return tcpHeaderLen(repr) + repr.payload.length;
}

/**
 * Writes header, options (zero-padded) and payload at buf[offset], then the
 * checksum over the pseudo-header for srcAddr → dstAddr. Returns the length.
 */
export function writeTcp(
  repr: TcpRepr,
  srcAddr: Ip4,
  dstAddr: Ip4,
  buf: Uint8Array,
  offset = 0,
): number {
  const headerLen = tcpHeaderLen(repr);
  const len = headerLen + repr.payload.length;
  const b = buf.subarray(offset, offset + len);
  const put16 = (o: number, v: number) => {
    b[o] = (v >> 8) & 0xff;
    b[o + 1] = v & 0xff;
  };
  put16(0, repr.srcPort);
  put16(2, repr.dstPort);
  put16(4, repr.seq >>> 16);
  put16(6, repr.seq & 0xffff);
  put16(8, repr.ack >>> 16);
  put16(10, repr.ack & 0xffff);
  b[12] = (headerLen / 4) << 4;
  b[13] = tcpFlagsToByte(repr.flags);
  put16(14, repr.window);
  put16(16, 0);
  put16(18, repr.urgentPointer);
  const optEnd = TCP_HEADER_LEN + writeTcpOptions(repr.options, b, TCP_HEADER_LEN);
  b.fill(0, optEnd, headerLen); // padding is zero bytes (EOL), RFC 9293 §3.1
  b.set(repr.payload, headerLen);
  put16(16, transportChecksum(b, srcAddr, dstAddr, IP_PROTO_TCP));
  return len;
}

export function emitTcp(repr: TcpRepr, srcAddr: Ip4, dstAddr: Ip4): Uint8Array {
  const out = new Uint8Array(tcpLen(repr));
  writeTcp(repr, srcAddr, dstAddr, out, 0);
  return out;
}

/** True when the segment's checksum is final and correct for srcAddr → dstAddr. */
export function verifyTcpChecksum(segment: Uint8Array, srcAddr: Ip4, dstAddr: Ip4): boolean {
  // A correct checksum makes the whole sum 0xffff, so its complement is 0.
  return transportChecksum(segment, srcAddr, dstAddr, IP_PROTO_TCP) === 0;
}
