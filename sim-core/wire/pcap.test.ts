import { describe, expect, it } from 'vitest';
import { readPcap, writePcap, LINKTYPE_ETHERNET } from './pcap.ts';
import { fixtureBytes } from '../test/fixtures/index.ts';

describe('classic pcap', () => {
  it('rewrites the reference captures byte for byte', () => {
    // Same format as tshark wrote them: LE magic a1b2c3d4, v2.4, snaplen 262144, Ethernet.
    for (const name of ['same-node', 'cross-vxlan', 'cross-vxlan-cni0']) {
      const bytes = fixtureBytes(`${name}.pcap`);
      const { linktype, records } = readPcap(bytes);
      expect(linktype).toBe(LINKTYPE_ETHERNET);
      expect(writePcap(records)).toEqual(bytes);
    }
  });

  it('reads the timestamps (same-node frame 1: Epoch 1795608946.549203)', () => {
    const { records } = readPcap(fixtureBytes('same-node.pcap'));
    expect(records.length).toBe(12);
    expect(records[0].timeUs).toBe(1795608946549203);
    expect(records[0].data.length).toBe(42);
    expect(records[4].timeUs - records[0].timeUs).toBe(330057);
  });

  it('writes the global header fields', () => {
    const out = writePcap([{ timeUs: 1_500_000, data: Uint8Array.of(1, 2, 3) }]);
    const v = new DataView(out.buffer);
    expect([v.getUint32(0, true), v.getUint16(4, true), v.getUint16(6, true)]).toEqual([
      0xa1b2c3d4, 2, 4,
    ]);
    expect([v.getUint32(16, true), v.getUint32(20, true)]).toEqual([262144, 1]);
    expect([v.getUint32(24, true), v.getUint32(28, true), v.getUint32(32, true)]).toEqual([
      1, 500000, 3,
    ]);
    expect(out.length).toBe(24 + 16 + 3);
  });

  it('reads big-endian and nanosecond files, and rejects junk', () => {
    const be = new Uint8Array(24 + 16 + 1);
    const v = new DataView(be.buffer);
    v.setUint32(0, 0xa1b23c4d); // nanosecond magic, big-endian
    v.setUint32(20, 1);
    v.setUint32(24, 2);
    v.setUint32(28, 5000);
    v.setUint32(32, 1);
    v.setUint32(36, 1);
    expect(readPcap(be).records[0].timeUs).toBe(2_000_005);
    expect(() => readPcap(new Uint8Array(24))).toThrow(/not a classic pcap/);
    expect(() => readPcap(be.subarray(0, 40))).toThrow(/truncated/);
  });
});
