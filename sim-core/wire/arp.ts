/**
 * ARP for IPv4 over Ethernet (RFC 826).
 *
 *   offset  len  field
 *        0    2  hardware type (1 = Ethernet)
 *        2    2  protocol type (0x0800 = IPv4)
 *        4    1  hardware address length (6)
 *        5    1  protocol address length (4)
 *        6    2  operation (1 request, 2 reply)
 *        8    6  sender hardware address
 *       14    4  sender protocol address
 *       18    6  target hardware address
 *       24    4  target protocol address
 *
 * 28 bytes; in a 42-byte frame on veth (reference same-node frames 1-2).
 * A Linux request carries target hardware address 00:00:00:00:00:00.
 */
import type { Ip4, Mac } from '../model.ts';
import { readMac, writeMac } from '../net/mac.ts';
import { readIp4, writeIp4 } from './addr.ts';

export const ARP_LEN = 28;
export const ARP_HTYPE_ETHERNET = 1;
export const ARP_PTYPE_IPV4 = 0x0800;
export const ARP_REQUEST = 1;
export const ARP_REPLY = 2;

export type ArpOperation = 1 | 2;

export interface ArpRepr {
  operation: ArpOperation;
  sourceHardwareAddr: Mac;
  sourceProtocolAddr: Ip4;
  targetHardwareAddr: Mac;
  targetProtocolAddr: Ip4;
}

/** Parses an Ethernet/IPv4 ARP packet; throws on anything else (other hardware, RARP…). */
export function parseArp(bytes: Uint8Array): ArpRepr {
  if (bytes.length < ARP_LEN)
    throw new RangeError(`ARP packet of ${bytes.length} bytes is truncated`);
  const htype = (bytes[0] << 8) | bytes[1];
  const ptype = (bytes[2] << 8) | bytes[3];
  if (
    htype !== ARP_HTYPE_ETHERNET ||
    ptype !== ARP_PTYPE_IPV4 ||
    bytes[4] !== 6 ||
    bytes[5] !== 4
  ) {
    throw new Error(`unsupported ARP htype=${htype} ptype=0x${ptype.toString(16)}`);
  }
  const operation = (bytes[6] << 8) | bytes[7];
  if (operation !== ARP_REQUEST && operation !== ARP_REPLY) {
    throw new Error(`unsupported ARP operation ${operation}`);
  }
  return {
    operation,
    sourceHardwareAddr: readMac(bytes, 8),
    sourceProtocolAddr: readIp4(bytes, 14),
    targetHardwareAddr: readMac(bytes, 18),
    targetProtocolAddr: readIp4(bytes, 24),
  };
}

export function arpLen(_repr?: ArpRepr): number {
  return ARP_LEN;
}

export function writeArp(repr: ArpRepr, buf: Uint8Array, offset = 0): number {
  const b = buf.subarray(offset, offset + ARP_LEN);
  b[0] = 0;
  b[1] = ARP_HTYPE_ETHERNET;
  b[2] = ARP_PTYPE_IPV4 >> 8;
  b[3] = ARP_PTYPE_IPV4 & 0xff;
  b[4] = 6;
  b[5] = 4;
  b[6] = 0;
  b[7] = repr.operation;
  writeMac(b, 8, repr.sourceHardwareAddr);
  writeIp4(b, 14, repr.sourceProtocolAddr);
  writeMac(b, 18, repr.targetHardwareAddr);
  writeIp4(b, 24, repr.targetProtocolAddr);
  return ARP_LEN;
}

export function emitArp(repr: ArpRepr): Uint8Array {
  const out = new Uint8Array(ARP_LEN);
  writeArp(repr, out, 0);
  return out;
}
