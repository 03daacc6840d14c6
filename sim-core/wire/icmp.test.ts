import { describe, expect, it } from 'vitest';
import {
  emitIcmp,
  icmpErrorData,
  parseIcmp,
  pingPayload,
  verifyIcmpChecksum,
  writeIcmp,
} from './icmp.ts';
import type { IcmpRepr } from './icmp.ts';
import { emitIpv4, IP_PROTO_ICMP } from './ipv4.ts';
import { emitEthernet, ETHERTYPE_IPV4 } from './ethernet.ts';
import { fixtureFrames, junk } from '../test/fixtures/index.ts';

const sameNode = fixtureFrames('same-node');
const crossVxlan = fixtureFrames('cross-vxlan');

// same-node frame 3's timeval: tv_sec 0x6b06d172 (Nov 25 2026 12:15:46 UTC), tv_usec 0x0860ff.
const SEC = 0x6b06d172;
const USEC = 0x0860ff;

const request: IcmpRepr = {
  type: 8,
  code: 0,
  identifier: 0x21ef,
  sequence: 1,
  data: pingPayload(SEC, USEC),
};

describe('pingPayload (iputils ping, 56 bytes)', () => {
  it('is the timeval then 0x10..0x37, exactly as in same-node frame 3', () => {
    const p = pingPayload(SEC, USEC);
    expect(p.length).toBe(56);
    expect(p).toEqual(sameNode[2].subarray(42));
    expect([...p.subarray(16)]).toEqual(Array.from({ length: 40 }, (_, i) => 0x10 + i));
  });
});

describe('ICMP echo (RFC 792) on reference frames', () => {
  it('parses request and reply, with the payload echoed byte for byte', () => {
    const req = parseIcmp(sameNode[2].subarray(34));
    expect(req.repr).toEqual(request);
    expect(req.checksum).toBe(0x969f);
    const rep = parseIcmp(sameNode[3].subarray(34));
    expect(rep.repr).toEqual({ ...request, type: 0 });
    expect(rep.checksum).toBe(0x9e9f);
  });

  it('emits both into junk byte for byte (checksum included)', () => {
    for (const frame of sameNode.slice(2, 4)) {
      const msg = frame.subarray(34);
      const buf = junk(msg.length + 2);
      expect(writeIcmp(parseIcmp(msg).repr, buf, 1)).toBe(64);
      expect(buf.subarray(1, 65)).toEqual(msg);
      expect([buf[0], buf[65]]).toEqual([0xa5, 0xa5]);
      expect(verifyIcmpChecksum(msg)).toBe(true);
    }
  });

  it('builds the whole 98-byte echo request frame from reprs', () => {
    const frame = emitEthernet(
      { dst: '0a:58:0a:f4:00:03', src: '0a:58:0a:f4:00:02', ethertype: ETHERTYPE_IPV4 },
      emitIpv4(
        {
          dscp: 0,
          ecn: 0,
          identification: 0xbb5c,
          dontFragment: true,
          ttl: 64,
          protocol: IP_PROTO_ICMP,
          srcAddr: '10.244.0.2',
          dstAddr: '10.244.0.3',
        },
        emitIcmp(request),
      ),
    );
    expect(frame).toEqual(sameNode[2]);
  });

  it('round-trips the inner echo pair of cross-vxlan.pcap', () => {
    for (const frame of crossVxlan.slice(2)) {
      const msg = frame.subarray(84);
      expect(emitIcmp(parseIcmp(msg).repr)).toEqual(msg);
    }
  });

  it('handles odd-length data and non-echo types', () => {
    const odd = emitIcmp({ ...request, data: Uint8Array.of(1, 2, 3) });
    expect(verifyIcmpChecksum(odd)).toBe(true);
    const unreachable: IcmpRepr = {
      type: 3,
      code: 3,
      identifier: 0,
      sequence: 0,
      data: sameNode[2].slice(14, 42),
    };
    expect(parseIcmp(emitIcmp(unreachable)).repr).toEqual(unreachable);
    expect(() => parseIcmp(new Uint8Array(7))).toThrow(RangeError);
  });

  it('quotes at most 548 bytes of the offending datagram, as icmp_send() does', () => {
    expect(icmpErrorData(sameNode[2].subarray(14)).length).toBe(84);
    expect(icmpErrorData(new Uint8Array(1500).fill(0x45)).length).toBe(548);
  });
});
