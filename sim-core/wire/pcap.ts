/**
 * Classic libpcap files (the "pcap" format of tcpdump/Wireshark,
 * draft-ietf-opsawg-pcap §4-5), written little-endian.
 *
 *   global header (24 bytes)          record header (16 bytes)
 *   offset len field                  offset len field
 *        0   4 magic a1b2c3d4 (µs)         0   4 timestamp seconds
 *        4   2 version major (2)           4   4 timestamp microseconds
 *        6   2 version minor (4)           8   4 captured length
 *        8   4 thiszone (0)               12   4 original length
 *       12   4 sigfigs (0)                16   … packet bytes
 *       16   4 snaplen (262144)
 *       20   4 linktype (1 = Ethernet)
 */
export const PCAP_MAGIC_US = 0xa1b2c3d4;
export const PCAP_SNAPLEN = 262144;
export const LINKTYPE_ETHERNET = 1;

export interface PcapRecord {
  /** Microseconds since the Unix epoch (simulated time). */
  timeUs: number;
  data: Uint8Array;
}

export interface PcapReadRecord extends PcapRecord {
  originalLength: number;
}

export function writePcap(records: readonly PcapRecord[]): Uint8Array {
  const size = 24 + records.reduce((n, r) => n + 16 + r.data.length, 0);
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  v.setUint32(0, PCAP_MAGIC_US, true);
  v.setUint16(4, 2, true);
  v.setUint16(6, 4, true);
  v.setInt32(8, 0, true);
  v.setUint32(12, 0, true);
  v.setUint32(16, PCAP_SNAPLEN, true);
  v.setUint32(20, LINKTYPE_ETHERNET, true);
  let o = 24;
  for (const r of records) {
    const us = Math.round(r.timeUs);
    v.setUint32(o, Math.floor(us / 1e6), true);
    v.setUint32(o + 4, us % 1e6, true);
    v.setUint32(o + 8, r.data.length, true);
    v.setUint32(o + 12, r.data.length, true);
    out.set(r.data, o + 16);
    o += 16 + r.data.length;
  }
  return out;
}

/** Reads a classic pcap of either byte order, µs or ns resolution (tests and fixtures). */
export function readPcap(bytes: Uint8Array): { linktype: number; records: PcapReadRecord[] } {
  if (bytes.length < 24) throw new RangeError('pcap shorter than its global header');
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magicLe = v.getUint32(0, true);
  const magicBe = v.getUint32(0, false);
  const le = magicLe === PCAP_MAGIC_US || magicLe === 0xa1b23c4d;
  if (!le && magicBe !== PCAP_MAGIC_US && magicBe !== 0xa1b23c4d) {
    throw new Error(`not a classic pcap (magic 0x${magicLe.toString(16)})`);
  }
  const nanos = (le ? magicLe : magicBe) === 0xa1b23c4d;
  const linktype = v.getUint32(20, le);
  const records: PcapReadRecord[] = [];
  let o = 24;
  while (o + 16 <= bytes.length) {
    const sec = v.getUint32(o, le);
    const frac = v.getUint32(o + 4, le);
    const capLen = v.getUint32(o + 8, le);
    const originalLength = v.getUint32(o + 12, le);
    if (o + 16 + capLen > bytes.length) throw new RangeError(`pcap record at ${o} truncated`);
    records.push({
      timeUs: sec * 1e6 + (nanos ? Math.floor(frac / 1000) : frac),
      data: bytes.slice(o + 16, o + 16 + capLen),
      originalLength,
    });
    o += 16 + capLen;
  }
  return { linktype, records };
}
