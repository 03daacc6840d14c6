/**
 * The TCP tracker against net/netfilter/nf_conntrack_proto_tcp.c: the
 * transition table cell for cell, the timeouts, and the special cases of
 * nf_conntrack_tcp_packet.
 */
import { describe, expect, it } from 'vitest';
import { ctFixtureLines } from '../../test/fixtures/conntrack/index.ts';
import {
  CT_EMPTY,
  ctConfirm,
  ctHasStatus,
  ctIn,
  ctLookup,
  IPS,
  portTuple,
  TCP_CONNTRACKS,
  TCP_STATES,
  TCP_TIMEOUT_US,
  tcpFlagClass,
  tcpTransition,
  TCPHDR,
  type CtInResult,
  type CtTable,
  type TcpCtState,
  type TcpTransition,
} from './conntrack.ts';

const S = 1_000_000;
const { SYN, ACK, FIN, RST, PSH, URG } = TCPHDR;

describe('tcp_conntracks', () => {
  it('is the kernel table, cell for cell', () => {
    const names: Record<string, TcpTransition> = { sIV: 'INVALID', sIG: 'IGNORE' };
    ['sNO', 'sSS', 'sSR', 'sES', 'sFW', 'sCW', 'sLA', 'sTW', 'sCL', 'sS2'].forEach((n, i) => {
      names[n] = TCP_STATES[i];
    });
    const rows = ctFixtureLines('tcp_conntracks.txt')
      .filter((l) => l.includes('{'))
      .map((l) =>
        l
          .slice(l.indexOf('{') + 1, l.indexOf('}'))
          .split(',')
          .map((c) => names[c.trim()]),
      );
    expect(rows).toHaveLength(12);
    expect(TCP_CONNTRACKS.flat()).toEqual(rows);
  });

  const cells: [0 | 1, number, TcpCtState, TcpTransition, string][] = [
    // [dir, flags, from, to, the kernel's comment]
    [0, SYN, 'NONE', 'SYN_SENT', 'Initialize a new connection'],
    [0, ACK, 'NONE', 'ESTABLISHED', 'Assumed (a connection picked up mid-stream)'],
    [0, ACK, 'SYN_SENT', 'INVALID', "ACK is invalid: we haven't seen a SYN/ACK yet"],
    [0, SYN, 'TIME_WAIT', 'SYN_SENT', 'Reopened connection (RFC 1122)'],
    [0, SYN | ACK, 'SYN_RECV', 'SYN_RECV', 'Late retransmitted SYN/ACK in simultaneous open'],
    [0, ACK, 'LAST_ACK', 'TIME_WAIT', 'Last ACK detected'],
    [1, SYN | ACK, 'SYN_SENT', 'SYN_RECV', 'Standard open'],
    [1, SYN, 'SYN_SENT', 'SYN_SENT2', 'Simultaneous open'],
    [1, SYN, 'TIME_WAIT', 'SYN_SENT', 'Reopened connection, but server may have switched role'],
    [1, ACK, 'SYN_SENT', 'IGNORE', 'Might be a half-open connection'],
    [1, SYN | ACK, 'ESTABLISHED', 'IGNORE', 'Late retransmitted SYN/ACK?'],
    [1, FIN | ACK, 'FIN_WAIT', 'LAST_ACK', 'FIN seen in both directions'],
    [1, RST | ACK, 'ESTABLISHED', 'CLOSE', 'rst'],
    [0, PSH, 'ESTABLISHED', 'INVALID', 'none: no SYN, FIN, ACK or RST'],
  ];
  it.each(cells)('dir %i flags %i: %s → %s (%s)', (dir, flags, from, to) => {
    expect(tcpTransition(dir, tcpFlagClass(flags), from)).toBe(to);
  });

  it('has the nf_conntrack_tcp_timeout_* defaults', () => {
    expect(TCP_TIMEOUT_US).toMatchObject({
      SYN_SENT: 120 * S,
      SYN_RECV: 60 * S,
      ESTABLISHED: 432000 * S,
      FIN_WAIT: 120 * S,
      CLOSE_WAIT: 60 * S,
      LAST_ACK: 30 * S,
      TIME_WAIT: 120 * S,
      CLOSE: 10 * S,
      SYN_SENT2: 120 * S,
      RETRANS: 300 * S,
      UNACK: 300 * S,
    });
  });
});

/** A client 10.0.0.1:40000 and a server 10.0.0.2:80 with conntrack between them. */
function wire() {
  let table: CtTable = CT_EMPTY;
  let nextId = 1;
  const seq = { c: 1000, s: 5000 };
  const send = (from: 'c' | 's', flags: number, atS: number, len = 0, window = 502): CtInResult => {
    const other = from === 'c' ? 's' : 'c';
    const tuple =
      from === 'c'
        ? portTuple(6, '10.0.0.1', 40000, '10.0.0.2', 80)
        : portTuple(6, '10.0.0.2', 80, '10.0.0.1', 40000);
    const tcp = {
      flags,
      seq: seq[from],
      ack: flags & ACK ? seq[other] : 0,
      payloadLen: len,
      window,
    };
    seq[from] += len + (flags & SYN ? 1 : 0) + (flags & FIN ? 1 : 0);
    const r = ctIn(table, { tuple, tcp }, atS * S, nextId);
    table = r.table;
    if (r.created) {
      nextId++;
      table = ctConfirm(table, r.entry!, atS * S).table;
    }
    return r;
  };
  const entry = () => ctLookup(table, portTuple(6, '10.0.0.1', 40000, '10.0.0.2', 80))?.entry;
  const tcp = () => {
    const p = entry()?.proto;
    return p?.kind === 'tcp' ? p.tcp : undefined;
  };
  const left = (atS: number) => (entry()!.expiresUs - atS * S) / S;
  return { send, entry, tcp, left, rewind: (from: 'c' | 's', n: number) => (seq[from] -= n) };
}

describe('nf_conntrack_tcp_packet', () => {
  it('sets ASSURED on the ACK that completes the handshake, not before', () => {
    const w = wire();
    w.send('c', SYN, 0);
    expect([w.tcp()!.state, w.left(0)]).toEqual(['SYN_SENT', 120]);
    w.send('s', SYN | ACK, 0);
    expect([w.tcp()!.state, w.left(0), ctHasStatus(w.entry()!, IPS.ASSURED)]).toEqual([
      'SYN_RECV',
      60,
      false,
    ]);
    expect(ctHasStatus(w.entry()!, IPS.SEEN_REPLY)).toBe(true);
    w.send('c', ACK, 0);
    expect([w.tcp()!.state, w.left(0), ctHasStatus(w.entry()!, IPS.ASSURED)]).toEqual([
      'ESTABLISHED',
      432000,
      true,
    ]);
  });

  it('keeps 300 s while data is unacknowledged, five days once acked', () => {
    const w = wire();
    w.send('c', SYN, 0);
    w.send('s', SYN | ACK, 0);
    w.send('c', ACK, 0);
    w.send('c', PSH | ACK, 1, 100);
    expect(w.left(1)).toBe(300);
    w.send('s', ACK, 1);
    expect(w.left(1)).toBe(432000);
  });

  it('drops to 300 s after tcp_max_retrans (3) retransmissions of the same segment', () => {
    const w = wire();
    w.send('c', SYN, 0);
    w.send('s', SYN | ACK, 0);
    w.send('c', ACK, 0);
    w.send('s', ACK, 0);
    for (let i = 1; i <= 3; i++) {
      w.send('s', ACK, i);
      expect(w.left(i)).toBe(i < 3 ? 432000 : 300);
    }
  });

  it('does not renew SYN_SENT on a retransmitted SYN', () => {
    const w = wire();
    w.send('c', SYN, 0);
    w.rewind('c', 1);
    expect(w.send('c', SYN, 1).ctstate).toBe('NEW');
    expect(w.left(1)).toBe(119);
  });

  it('deletes the entry when the only reply is a RST', () => {
    const w = wire();
    w.send('c', SYN, 0);
    const r = w.send('s', RST | ACK, 0);
    expect([r.ctstate, ctHasStatus(r.entry!, IPS.DYING), w.entry()]).toEqual([
      'ESTABLISHED',
      true,
      undefined,
    ]);
  });

  it('closes: FIN_WAIT, LAST_ACK, TIME_WAIT, each with its timeout', () => {
    const w = wire();
    w.send('c', SYN, 0);
    w.send('s', SYN | ACK, 0);
    w.send('c', ACK, 0);
    w.send('c', FIN | ACK, 1);
    expect([w.tcp()!.state, w.left(1)]).toEqual(['FIN_WAIT', 120]);
    w.send('s', ACK, 1);
    expect([w.tcp()!.state, w.left(1)]).toEqual(['CLOSE_WAIT', 60]);
    w.send('s', FIN | ACK, 2);
    expect([w.tcp()!.state, w.left(2)]).toEqual(['LAST_ACK', 30]);
    w.send('c', ACK, 2);
    expect([w.tcp()!.state, w.left(2)]).toEqual(['TIME_WAIT', 120]);
  });

  it('reopens a TIME_WAIT tuple with a new SYN: the old entry goes, a new one starts', () => {
    const w = wire();
    w.send('c', SYN, 0);
    w.send('s', SYN | ACK, 0);
    w.send('c', ACK, 0);
    w.send('c', FIN | ACK, 0);
    w.send('s', FIN | ACK, 0);
    w.send('c', ACK, 0);
    const old = w.entry()!;
    const r = w.send('c', SYN, 5);
    expect([r.created, r.ctstate, w.entry()!.id === old.id, w.tcp()!.state]).toEqual([
      true,
      'NEW',
      false,
      'SYN_SENT',
    ]);
  });

  it('picks up a connection mid-stream, with at most 300 s until it is answered', () => {
    const w = wire();
    const r = w.send('c', ACK, 0, 10);
    expect([r.created, r.ctstate, w.tcp()!.state, w.left(0)]).toEqual([
      true,
      'NEW',
      'ESTABLISHED',
      300,
    ]);
    w.send('s', ACK, 0);
    expect(ctHasStatus(w.entry()!, IPS.ASSURED)).toBe(false);
    w.send('c', ACK, 0);
    expect([ctHasStatus(w.entry()!, IPS.ASSURED), w.left(0)]).toEqual([true, 432000]);
  });

  it('ignores a reply ACK in SYN_SENT: no state change, no refresh', () => {
    const w = wire();
    w.send('c', SYN, 0);
    const r = w.send('s', ACK, 10);
    expect([r.ctstate, w.tcp()!.state, w.left(10)]).toEqual(['ESTABLISHED', 'SYN_SENT', 110]);
    expect(r.note).toBe('packet (index 3) in dir 1 ignored, state SYN_SENT');
  });

  it('marks impossible segments INVALID and leaves the entry alone', () => {
    const w = wire();
    expect(w.send('c', SYN | FIN, 0).ctstate).toBe('INVALID');
    expect(w.entry()).toBeUndefined();
    w.send('c', SYN, 0);
    const r = w.send('c', ACK | URG, 1);
    expect([r.ctstate, r.entry, w.tcp()!.state, w.left(1)]).toEqual([
      'INVALID',
      undefined,
      'SYN_SENT',
      119,
    ]);
  });

  it('tracks a simultaneous open through SYN_SENT2', () => {
    const w = wire();
    w.send('c', SYN, 0);
    w.send('s', SYN, 0);
    expect(w.tcp()!.state).toBe('SYN_SENT2');
    w.send('c', SYN | ACK, 0);
    expect(w.tcp()!.state).toBe('SYN_RECV');
    w.send('s', ACK, 0);
    expect(w.tcp()!.state).toBe('ESTABLISHED');
  });
});
