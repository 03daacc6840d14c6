import { describe, expect, it } from 'vitest';
import { emitUdp, parseUdp, verifyUdpChecksum, writeUdp } from './udp.ts';
import { foldChecksum, pseudoHeaderSum, transportChecksum } from './checksum.ts';
import { IP_PROTO_UDP } from './ipv4.ts';
import { fixtureFrames, junk } from '../test/fixtures/index.ts';

const crossVxlan = fixtureFrames('cross-vxlan');
// Outer UDP of the VXLAN echo request/reply (cross-vxlan frames 3-4), at offset 34.
const outer = [
  { frame: crossVxlan[2], src: '192.168.1.10', dst: '192.168.1.11' },
  { frame: crossVxlan[3], src: '192.168.1.11', dst: '192.168.1.10' },
];
const sansChecksum = (d: Uint8Array) => [...d.subarray(0, 6), ...d.subarray(8)];

describe('UDP (RFC 768) on the VXLAN outer header', () => {
  it('parses ports 45809 → 8472, length 114', () => {
    const d = parseUdp(crossVxlan[2].subarray(34));
    expect([d.repr.srcPort, d.repr.dstPort, d.length, d.checksum]).toEqual([
      45809, 8472, 114, 0x83e9,
    ]);
    expect(d.repr.payload.length).toBe(106);
  });

  it('emits byte for byte into junk except the (partial in the capture) checksum, which it gets right', () => {
    for (const { frame, src, dst } of outer) {
      const dgram = frame.subarray(34);
      const buf = junk(dgram.length + 2);
      expect(writeUdp(parseUdp(dgram).repr, src, dst, buf, 1)).toBe(114);
      const out = buf.subarray(1, 115);
      expect([buf[0], buf[115]]).toEqual([0xa5, 0xa5]);
      expect(sansChecksum(out)).toEqual(sansChecksum(dgram));
      expect(verifyUdpChecksum(out, src, dst)).toBe(true);
      // The capture holds the folded pseudo-header sum (0x83e9 both ways, README "Capture notes").
      expect(~foldChecksum(pseudoHeaderSum(src, dst, IP_PROTO_UDP, 114)) & 0xffff).toBe(0x83e9);
    }
  });

  it('sends a computed 0 as 0xffff, and 0 when checksums are off', () => {
    const base = { srcPort: 1, dstPort: 2, payload: Uint8Array.of(0, 0) };
    const c0 = transportChecksum(
      emitUdp(base, '10.0.0.1', '10.0.0.2', false),
      '10.0.0.1',
      '10.0.0.2',
      IP_PROTO_UDP,
    );
    const zeroing = { ...base, payload: Uint8Array.of(c0 >> 8, c0 & 0xff) };
    const out = emitUdp(zeroing, '10.0.0.1', '10.0.0.2');
    expect([out[6], out[7]]).toEqual([0xff, 0xff]);
    expect(verifyUdpChecksum(out, '10.0.0.1', '10.0.0.2')).toBe(true);
    const off = emitUdp(base, '10.0.0.1', '10.0.0.2', false);
    expect([off[6], off[7]]).toEqual([0, 0]);
    expect(verifyUdpChecksum(off, '10.0.0.1', '10.0.0.2')).toBe(true);
  });

  it('rejects bad lengths', () => {
    expect(() => parseUdp(new Uint8Array(7))).toThrow(RangeError);
    const d = crossVxlan[2].slice(34);
    d[5] = 200;
    expect(() => parseUdp(d)).toThrow(/length 200/);
  });
});
