/**
 * VXLAN header (RFC 7348 §5).
 *
 *   offset  len  field
 *        0    1  flags: R R R R I R R R (I = 0x08, "VNI valid")
 *        1    3  reserved
 *        4    3  VXLAN Network Identifier (VNI)
 *        7    1  reserved
 *        8    …  inner Ethernet frame
 *
 * Carried in UDP to port 8472 by Linux/flannel (the pre-IANA default) or
 * 4789 (IANA). flannel uses VNI 1: `08 00 00 00 00 00 01 00` (reference
 * cross-vxlan frame 3). 50 bytes of overhead in all: 14 + 20 + 8 + 8.
 */
export const VXLAN_HEADER_LEN = 8;
export const VXLAN_FLAG_I = 0x08;
export const VXLAN_PORT_LINUX = 8472;
export const VXLAN_PORT_IANA = 4789;
/** Bytes VXLAN adds around the inner frame: outer Ethernet, IPv4, UDP, VXLAN. */
export const VXLAN_OVERHEAD = 14 + 20 + 8 + VXLAN_HEADER_LEN;

export interface VxlanRepr {
  /** The first byte; Linux sends VXLAN_FLAG_I. */
  flags: number;
  /** 24-bit network identifier. */
  vni: number;
}

export interface VxlanPacket {
  repr: VxlanRepr;
  /** The inner Ethernet frame (a view). */
  payload: Uint8Array;
}

export function parseVxlan(bytes: Uint8Array): VxlanPacket {
  if (bytes.length < VXLAN_HEADER_LEN)
    throw new RangeError(`VXLAN packet of ${bytes.length} bytes is truncated`);
  return {
    repr: { flags: bytes[0], vni: (bytes[4] << 16) | (bytes[5] << 8) | bytes[6] },
    payload: bytes.subarray(VXLAN_HEADER_LEN),
  };
}

export function vxlanLen(_repr: VxlanRepr, payloadLen = 0): number {
  return VXLAN_HEADER_LEN + payloadLen;
}

/** Writes the 8-byte header at buf[offset]; reserved fields are zero (RFC 7348 §5). */
export function writeVxlan(repr: VxlanRepr, buf: Uint8Array, offset = 0): number {
  if (repr.vni < 0 || repr.vni > 0xffffff) throw new RangeError(`VNI ${repr.vni} is not 24-bit`);
  buf.set(
    [
      repr.flags & 0xff,
      0,
      0,
      0,
      (repr.vni >> 16) & 0xff,
      (repr.vni >> 8) & 0xff,
      repr.vni & 0xff,
      0,
    ],
    offset,
  );
  return VXLAN_HEADER_LEN;
}

export function emitVxlan(repr: VxlanRepr, inner: Uint8Array): Uint8Array {
  const out = new Uint8Array(vxlanLen(repr, inner.length));
  writeVxlan(repr, out, 0);
  out.set(inner, VXLAN_HEADER_LEN);
  return out;
}
