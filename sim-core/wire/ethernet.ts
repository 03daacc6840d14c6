/**
 * Ethernet II frame header (IEEE 802.3 clause 3.2.6 with a type field).
 *
 *   offset  len  field
 *        0    6  destination
 *        6    6  source
 *       12    2  ethertype
 *       14    …  payload
 *
 * No FCS: captures never hold it. No padding to the 60-byte minimum either:
 * on a veth nothing pads, so Linux's ARP frames are 42 bytes (reference
 * same-node frames 1-2, README "ARP").
 */
import type { Mac } from '../model.ts';
import { readMac, writeMac } from '../net/mac.ts';

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const ETHERNET_HEADER_LEN = 14;

export interface EthernetRepr {
  dst: Mac;
  src: Mac;
  ethertype: number;
}

export interface EthernetFrame {
  repr: EthernetRepr;
  /** The bytes after the header, a view into the input (not a copy). */
  payload: Uint8Array;
}

export function parseEthernet(frame: Uint8Array): EthernetFrame {
  if (frame.length < ETHERNET_HEADER_LEN) {
    throw new RangeError(`Ethernet frame of ${frame.length} bytes is shorter than its header`);
  }
  return {
    repr: {
      dst: readMac(frame, 0),
      src: readMac(frame, 6),
      ethertype: (frame[12] << 8) | frame[13],
    },
    payload: frame.subarray(ETHERNET_HEADER_LEN),
  };
}

/** Frame length for a payload of `payloadLen` bytes. */
export function ethernetLen(_repr: EthernetRepr, payloadLen = 0): number {
  return ETHERNET_HEADER_LEN + payloadLen;
}

/** Writes the 14-byte header at buf[offset]; returns the header length. */
export function writeEthernet(repr: EthernetRepr, buf: Uint8Array, offset = 0): number {
  writeMac(buf, offset, repr.dst);
  writeMac(buf, offset + 6, repr.src);
  buf[offset + 12] = (repr.ethertype >> 8) & 0xff;
  buf[offset + 13] = repr.ethertype & 0xff;
  return ETHERNET_HEADER_LEN;
}

/** A whole frame: header followed by `payload`. */
export function emitEthernet(
  repr: EthernetRepr,
  payload: Uint8Array = new Uint8Array(0),
): Uint8Array {
  const out = new Uint8Array(ethernetLen(repr, payload.length));
  writeEthernet(repr, out, 0);
  out.set(payload, ETHERNET_HEADER_LEN);
  return out;
}
