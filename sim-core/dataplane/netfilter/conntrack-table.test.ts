/**
 * The table: confirmation, lookups by either tuple, expiry, clashes, the
 * UDP and ICMP trackers, and persistence (old versions stay valid and share
 * almost everything with new ones).
 */
import { describe, expect, it } from 'vitest';
import { hamtBranches, type Hamt } from '../../engine/hamt.ts';
import {
  CT_EMPTY,
  ctConfirm,
  ctCount,
  ctEntries,
  ctExpire,
  ctHasStatus,
  ctIn,
  ctLookup,
  ctLookupRelated,
  ctNew,
  ctSetNat,
  icmpTuple,
  IPS,
  portTuple,
  type CtTable,
} from './conntrack.ts';

const S = 1_000_000;
const udp = (src: string, sport: number, dst: string, dport: number) => ({
  tuple: portTuple(17, src, sport, dst, dport),
});
const out = udp('10.0.0.1', 5353, '10.0.0.2', 53);
const back = udp('10.0.0.2', 53, '10.0.0.1', 5353);

describe('confirmation', () => {
  it('keeps a new entry out of the table until ctConfirm', () => {
    const r = ctIn(CT_EMPTY, out, 0, 1);
    expect([r.created, r.ctstate, ctCount(r.table)]).toEqual([true, 'NEW', 0]);
    // Dropped before POSTROUTING: the next packet starts again from nothing.
    expect(ctIn(r.table, out, 1 * S, 2).entry!.id).toBe(2);
    const { table, entry } = ctConfirm(r.table, r.entry!, 0);
    expect([ctCount(table), ctHasStatus(entry, IPS.CONFIRMED)]).toEqual([1, true]);
  });

  it('starts the timeout at confirmation, not at the packet', () => {
    const r = ctIn(CT_EMPTY, out, 0, 1);
    const { entry } = ctConfirm(r.table, r.entry!, 2 * S);
    expect(entry.expiresUs).toBe(32 * S);
  });

  it('finds the entry by either tuple, and tells the direction', () => {
    const { table } = ctConfirm(CT_EMPTY, ctIn(CT_EMPTY, out, 0, 1).entry!, 0);
    expect(ctLookup(table, out.tuple)!.dir).toBe('original');
    expect(ctLookup(table, back.tuple)!.dir).toBe('reply');
    expect(ctIn(table, back, 1 * S, 9).ctstate).toBe('ESTABLISHED');
  });

  it('drops a packet whose NATed reply tuple is already taken', () => {
    // Two TCP clients DNATed and then SNATed onto the same reply tuple.
    const a = ctIn(
      CT_EMPTY,
      { tuple: portTuple(6, '10.0.0.1', 1000, '10.96.0.1', 80), tcp: syn },
      0,
      1,
    );
    const na = ctSetNat(ctSetNat(a.entry!, { kind: 'DNAT', addr: '10.0.0.9', port: 8080 }), {
      kind: 'SNAT',
      addr: '10.0.0.254',
    });
    const t1 = ctConfirm(a.table, na, 0).table;
    const b = ctIn(t1, { tuple: portTuple(6, '10.0.0.5', 1000, '10.96.0.1', 80), tcp: syn }, 0, 2);
    const nb = ctSetNat(ctSetNat(b.entry!, { kind: 'DNAT', addr: '10.0.0.9', port: 8080 }), {
      kind: 'SNAT',
      addr: '10.0.0.254',
    });
    expect(ctConfirm(t1, nb, 0).verdict).toBe('drop');
  });

  it('lets the loser of a UDP race NATed differently through, under its reply tuple only (nf_ct_resolve_clash_harder)', () => {
    // A and AAAA from one socket, both new before either is confirmed, masqueraded
    // --random-fully to different ports (CoreDNS forwarding upstream).
    const q = portTuple(17, '10.244.0.2', 33898, '192.168.1.53', 53);
    const a = ctIn(CT_EMPTY, { tuple: q }, 0, 1);
    const b = ctIn(CT_EMPTY, { tuple: q }, 0, 2);
    const snat = (port: number) => ({ kind: 'SNAT' as const, addr: '192.168.1.10', port });
    const t1 = ctConfirm(a.table, ctSetNat(a.entry!, snat(48073)), 0).table;
    const r = ctConfirm(t1, ctSetNat(b.entry!, snat(14440)), 0);
    expect(r.verdict).toBe('accept');
    // Its answer finds it; the original direction still finds the winner; conntrack -L shows one.
    expect(
      ctLookup(r.table, portTuple(17, '192.168.1.53', 53, '192.168.1.10', 14440))?.entry.id,
    ).toBe(2);
    expect(ctLookup(r.table, q)?.entry.id).toBe(1);
    expect(ctEntries(r.table).map((e) => e.id)).toEqual([1]);
    // A fixed 1 s life, and removing it leaves the winner's original tuple in place.
    expect(ctExpire(r.table, S + 1).expired.map((e) => e.id)).toEqual([2]);
    expect(ctLookup(ctExpire(r.table, S + 1).table, q)?.entry.id).toBe(1);
  });
});

const syn = { flags: 0x02, seq: 1, ack: 0, payloadLen: 0, window: 64240 };

describe('UDP (nf_conntrack_proto_udp.c)', () => {
  function flow(replyAtS: number, againAtS?: number) {
    let table: CtTable = ctConfirm(CT_EMPTY, ctIn(CT_EMPTY, out, 0, 1).entry!, 0).table;
    table = ctIn(table, back, replyAtS * S, 2).table;
    if (againAtS !== undefined) table = ctIn(table, out, againAtS * S, 3).table;
    return ctLookup(table, out.tuple)!.entry;
  }

  it('gives 30 s unreplied, and still 30 s, not ASSURED, for a quick answer', () => {
    expect(ctConfirm(CT_EMPTY, ctIn(CT_EMPTY, out, 0, 1).entry!, 0).entry.expiresUs).toBe(30 * S);
    const e = flow(0.01, 1);
    expect([e.expiresUs, ctHasStatus(e, IPS.ASSURED), ctHasStatus(e, IPS.SEEN_REPLY)]).toEqual([
      31 * S,
      false,
      true,
    ]);
  });

  it('gives 120 s and ASSURED to a flow still going 2 s after its first packet', () => {
    const e = flow(0.01, 2.5);
    expect([e.expiresUs, ctHasStatus(e, IPS.ASSURED)]).toEqual([122.5 * S, true]);
  });
});

describe('ICMP (nf_conntrack_proto_icmp.c)', () => {
  const echo = { tuple: icmpTuple('10.0.0.1', '10.0.0.2', 8, 0, 0x21ef) };
  const reply = { tuple: icmpTuple('10.0.0.2', '10.0.0.1', 0, 0, 0x21ef) };

  it('pairs an echo reply with its request by id, as icmp_invert_tuple does', () => {
    const { table } = ctConfirm(CT_EMPTY, ctIn(CT_EMPTY, echo, 0, 1).entry!, 0);
    const r = ctIn(table, reply, 1 * S, 2);
    expect([r.ctstate, r.dir, r.entry!.expiresUs]).toEqual(['ESTABLISHED', 'reply', 31 * S]);
    expect(
      ctIn(table, { tuple: icmpTuple('10.0.0.2', '10.0.0.1', 0, 0, 7) }, 1 * S, 3).ctstate,
    ).toBe('INVALID');
  });

  it('cannot start a connection with a reply type', () => {
    expect(ctNew(reply.tuple, 0, 1)).toBeDefined();
    expect(ctIn(CT_EMPTY, reply, 0, 1).ctstate).toBe('INVALID');
    expect(ctNew(icmpTuple('10.0.0.2', '10.0.0.1', 9, 0, 0), 0, 1)).toBeUndefined();
  });

  it('makes an ICMP error RELATED to the flow it quotes, changing nothing', () => {
    const { table } = ctConfirm(CT_EMPTY, ctIn(CT_EMPTY, out, 0, 1).entry!, 0);
    const unreachable = { tuple: icmpTuple('10.0.0.2', '10.0.0.1', 3, 3, 0), quoted: out.tuple };
    const r = ctIn(table, unreachable, 5 * S, 2);
    expect([r.ctstate, r.dir, r.table]).toEqual(['RELATED', 'reply', table]);
    // The outer destination must be the one the flow expects back.
    expect(ctLookupRelated(table, out.tuple, '10.0.0.7', 5 * S)).toBeUndefined();
  });
});

describe('expiry', () => {
  it('lets ctExpire reap what has run out, and lookups skip it', () => {
    const { table } = ctConfirm(CT_EMPTY, ctIn(CT_EMPTY, out, 0, 1).entry!, 0);
    expect(ctLookup(table, out.tuple, 30 * S)).toBeUndefined();
    expect(ctLookup(table, out.tuple, 29.9 * S)).toBeDefined();
    const gc = ctExpire(table, 30 * S);
    expect([ctCount(gc.table), gc.expired.map((e) => e.id)]).toEqual([0, [1]]);
    // An expired entry's tuple is free for a new connection.
    expect(ctIn(table, out, 31 * S, 2)).toMatchObject({ created: true, ctstate: 'NEW' });
  });
});

describe('persistence', () => {
  function big(n: number): CtTable {
    let table: CtTable = CT_EMPTY;
    for (let i = 0; i < n; i++) {
      const p = udp(`10.1.${i >> 8}.${i & 255}`, 40000, '10.96.0.10', 53);
      table = ctConfirm(table, ctIn(table, p, 0, i + 1).entry!, 0).table;
    }
    return table;
  }
  const t1 = big(10_000);
  const extra = udp('10.2.0.1', 40000, '10.96.0.10', 53);
  const t2 = ctConfirm(t1, ctIn(t1, extra, 0, 10_001).entry!, 0).table;

  /** Branches of `after` that `before` does not have. */
  function fresh<V>(before: Hamt<V>, after: Hamt<V>): { total: number; fresh: number } {
    const old = new Set(hamtBranches(before));
    const all = [...hamtBranches(after)];
    return { total: all.length, fresh: all.filter((b) => !old.has(b)).length };
  }

  it('shares almost every bucket with the previous version after an insert', () => {
    // One trie path per inserted key, at most 7 branches each, out of hundreds:
    // two keys (both tuples) in byTuple, one in byId.
    const byTuple = fresh(t1.byTuple, t2.byTuple);
    const byId = fresh(t1.byId, t2.byId);
    expect(byTuple.total).toBeGreaterThan(600);
    expect(byTuple.fresh).toBeLessThanOrEqual(14);
    expect(byId.total).toBeGreaterThan(300);
    expect(byId.fresh).toBeLessThanOrEqual(7);
  });

  it('leaves the old version as it was', () => {
    expect([ctCount(t1), ctCount(t2)]).toEqual([10_000, 10_001]);
    expect(ctLookup(t1, extra.tuple)).toBeUndefined();
    expect(ctLookup(t2, extra.tuple)!.entry.id).toBe(10_001);
    const updated = ctIn(t2, extra, 1 * S, 0).table;
    expect(ctLookup(t2, extra.tuple)!.entry.expiresUs).toBe(30 * S);
    expect(ctLookup(updated, extra.tuple)!.entry.expiresUs).toBe(31 * S);
    // A packet of a known flow rewrites only the entry's path, not the tuple index.
    expect(updated.byTuple).toBe(t2.byTuple);
  });

  it('lists entries in id order', () => {
    expect(ctEntries(t2).map((e) => e.id)).toEqual(Array.from({ length: 10_001 }, (_, i) => i + 1));
  });
});
