import { describe, expect, it } from 'vitest';
import {
  emitVxlan,
  parseVxlan,
  writeVxlan,
  VXLAN_FLAG_I,
  VXLAN_OVERHEAD,
  VXLAN_PORT_LINUX,
} from './vxlan.ts';
import { emitEthernet, parseEthernet } from './ethernet.ts';
import { emitIpv4, parseIpv4 } from './ipv4.ts';
import { emitUdp, verifyUdpChecksum } from './udp.ts';
import { fixtureFrames, hexBytes, junk } from '../test/fixtures/index.ts';

const crossVxlan = fixtureFrames('cross-vxlan');

describe('VXLAN (RFC 7348) on cross-vxlan.pcap', () => {
  it('parses flags 0x08 and VNI 1, and the inner flannel.1 → flannel.1 frame', () => {
    const v = parseVxlan(crossVxlan[2].subarray(42));
    expect(v.repr).toEqual({ flags: VXLAN_FLAG_I, vni: 1 });
    expect(parseEthernet(v.payload).repr).toEqual({
      dst: '6e:00:0a:f4:01:00',
      src: '6e:00:0a:f4:00:00',
      ethertype: 0x0800,
    });
    expect(v.payload.length).toBe(98);
  });

  it('writes 08 00 00 00 00 00 01 00 into junk', () => {
    const buf = junk(10);
    writeVxlan({ flags: VXLAN_FLAG_I, vni: 1 }, buf, 1);
    expect(buf).toEqual(hexBytes('a5 0800000000000100 a5'));
    expect(() => writeVxlan({ flags: 8, vni: 1 << 24 }, buf)).toThrow(/24-bit/);
  });

  it('rebuilds both 148-byte encapsulated frames from reprs (outer UDP checksum aside)', () => {
    for (const frame of crossVxlan.slice(2)) {
      const eth = parseEthernet(frame);
      const ip = parseIpv4(eth.payload);
      const inner = frame.subarray(50);
      const udp = emitUdp(
        {
          srcPort: 45809,
          dstPort: VXLAN_PORT_LINUX,
          payload: emitVxlan({ flags: VXLAN_FLAG_I, vni: 1 }, inner),
        },
        ip.repr.srcAddr,
        ip.repr.dstAddr,
      );
      const built = emitEthernet(eth.repr, emitIpv4(ip.repr, udp));
      expect(built.length).toBe(inner.length + VXLAN_OVERHEAD);
      expect([...built.subarray(0, 40), ...built.subarray(42)]).toEqual([
        ...frame.subarray(0, 40),
        ...frame.subarray(42),
      ]);
      expect(verifyUdpChecksum(built.subarray(34), ip.repr.srcAddr, ip.repr.dstAddr)).toBe(true);
    }
  });
});
