import { describe, expect, it } from 'vitest';
import {
  emitTcp,
  parseTcp,
  tcpFlags,
  tcpFlagsFromByte,
  tcpFlagsToByte,
  tcpLen,
  verifyTcpChecksum,
  writeTcp,
} from './tcp.ts';
import type { TcpRepr } from './tcp.ts';
import { linuxSynOptions, linuxTimestampOptions, readTcpOptions } from './tcp-options.ts';
import type { TcpOption } from './tcp-options.ts';
import { foldChecksum, pseudoHeaderSum } from './checksum.ts';
import { emitIpv4, parseIpv4, IP_PROTO_TCP } from './ipv4.ts';
import { emitEthernet, parseEthernet } from './ethernet.ts';
import { fixtureFrames, junk } from '../test/fixtures/index.ts';

const sameNode = fixtureFrames('same-node');
const tcpFrames = sameNode.slice(4); // frames 5-12: one nc connection (README §1)
const addrs = (f: Uint8Array) => {
  const { srcAddr, dstAddr } = parseIpv4(f.subarray(14)).repr;
  return [srcAddr, dstAddr] as const;
};
/** The segment with its (partial, in the capture) checksum bytes blanked. */
const sansChecksum = (seg: Uint8Array) => [...seg.subarray(0, 16), ...seg.subarray(18)];

const syn: TcpRepr = {
  srcPort: 33944,
  dstPort: 8080,
  seq: 2799154726,
  ack: 0,
  flags: tcpFlags({ syn: true }),
  window: 64240,
  urgentPointer: 0,
  options: linuxSynOptions({ mss: 1460, tsval: 2435963932, tsecr: 0, windowScale: 10 }),
  payload: new Uint8Array(0),
};

describe('TCP (RFC 9293) on reference frames', () => {
  it('parses the SYN of frame 5 with Linux option order MSS, SACK_PERM, TS, NOP, WS', () => {
    const seg = parseTcp(sameNode[4].subarray(34));
    expect(seg.repr).toEqual(syn);
    expect(seg.headerLen).toBe(40);
    expect(seg.checksum).toBe(0x161b);
    expect(seg.repr.options.map((o) => o.kind)).toEqual([
      'mss',
      'sackPermitted',
      'timestamps',
      'nop',
      'windowScale',
    ]);
  });

  it('parses SYN-ACK, ACK and the 1-byte PSH,ACK', () => {
    const synAck = parseTcp(sameNode[5].subarray(34)).repr;
    expect(synAck.flags).toEqual(tcpFlags({ syn: true, ack: true }));
    expect([synAck.seq, synAck.ack, synAck.window]).toEqual([2249792757, 2799154727, 65160]);
    const ack = parseTcp(sameNode[6].subarray(34)).repr;
    expect(ack.options).toEqual(linuxTimestampOptions(2435963932, 3373206169));
    expect(ack.window).toBe(63);
    const psh = parseTcp(sameNode[7].subarray(34)).repr;
    expect(psh.flags).toEqual(tcpFlags({ psh: true, ack: true }));
    expect(new TextDecoder().decode(psh.payload)).toBe('x');
  });

  it('emits all 8 segments byte for byte into junk, except the checksum', () => {
    for (const frame of tcpFrames) {
      const seg = frame.subarray(34);
      const [src, dst] = addrs(frame);
      const repr = parseTcp(seg).repr;
      const buf = junk(seg.length + 2);
      expect(writeTcp(repr, src, dst, buf, 1)).toBe(seg.length);
      expect([buf[0], buf[seg.length + 1]]).toEqual([0xa5, 0xa5]);
      const out = buf.subarray(1, seg.length + 1);
      expect(sansChecksum(out)).toEqual(sansChecksum(seg));
      expect(tcpLen(repr)).toBe(seg.length);
    }
  });

  it('writes the final checksum, which sums to zero over the pseudo-header', () => {
    for (const frame of tcpFrames) {
      const [src, dst] = addrs(frame);
      const out = emitTcp(parseTcp(frame.subarray(34)).repr, src, dst);
      expect(verifyTcpChecksum(out, src, dst)).toBe(true);
      expect(verifyTcpChecksum(frame.subarray(34), src, dst)).toBe(false); // the capture's is partial
    }
  });

  it("explains the capture's checksum: veth's CHECKSUM_PARTIAL leaves the folded pseudo-header sum", () => {
    for (const frame of tcpFrames) {
      const [src, dst] = addrs(frame);
      const seg = parseTcp(frame.subarray(34));
      const partial =
        ~foldChecksum(pseudoHeaderSum(src, dst, IP_PROTO_TCP, frame.length - 34)) & 0xffff;
      expect(seg.checksum).toBe(partial);
    }
    expect(parseTcp(sameNode[5].subarray(34)).checksum).toBe(0x161b); // SYN and SYN-ACK alike (README)
  });

  it('builds the whole 74-byte SYN frame from reprs (checksum aside)', () => {
    const frame = sameNode[4];
    const [src, dst] = addrs(frame);
    const ip = parseIpv4(frame.subarray(14)).repr;
    const built = emitEthernet(parseEthernet(frame).repr, emitIpv4(ip, emitTcp(syn, src, dst)));
    expect(built.length).toBe(74);
    expect(sansChecksum(built.subarray(34))).toEqual(sansChecksum(frame.subarray(34)));
    expect(built.subarray(0, 34)).toEqual(frame.subarray(0, 34));
  });
});

describe('TCP options', () => {
  const roundTrip = (options: TcpOption[]) => {
    const repr: TcpRepr = { ...syn, options };
    return parseTcp(emitTcp(repr, '10.0.0.1', '10.0.0.2')).repr.options;
  };

  it('round-trips SACK blocks, EOL padding and unknown kinds', () => {
    const opts: TcpOption[] = [
      { kind: 'nop' },
      { kind: 'nop' },
      {
        kind: 'sack',
        blocks: [
          [1000, 2000],
          [3000, 4000],
        ],
      },
      { kind: 'unknown', code: 30, data: Uint8Array.of(1, 2, 3, 4) }, // MPTCP-ish
      { kind: 'eol' },
    ];
    expect(roundTrip(opts)).toEqual(opts);
    const seg = emitTcp(
      { ...syn, options: [{ kind: 'mss', value: 1410 }, { kind: 'eol' }] },
      '10.0.0.1',
      '10.0.0.2',
    );
    expect(seg.subarray(20, 28)).toEqual(Uint8Array.of(2, 4, 5, 0x82, 0, 0, 0, 0)); // zero padding to 32 bits
  });

  it('keeps a known kind with an odd length as unknown', () => {
    expect(readTcpOptions(Uint8Array.of(2, 3, 5))).toEqual([
      { kind: 'unknown', code: 2, data: Uint8Array.of(5) },
    ]);
  });

  it('rejects malformed and oversized option lists', () => {
    expect(() => readTcpOptions(Uint8Array.of(8, 10, 0))).toThrow(/malformed/);
    expect(() => readTcpOptions(Uint8Array.of(8, 1))).toThrow(/malformed/);
    const tooMany: TcpOption[] = Array(5).fill({ kind: 'timestamps', tsval: 1, tsecr: 2 });
    expect(() => emitTcp({ ...syn, options: tooMany }, '10.0.0.1', '10.0.0.2')).toThrow(/too long/);
  });

  it('maps every flag bit', () => {
    for (let b = 0; b < 256; b++) expect(tcpFlagsToByte(tcpFlagsFromByte(b))).toBe(b);
    expect(tcpFlagsToByte(tcpFlags({ fin: true, ack: true }))).toBe(0x11);
  });
});
