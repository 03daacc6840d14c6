import { describe, expect, it } from 'vitest';
import { emitArp, parseArp, writeArp, ARP_LEN } from './arp.ts';
import type { ArpRepr } from './arp.ts';
import { emitEthernet, ETHERTYPE_ARP } from './ethernet.ts';
import { fixtureFrames, junk } from '../test/fixtures/index.ts';

const sameNode = fixtureFrames('same-node');
const crossVxlan = fixtureFrames('cross-vxlan');

// same-node frames 1-2 (README §1): pod A asks for pod B, B answers unicast.
const request: ArpRepr = {
  operation: 1,
  sourceHardwareAddr: '0a:58:0a:f4:00:02',
  sourceProtocolAddr: '10.244.0.2',
  targetHardwareAddr: '00:00:00:00:00:00',
  targetProtocolAddr: '10.244.0.3',
};
const reply: ArpRepr = {
  operation: 2,
  sourceHardwareAddr: '0a:58:0a:f4:00:03',
  sourceProtocolAddr: '10.244.0.3',
  targetHardwareAddr: '0a:58:0a:f4:00:02',
  targetProtocolAddr: '10.244.0.2',
};

describe('ARP (RFC 826) on reference frames', () => {
  it('parses the request and the reply', () => {
    expect(parseArp(sameNode[0].subarray(14))).toEqual(request);
    expect(parseArp(sameNode[1].subarray(14))).toEqual(reply);
  });

  it('emits the request and reply byte for byte into junk', () => {
    for (const [repr, frame] of [
      [request, sameNode[0]],
      [reply, sameNode[1]],
    ] as const) {
      const buf = junk(ARP_LEN + 4);
      expect(writeArp(repr, buf, 2)).toBe(ARP_LEN);
      expect(buf.subarray(2, 2 + ARP_LEN)).toEqual(frame.subarray(14));
      expect([buf[0], buf[1], buf[30], buf[31]]).toEqual([0xa5, 0xa5, 0xa5, 0xa5]);
    }
  });

  it('builds the whole 42-byte frames (no padding)', () => {
    const req = emitEthernet(
      { dst: 'ff:ff:ff:ff:ff:ff', src: request.sourceHardwareAddr, ethertype: ETHERTYPE_ARP },
      emitArp(request),
    );
    expect(req).toEqual(sameNode[0]);
    expect(req.length).toBe(42);
    const rep = emitEthernet(
      { dst: reply.targetHardwareAddr, src: reply.sourceHardwareAddr, ethertype: ETHERTYPE_ARP },
      emitArp(reply),
    );
    expect(rep).toEqual(sameNode[1]);
  });

  it('round-trips the underlay ARP of cross-vxlan.pcap', () => {
    for (const frame of crossVxlan.slice(0, 2)) {
      expect(emitArp(parseArp(frame.subarray(14)))).toEqual(frame.subarray(14));
    }
  });

  it('rejects non-Ethernet/IPv4 ARP, unknown opcodes and truncation', () => {
    const bad = emitArp(request);
    bad[7] = 3; // RARP request
    expect(() => parseArp(bad)).toThrow(/operation 3/);
    const ieee802 = emitArp(request);
    ieee802[1] = 6;
    expect(() => parseArp(ieee802)).toThrow(/htype=6/);
    expect(() => parseArp(new Uint8Array(27))).toThrow(RangeError);
  });
});
