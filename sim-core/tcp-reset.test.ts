/**
 * TCP against reference 4b (test/fixtures/clusterip/clusterip-no-brnf-client):
 * the client kwr-podc, 10.244.0.4, connects to 10.96.0.50:80 and, the
 * reverse NAT skipped, gets SYN-ACKs from 10.244.0.2:8080. The test plays
 * the far side with the capture's own frames (test/wire-world.ts).
 *
 * [TCP7] a segment no socket takes gets tcp_v4_send_reset's answer;
 * [TCP8] an unanswered SYN is sent again at +1 s, +2 s … (tcp_syn_linear_timeouts);
 * [TCP9] nc -w gives up and sends nothing; [TCP10] connect() takes even ports.
 */
import { describe, expect, it } from 'vitest';
import { parseFrame } from './dataplane/frames.ts';
import { fixtureFields, fixtureFrames } from './test/fixtures/index.ts';
import { CLIENT, wireWorld } from './test/wire-world.ts';
import { transportChecksum } from './wire/checksum.ts';
import { parseTcp } from './wire/tcp.ts';

const REF = 'clusterip/clusterip-no-brnf-client';
const ref = fixtureFrames(REF);
const refFields = fixtureFields(REF);
const S = 1_000_000;

/** Frame offsets (Ethernet + 20-byte IP header): what is random per connection, or not final in the capture. */
const IP_ID = [18, 20];
const IP_CSUM = [24, 26];
const SPORT = [34, 36];
const SEQ = [38, 42];
const TCP_CSUM = [50, 52];
/** A SYN's TSval: after MSS (4 bytes), SACK_PERM (2), the TS option's kind and length. */
const SYN_TSVAL = [62, 66];

function differing(a: Uint8Array, b: Uint8Array, skip: number[][]): number[] {
  return [...a.keys()].filter((k) => a[k] !== b[k] && !skip.some(([s, e]) => k >= s && k < e));
}

const tcpOf = (frame: Uint8Array) => parseTcp(parseFrame(frame).ip!.payload).repr;

function checksumOk(frame: Uint8Array): boolean {
  const { ip } = parseFrame(frame);
  const seg = ip!.payload.slice();
  const sum = (seg[16] << 8) | seg[17];
  seg[16] = seg[17] = 0;
  return transportChecksum(seg, ip!.repr.srcAddr, ip!.repr.dstAddr, 6) === sum;
}

/** The reference SYN-ACK (frame 7), aimed at our socket: its port, and acknowledging our SYN. */
function synAckFor(syn: Uint8Array): Uint8Array {
  const f = ref[6].slice();
  f.set(syn.subarray(34, 36), 36);
  const ack = (tcpOf(syn).seq + 1) >>> 0;
  new DataView(f.buffer).setUint32(42, ack);
  return f;
}

describe('a segment for which no socket exists', () => {
  it('[TCP7] gets RST seq = its ack, no ACK flag, window 0, IP ID 0, DF: reference 4b frame 8 byte for byte', () => {
    const w = wireWorld();
    w.inject(ref[6], 1000);
    w.run();
    const sent = w.sent();
    expect(sent).toHaveLength(1);
    expect(sent[0].frame.length).toBe(54);
    // The reference's TCP checksum is a partial one (CHECKSUM_PARTIAL on veth); ours is final.
    expect(differing(sent[0].frame, ref[7], [TCP_CSUM])).toEqual([]);
    expect(checksumOk(sent[0].frame)).toBe(true);
    expect(sent[0].summary).toContain('36214 → 8080 [RST] Seq=2655022903');
  });

  it('[TCP7] a SYN-ACK from an address the connect is not waiting for: RST, and connect() keeps waiting', () => {
    const w = wireWorld();
    w.transport.connect(CLIENT, '10.244.0.4', '10.96.0.50', 80, '10.96.0.50', { owner: 'nc' });
    w.run(100);
    const [syn] = w.sent();
    w.inject(synAckFor(syn.frame), 200);
    w.run(500);
    const [, rst] = w.sent();
    expect(tcpOf(rst.frame)).toMatchObject({
      srcPort: tcpOf(syn.frame).srcPort,
      dstPort: 8080,
      seq: (tcpOf(syn.frame).seq + 1) >>> 0,
      ack: 0,
      window: 0,
      options: [],
    });
    expect(tcpOf(rst.frame).flags).toMatchObject({ rst: true, ack: false });
    // Beyond the port and sequence number it is reference frame 8 (our IP header checksum matches too: ID 0).
    expect(differing(rst.frame, ref[7], [SPORT, SEQ, TCP_CSUM])).toEqual([]);
    expect(w.sockets()).toMatchObject([
      { state: 'SYN-SENT', peerAddr: '10.96.0.50', peerPort: 80 },
    ]);
  });
});

describe('SYN retransmission (tcp_syn_linear_timeouts = 4, tcp_syn_retries = 6)', () => {
  it('[TCP8][TCP9] nc -w 3: SYNs at 0, +1 s, +2 s with the same seq and options, IP ID +1, TSval +elapsed ms; then nothing', () => {
    const w = wireWorld();
    w.transport.connect(CLIENT, '10.244.0.4', '10.96.0.50', 80, '10.96.0.50', {
      data: 'nobrnf-1\n',
      close: true,
      timeout: 3,
      owner: 'nc',
    });
    w.run(100);
    w.inject(synAckFor(w.sent()[0].frame), 200);
    w.run();
    const sent = w.sent();
    // Reference: SYN, (SYN-ACK) RST, SYN, (SYN-ACK) RST, SYN, (SYN-ACK) RST — and nothing when nc gives up.
    expect(sent.map((s) => tcpOf(s.frame).flags.syn)).toEqual([true, false, true, true]);
    const syns = sent.filter((s) => tcpOf(s.frame).flags.syn);
    const t0 = syns[0].timeUs;
    // The reference's +1.014 s and +2.038 s are the same timer fired late by the timer wheel.
    expect(syns.map((s) => s.timeUs - t0)).toEqual([0, 1 * S, 2 * S]);
    const refSyns = [2, 8, 11].map((i) => refFields[i]);
    expect(refSyns.map((r) => Number(r['frame.time_relative']) - 0.000049)).toEqual([
      0,
      expect.closeTo(1, 1),
      expect.closeTo(2, 1),
    ]);
    const first = tcpOf(syns[0].frame);
    syns.forEach((s, i) => {
      const seg = tcpOf(s.frame);
      expect(seg.seq).toBe(first.seq);
      expect(seg.options.filter((o) => o.kind !== 'timestamps')).toEqual(
        first.options.filter((o) => o.kind !== 'timestamps'),
      );
      const ts = seg.options.find((o) => o.kind === 'timestamps')!;
      const ts0 = first.options.find((o) => o.kind === 'timestamps')!;
      if (ts.kind === 'timestamps' && ts0.kind === 'timestamps')
        expect(ts.tsval - ts0.tsval).toBe(i * 1000);
      const id =
        (parseFrame(s.frame).ip!.repr.identification -
          parseFrame(syns[0].frame).ip!.repr.identification) &
        0xffff;
      expect(id).toBe(i); // reference: 0x0cde, 0x0cdf, 0x0ce0
      // Apart from the random fields it is the reference SYN (MSS 1460, window 64240, options).
      expect(differing(s.frame, ref[2], [IP_ID, IP_CSUM, SPORT, SEQ, TCP_CSUM, SYN_TSVAL])).toEqual(
        [],
      );
    });
    expect(refSyns.map((r) => r['ip.id'])).toEqual(['0x0cde', '0x0cdf', '0x0ce0']);
    expect(w.notes().at(-1)).toBe('nc -w 3: connect to 10.96.0.50:80 timed out');
    expect(w.dp.world.timeUs - t0).toBeGreaterThanOrEqual(3 * S);
    expect(w.sockets()).toEqual([]);
  });

  it('[TCP8] unanswered: 4 linear retries, then doubling; ETIMEDOUT after 10 retransmissions, at 131 s', () => {
    const w = wireWorld();
    w.transport.connect(CLIENT, '10.244.0.4', '10.96.0.50', 80, '10.96.0.50', { owner: 'nc' });
    w.run();
    const times = w.sent().map((s) => s.timeUs - w.sent()[0].timeUs);
    expect(times).toEqual([0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67].map((t) => t * S));
    expect(w.notes().at(-1)).toBe('connect: Connection timed out');
    const end = w.dp.world.steps.at(-1)!.timeUs - w.sent()[0].timeUs;
    expect(end).toBe(131 * S);
    expect(w.sockets()).toEqual([]);
  });

  it('[TCP8] with tcp_syn_linear_timeouts = 0 the backoff is the classic exponential one: 1, 3, 7 … 63, ETIMEDOUT at 127 s', () => {
    const w = wireWorld({ 'net.ipv4.tcp_syn_linear_timeouts': '0' });
    w.transport.connect(CLIENT, '10.244.0.4', '10.96.0.50', 80, '10.96.0.50', { owner: 'nc' });
    w.run();
    const t0 = w.sent()[0].timeUs;
    expect(w.sent().map((s) => (s.timeUs - t0) / S)).toEqual([0, 1, 3, 7, 15, 31, 63]);
    expect(w.dp.world.steps.at(-1)!.timeUs - t0).toBe(127 * S);
  });
});

describe('connect() source ports', () => {
  it('[TCP10] are even, in ip_local_port_range, and a few apart for one destination (reference 4c: 50714, 50726, 50740 …)', () => {
    const w = wireWorld();
    for (let i = 0; i < 20; i++)
      w.transport.connect(CLIENT, '10.244.0.4', '10.96.0.50', 80, '10.96.0.50', { owner: 'nc' });
    w.run(10);
    const ports = w.sent().map((s) => tcpOf(s.frame).srcPort);
    expect(ports).toHaveLength(20);
    for (const p of ports) {
      expect(p % 2).toBe(0);
      expect(p).toBeGreaterThanOrEqual(32768);
      expect(p).toBeLessThanOrEqual(60999);
    }
    const range = 60999 + 1 - 32768;
    const steps = ports.slice(1).map((p, i) => (p - ports[i] + range) % range);
    // __inet_hash_connect: table_perturb grows by 2 + 2 × random(0..7) per connection.
    for (const d of steps) expect(d === 0 ? 0 : d).toBeGreaterThanOrEqual(2);
    for (const d of steps) expect(d).toBeLessThanOrEqual(16);
    const ref4c = [50714, 50726, 50740, 50744, 50750, 50764, 50780, 50792, 50804, 50812, 50820];
    for (const d of ref4c.slice(1).map((p, i) => p - ref4c[i])) {
      expect(d % 2).toBe(0);
      expect(d).toBeLessThanOrEqual(16);
    }
  });
});
