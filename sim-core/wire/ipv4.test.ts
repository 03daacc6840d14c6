import { describe, expect, it } from 'vitest';
import {
  decrementTtl,
  emitIpv4,
  internetChecksum,
  parseIpv4,
  verifyIpv4Checksum,
  writeIpv4,
  IP_PROTO_ICMP,
} from './ipv4.ts';
import type { Ipv4Repr } from './ipv4.ts';
import { fixtureFrames, hexBytes, junk } from '../test/fixtures/index.ts';

const sameNode = fixtureFrames('same-node');
const crossVxlan = fixtureFrames('cross-vxlan');
const crossCni0 = fixtureFrames('cross-vxlan-cni0');

/** Every IPv4 header in the fixtures: plain frames at 14, VXLAN inner packets at 64. */
const packets = [
  ...sameNode.slice(2).map((f) => f.subarray(14)),
  ...crossVxlan.slice(2).flatMap((f) => [f.subarray(14), f.subarray(64)]),
];

describe('Internet checksum (RFC 1071)', () => {
  it('matches the RFC 1071 §3 worked example', () => {
    // 00 01 f2 03 f4 f5 f6 f7 sums to 0xddf2 with carries; the checksum is its complement.
    expect(internetChecksum(hexBytes('0001 f203 f4f5 f6f7'))).toBe(0x220d);
  });
  it('pads an odd trailing byte with zero', () => {
    expect(internetChecksum(hexBytes('01'))).toBe(internetChecksum(hexBytes('0100')));
  });
});

describe('IPv4 header (RFC 791) on reference frames', () => {
  it('parses the echo request of same-node frame 3', () => {
    const ip = parseIpv4(sameNode[2].subarray(14));
    expect(ip.repr).toEqual<Ipv4Repr>({
      dscp: 0,
      ecn: 0,
      identification: 0xbb5c,
      dontFragment: true,
      ttl: 64,
      protocol: IP_PROTO_ICMP,
      srcAddr: '10.244.0.2',
      dstAddr: '10.244.0.3',
    });
    expect([ip.headerLen, ip.totalLength, ip.checksum, ip.payload.length]).toEqual([
      20, 84, 0x6960, 64,
    ]);
    expect([ip.moreFragments, ip.fragmentOffset, ip.options.length]).toEqual([false, 0, 0]);
  });

  it('emits every header byte for byte into junk, checksum included', () => {
    expect(packets.length).toBe(14);
    for (const pkt of packets) {
      const ip = parseIpv4(pkt);
      const buf = junk(24);
      expect(writeIpv4(ip.repr, ip.payload.length, buf, 2)).toBe(20);
      expect(buf.subarray(2, 22)).toEqual(pkt.subarray(0, 20));
      expect([buf[0], buf[1], buf[22], buf[23]]).toEqual([0xa5, 0xa5, 0xa5, 0xa5]);
      expect(verifyIpv4Checksum(pkt)).toBe(true);
      expect(emitIpv4(ip.repr, ip.payload)).toEqual(pkt.subarray(0, ip.totalLength));
    }
  });

  it('verifyIpv4Checksum catches a flipped bit', () => {
    const pkt = sameNode[2].slice(14);
    pkt[8] ^= 1;
    expect(verifyIpv4Checksum(pkt)).toBe(false);
  });

  it('stops the payload at total length (link padding excluded)', () => {
    const padded = new Uint8Array(80); // the 60-byte SYN packet followed by 20 bytes of padding
    padded.set(sameNode[4].subarray(14));
    const ip = parseIpv4(padded);
    expect(ip.payload.length).toBe(40);
  });

  it('rejects non-IPv4, truncated and inconsistent headers', () => {
    const pkt = sameNode[2].slice(14);
    expect(() => parseIpv4(pkt.subarray(0, 19))).toThrow(RangeError);
    expect(() => parseIpv4(pkt.subarray(0, 83))).toThrow(/total 84/);
    const v6 = pkt.slice();
    v6[0] = 0x60;
    expect(() => parseIpv4(v6)).toThrow(/version 6/);
    expect(() => emitIpv4({ ...parseIpv4(pkt).repr, srcAddr: '10.244.0.256' })).toThrow(
      /invalid IPv4/,
    );
  });
});

describe('decrementTtl (forwarding, ip_decrease_ttl)', () => {
  it("turns pod A's request as seen on cni0 into the inner packet n1 puts in the tunnel", () => {
    // cross-vxlan-cni0 frame 3: TTL 64 from the pod; cross-vxlan frame 3 inner: TTL 63 (README §2).
    const fromPod = crossCni0[2].subarray(14);
    expect(parseIpv4(fromPod).repr.ttl).toBe(64);
    const forwarded = decrementTtl(fromPod);
    expect(forwarded).toEqual(crossVxlan[2].subarray(64));
    expect(fromPod[8]).toBe(64); // input untouched
  });

  it('turns the reply leaving the tunnel at n1 into what pod A receives (63 → 62)', () => {
    expect(decrementTtl(crossVxlan[3].subarray(64))).toEqual(crossCni0[3].subarray(14));
  });

  it('keeps the checksum valid for every checksum value, including the carry cases', () => {
    const base = sameNode[2].slice(14, 34);
    for (let id = 0; id < 0x10000; id += 7) {
      base[4] = id >> 8;
      base[5] = id & 0xff;
      base[10] = base[11] = 0;
      const sum = internetChecksum(base);
      base[10] = sum >> 8;
      base[11] = sum & 0xff;
      const out = decrementTtl(base);
      expect(out[8]).toBe(63);
      expect(verifyIpv4Checksum(out)).toBe(true);
    }
  });

  it('refuses TTL 0', () => {
    const pkt = sameNode[2].slice(14);
    pkt[8] = 0;
    expect(() => decrementTtl(pkt)).toThrow(/TTL/);
  });
});
