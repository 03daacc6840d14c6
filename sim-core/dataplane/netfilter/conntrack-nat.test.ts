/**
 * NAT bindings and port selection (net/netfilter/nf_nat_core.c). The
 * address choice and port classes are checked against real Linux in
 * conntrack-netns.test.ts; these are the rules in isolation.
 */
import { describe, expect, it } from 'vitest';
import {
  CT_EMPTY,
  ctConfirm,
  ctHasStatus,
  ctIn,
  ctLookup,
  ctNatNullBinding,
  ctNatRewrite,
  ctNatSetup,
  ctSetNat,
  icmpTuple,
  IPS,
  portTuple,
  TCPHDR,
  type CtEntry,
  type CtTable,
  type CtTuple,
  type NatManip,
  type NatRange,
} from './conntrack.ts';

const never = () => {
  throw new Error('no random draw expected');
};
/** A fixed get_random_u16 result. */
const u16 = (off: number) => () => off / 65536;

let nextId = 0;
const udpIn = (table: CtTable, tuple: CtTuple) => ctIn(table, { tuple }, 0, ++nextId);

/** A new UDP connection through one NAT rule, confirmed. */
function through(
  table: CtTable,
  tuple: CtTuple,
  range: NatRange,
  manip: NatManip,
  random: () => number,
) {
  const r = udpIn(table, tuple);
  const s = ctNatSetup(r.table, r.entry!, range, manip, 0, random);
  const c = ctConfirm(s.table, s.entry, 0);
  expect(c.verdict).toBe('accept');
  return { table: c.table, entry: c.entry };
}

describe('ctSetNat and ctNatRewrite', () => {
  const orig = portTuple(6, '10.244.0.4', 38518, '10.96.0.50', 80);
  const fresh = () => ctIn(CT_EMPTY, { tuple: orig, tcp: syn }, 0, 1).entry!;

  it('DNAT rewrites the reply source; SNAT the reply destination', () => {
    const e = ctSetNat(ctSetNat(fresh(), { kind: 'DNAT', addr: '10.244.0.2', port: 8080 }), {
      kind: 'SNAT',
      addr: '10.244.0.1',
      port: 60021,
    });
    expect(e.reply).toEqual(portTuple(6, '10.244.0.2', 8080, '10.244.0.1', 60021));
    const bits = IPS.DST_NAT | IPS.DST_NAT_DONE | IPS.SRC_NAT | IPS.SRC_NAT_DONE;
    expect(ctHasStatus(e, bits)).toBe(true);
    expect(ctNatRewrite(e, 'original')).toEqual({
      dst: { addr: '10.244.0.2', port: 8080 },
      src: { addr: '10.244.0.1', port: 60021 },
    });
    expect(ctNatRewrite(e, 'reply')).toEqual({
      dst: { addr: '10.244.0.4', port: 38518 },
      src: { addr: '10.96.0.50', port: 80 },
    });
  });

  it('sets only the *_NAT_DONE bit when the mapping changes nothing', () => {
    const e = ctSetNat(fresh(), { kind: 'SNAT', addr: '10.244.0.4' });
    expect([e.reply, ctHasStatus(e, IPS.SRC_NAT_DONE), ctHasStatus(e, IPS.SRC_NAT)]).toEqual([
      fresh().reply,
      true,
      false,
    ]);
    expect(ctNatRewrite(e, 'original')).toEqual({});
  });

  it('never re-NATs a confirmed entry or a manip already set up', () => {
    const once = ctSetNat(fresh(), { kind: 'DNAT', addr: '10.244.0.2', port: 8080 });
    expect(ctSetNat(once, { kind: 'DNAT', addr: '10.244.0.3', port: 8080 })).toBe(once);
    const confirmed = ctConfirm(CT_EMPTY, fresh(), 0).entry;
    expect(ctSetNat(confirmed, { kind: 'DNAT', addr: '10.244.0.2' })).toBe(confirmed);
  });

  it('rewrites the ICMP id both ways when SNAT moved it', () => {
    const ping = icmpTuple('10.244.0.2', '8.8.8.8', 8, 0, 7);
    const e = ctSetNat(ctIn(CT_EMPTY, { tuple: ping }, 0, 1).entry!, {
      kind: 'SNAT',
      addr: '192.168.1.10',
      port: 99,
    });
    expect(e.reply).toEqual(icmpTuple('8.8.8.8', '192.168.1.10', 0, 0, 99));
    expect(ctNatRewrite(e, 'original')).toEqual({ src: { addr: '192.168.1.10', port: 99 } });
    expect(ctNatRewrite(e, 'reply')).toEqual({ dst: { addr: '10.244.0.2', port: 7 } });
  });
});

const syn = { flags: TCPHDR.SYN, seq: 1000, ack: 0, payloadLen: 0, window: 64240 };

describe('port selection', () => {
  const to = (src: string, sport: number) => portTuple(17, src, sport, '1.1.1.1', 53);
  const SNAT = { minAddr: '192.168.1.10' };
  const mappedPort = (e: CtEntry) => (e.reply as { dport: number }).dport;

  it('keeps the source port when the tuple stays unique (no random draw)', () => {
    expect(mappedPort(through(CT_EMPTY, to('10.0.0.1', 40000), SNAT, 'SRC', never).entry)).toBe(
      40000,
    );
  });

  it('searches from a random offset when it clashes, wrapping the u16 offset', () => {
    const first = through(CT_EMPTY, to('10.0.0.1', 40000), SNAT, 'SRC', never);
    // 1024 + (64600 % 64512) = 1112.
    const moved = through(first.table, to('10.0.0.2', 40000), SNAT, 'SRC', u16(64600));
    expect(mappedPort(moved.entry)).toBe(1112);
    // 1112 is taken now: the next search from the same offset takes 1113.
    const next = through(moved.table, to('10.0.0.3', 1112), SNAT, 'SRC', u16(64600));
    expect(mappedPort(next.entry)).toBe(1113);
  });

  it('--random-fully draws a port even when the original would do', () => {
    const r = through(
      CT_EMPTY,
      to('10.0.0.1', 40000),
      { ...SNAT, randomFully: true },
      'SRC',
      u16(58997),
    );
    expect(mappedPort(r.entry)).toBe(60021);
  });

  it('DNAT to a port range starts at its bottom and walks up past taken ones', () => {
    const range = { minAddr: '10.0.0.9', minPort: 8080, maxPort: 8082 };
    // Two VIPs, one client socket: both replies would be 10.0.0.9:8080 → client.
    const a = through(
      CT_EMPTY,
      portTuple(17, '10.0.0.1', 1000, '10.96.0.1', 53),
      range,
      'DST',
      never,
    );
    const b = through(
      a.table,
      portTuple(17, '10.0.0.1', 1000, '10.96.0.2', 53),
      range,
      'DST',
      never,
    );
    expect([
      (a.entry.reply as { sport: number }).sport,
      (b.entry.reply as { sport: number }).sport,
    ]).toEqual([8080, 8081]);
  });

  it('moves a local connection off a tuple an SNATed one already uses (null binding)', () => {
    // nf_nat_used_tuple's example: INITIATOR → NAT box (SNAT) → RESPONDER,
    // then the NAT box connects to RESPONDER from the same address and port.
    const a = through(CT_EMPTY, to('10.0.0.1', 40000), SNAT, 'SRC', never);
    const r = udpIn(a.table, to('192.168.1.10', 40000));
    const { entry } = ctNatNullBinding(r.table, r.entry!, 'SRC', 0, u16(0));
    expect([mappedPort(entry), ctHasStatus(entry, IPS.SRC_NAT)]).toEqual([1024, true]);
  });

  it('evicts an older SNATed TIME_WAIT entry rather than fail (nf_nat_used_tuple_harder)', () => {
    const single = { minAddr: '192.168.1.10', minPort: 5000 };
    const server = (src: string, sport: number) => portTuple(6, src, sport, '1.1.1.1', 80);
    const seg = (flags: number, seq: number, ack = 0) => ({
      flags,
      seq,
      ack,
      payloadLen: 0,
      window: 502,
    });
    // Connection 1, SNATed to :5000, closed down to TIME_WAIT.
    const c1 = ctIn(CT_EMPTY, { tuple: server('10.0.0.1', 1000), tcp: seg(TCPHDR.SYN, 100) }, 0, 1);
    const s1 = ctNatSetup(c1.table, c1.entry!, single, 'SRC', 0, u16(0));
    let table = ctConfirm(s1.table, s1.entry, 0).table;
    const back = portTuple(6, '1.1.1.1', 80, '192.168.1.10', 5000);
    const { ACK, FIN, SYN } = TCPHDR;
    for (const [tuple, tcp] of [
      [back, seg(SYN | ACK, 900, 101)],
      [server('10.0.0.1', 1000), seg(ACK, 101, 901)],
      [server('10.0.0.1', 1000), seg(FIN | ACK, 101, 901)],
      [back, seg(FIN | ACK, 901, 102)],
      [server('10.0.0.1', 1000), seg(ACK, 102, 902)],
    ] as const) {
      table = ctIn(table, { tuple, tcp }, 0, 0).table;
    }
    const old = ctLookup(table, back)!.entry;
    expect(old.proto.kind === 'tcp' && old.proto.tcp.state).toBe('TIME_WAIT');
    // Connection 2 from another client, later in sequence space, needs :5000 too.
    const c2 = ctIn(table, { tuple: server('10.0.0.2', 2000), tcp: seg(SYN, 5000) }, 1, 2);
    const s = ctNatSetup(c2.table, c2.entry!, single, 'SRC', 1, u16(0));
    expect(s.entry.reply).toEqual(back);
    expect(ctLookup(s.table, back)).toBeUndefined();
    expect(ctConfirm(s.table, s.entry, 1).verdict).toBe('accept');
  });
});
