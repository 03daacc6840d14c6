import { describe, expect, it } from 'vitest';
import {
  emitEthernet,
  parseEthernet,
  writeEthernet,
  ethernetLen,
  ETHERTYPE_ARP,
  ETHERTYPE_IPV4,
} from './ethernet.ts';
import {
  isMac,
  isMulticastMac,
  macToBytes,
  podMacFromIp,
  readMac,
  writeMac,
  MAC_BROADCAST,
} from '../net/mac.ts';
import { fixtureFrames, junk } from '../test/fixtures/index.ts';

const sameNode = fixtureFrames('same-node');
const crossVxlan = fixtureFrames('cross-vxlan');

describe('Ethernet II (reference same-node.pcap)', () => {
  it('parses the broadcast ARP request header (frame 1)', () => {
    const { repr, payload } = parseEthernet(sameNode[0]);
    expect(repr).toEqual({
      dst: MAC_BROADCAST,
      src: '0a:58:0a:f4:00:02',
      ethertype: ETHERTYPE_ARP,
    });
    expect(payload.length).toBe(28); // 42-byte frame, no padding to 60
  });

  it('parses the ICMP frame header (frame 3)', () => {
    const { repr } = parseEthernet(sameNode[2]);
    expect(repr).toEqual({
      dst: '0a:58:0a:f4:00:03',
      src: '0a:58:0a:f4:00:02',
      ethertype: ETHERTYPE_IPV4,
    });
  });

  it('emits every header byte for byte into a junk-filled buffer', () => {
    for (const frame of [...sameNode, ...crossVxlan]) {
      const { repr } = parseEthernet(frame);
      const buf = junk(20);
      expect(writeEthernet(repr, buf, 3)).toBe(14);
      expect(buf.subarray(3, 17)).toEqual(frame.subarray(0, 14));
      expect([...buf.subarray(0, 3), ...buf.subarray(17)]).toEqual(Array(6).fill(0xa5));
    }
  });

  it('emitEthernet(parse(frame)) reproduces whole frames', () => {
    for (const frame of [...sameNode, ...crossVxlan]) {
      const { repr, payload } = parseEthernet(frame);
      expect(emitEthernet(repr, payload)).toEqual(frame);
      expect(ethernetLen(repr, payload.length)).toBe(frame.length);
    }
  });

  it('rejects a truncated header and malformed MACs', () => {
    expect(() => parseEthernet(new Uint8Array(13))).toThrow(RangeError);
    expect(() => emitEthernet({ dst: 'ff:ff', src: MAC_BROADCAST, ethertype: 0x0800 })).toThrow(
      /invalid MAC/,
    );
  });

  it('round-trips an unknown ethertype', () => {
    const f = emitEthernet({ dst: MAC_BROADCAST, src: '02:00:00:00:00:01', ethertype: 0x88cc });
    expect(parseEthernet(f).repr.ethertype).toBe(0x88cc);
  });
});

describe('net/mac', () => {
  it('reads and writes lower-case colon MACs', () => {
    const b = junk(8);
    writeMac(b, 1, '0A:58:0a:F4:00:02');
    expect(readMac(b, 1)).toBe('0a:58:0a:f4:00:02');
    expect(b[0]).toBe(0xa5);
    expect(b[7]).toBe(0xa5);
    expect(macToBytes('52:54:00:a8:01:0a')).toEqual(
      Uint8Array.from([0x52, 0x54, 0, 0xa8, 1, 0x0a]),
    );
  });

  it('knows group addresses and pod MACs', () => {
    expect(isMulticastMac(MAC_BROADCAST)).toBe(true);
    expect(isMulticastMac('01:00:5e:00:00:01')).toBe(true);
    expect(isMulticastMac('0a:58:0a:f4:00:02')).toBe(false);
    expect(podMacFromIp('10.244.1.2')).toBe('0a:58:0a:f4:01:02'); // README "Fixed identities"
    expect(isMac('0a:58:0a:f4:00:0')).toBe(false);
    expect(() => readMac(new Uint8Array(5), 0)).toThrow(RangeError);
  });
});
