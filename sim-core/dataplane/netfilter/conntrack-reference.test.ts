/**
 * The reference run's `conntrack -L` lines (linux-reference README §4),
 * reproduced by feeding the captured packets through the model.
 * Fixtures: sim-core/test/fixtures/conntrack/.
 */
import { describe, expect, it } from 'vitest';
import {
  ctFixtureLines,
  ctFixtureRows,
  ctPacketOf,
  usOf,
} from '../../test/fixtures/conntrack/index.ts';
import {
  CT_EMPTY,
  ctConfirm,
  ctIn,
  ctList,
  ctListSummary,
  ctNatNullBinding,
  ctNatRewrite,
  ctNatSetup,
  ctNew,
  genericTuple,
  type CtEntry,
  type CtState,
  type CtTable,
  type NatRange,
} from './conntrack.ts';

const S = 1_000_000;
const CNI0_MAC = '0a:58:0a:f4:00:01';
const result = ctFixtureLines('clusterip-result.txt');
/** The listing that follows a `### kwr-node1: conntrack -L (<title>)` heading. */
function listing(title: string): string[] {
  const at = result.findIndex((l) => l.includes(`conntrack -L (${title})`));
  const out: string[] = [];
  for (let i = at + 2; i < result.length && result[i] !== ''; i++) out.push(result[i]);
  return out;
}
const noRandom = () => {
  throw new Error('no random choice expected here');
};

/** A node running kube-proxy's rules for one connection: DNAT at PREROUTING, confirm at POSTROUTING. */
function node(dnat: NatRange, masquerade?: { addr: string; random: () => number }) {
  let table: CtTable = CT_EMPTY;
  let entry: CtEntry | undefined;
  const states: CtState[] = [];
  return {
    packet(row: Record<string, string>, nowUs: number) {
      const r = ctIn(table, ctPacketOf(row), nowUs, 1);
      states.push(r.ctstate);
      entry = r.entry;
      table = r.table;
      if (!r.created || entry === undefined) return r;
      // PREROUTING nat: KUBE-SEP's DNAT. POSTROUTING nat: MASQUERADE, or a null binding.
      ({ table, entry } = ctNatSetup(table, entry, dnat, 'DST', nowUs, noRandom));
      const range = masquerade && { minAddr: masquerade.addr, randomFully: true };
      ({ table, entry } = range
        ? ctNatSetup(table, entry, range, 'SRC', nowUs, masquerade!.random)
        : ctNatNullBinding(table, entry, 'SRC', nowUs, noRandom));
      const c = ctConfirm(table, entry, nowUs);
      expect(c.verdict).toBe('accept');
      ({ table, entry } = c);
      return { ...r, entry };
    },
    get table() {
      return table;
    },
    get entry() {
      return entry!;
    },
    states,
  };
}

const tcpRows = (file: string) => ctFixtureRows(file).filter((r) => r['tcp.srcport'] !== undefined);

describe('4a: client → ClusterIP 10.96.0.50:80, DNAT to 10.244.0.2:8080', () => {
  const client = tcpRows('clusterip-client.fields.tsv');
  const endpoint = tcpRows('clusterip-vethA.fields.tsv');
  /** The endpoint's segment as it left the endpoint (vethA), before conntrack un-DNATs it. */
  const asSent = (row: Record<string, string>) =>
    row['ip.src'] === '10.244.0.4'
      ? row
      : endpoint.find(
          (v) =>
            v['ip.src'] === '10.244.0.2' &&
            v['tcp.seq_raw'] === row['tcp.seq_raw'] &&
            v['tcp.ack_raw'] === row['tcp.ack_raw'],
        )!;

  function run() {
    const n = node({ minAddr: '10.244.0.2', minPort: 8080 });
    const rewrites = client.map((row) => {
      const r = n.packet(asSent(row), usOf(row['frame.time_relative']));
      return { row, rewrite: ctNatRewrite(r.entry!, r.dir) };
    });
    return { n, rewrites, lastUs: usOf(client.at(-1)!['frame.time_relative']) };
  }

  it('prints the reference TIME_WAIT line 3 s after the last ACK', () => {
    const { n, lastUs } = run();
    expect(ctList(n.table, lastUs + 3 * S)).toEqual([
      listing('right after the single connection of 4a')[0],
    ]);
  });

  it('classifies the SYN as NEW and every later segment as ESTABLISHED', () => {
    const { n } = run();
    expect(n.states).toEqual(['NEW', ...Array(client.length - 1).fill('ESTABLISHED')]);
  });

  it('rewrites each direction as the captures on both sides show', () => {
    for (const { row, rewrite } of run().rewrites) {
      if (row['ip.src'] === '10.244.0.4') {
        // The DNATed segment reaches the endpoint as vethA shows it.
        expect(rewrite).toEqual({ dst: { addr: '10.244.0.2', port: 8080 } });
      } else {
        // Replies are un-DNATed: the client sees them come from the VIP.
        expect(rewrite.src).toEqual({ addr: row['ip.src'], port: Number(row['tcp.srcport']) });
        expect(rewrite.dst).toBeUndefined();
      }
    }
  });

  it('formats the IGMP report entry of the generic tracker (600 s) like the reference', () => {
    // cni0's IGMPv3 report, sent from the node itself (OUTPUT) before the captures.
    const e = ctNew(genericTuple(2, '10.244.0.1', '224.0.0.22'), 0, 2)!;
    const r = ctIn(CT_EMPTY, { tuple: e.original }, 0, 2);
    const { table } = ctConfirm(r.table, r.entry!, 0);
    expect(ctList(table, 6 * S)).toEqual([listing('right after the single connection of 4a')[1]]);
    expect(result[result.indexOf(listing('right after the single connection of 4a')[0]) - 1]).toBe(
      ctListSummary(2),
    );
  });
});

describe('4b: bridge-nf-call-iptables=0, the SYN-ACK never passes netfilter', () => {
  // Only what the client sends to cni0's MAC is routed, and so tracked; the
  // SYN-ACKs and RSTs go pod to pod over the bridge.
  const routed = tcpRows('clusterip-no-brnf-client.fields.tsv').filter(
    (r) => r['eth.dst'] === CNI0_MAC,
  );

  function run() {
    const n = node({ minAddr: '10.244.0.2', minPort: 8080 });
    for (const row of routed) n.packet(row, usOf(row['frame.time_relative']));
    return n;
  }

  it('tracks the SYN and its two retransmissions, all NEW', () => {
    expect(routed.map((r) => r['frame.time_relative'])).toEqual([
      '0.000049000',
      '1.013841000',
      '2.037862000',
    ]);
    expect(run().states).toEqual(['NEW', 'NEW', 'NEW']);
  });

  it('prints the reference SYN_SENT [UNREPLIED] line at 115 s left', () => {
    // The retransmissions do not renew the 120 s, so 115 means 4–5 s after
    // the first SYN: nc gave up at 3 s, then the script waited 1.2 s for the
    // captures before dumping.
    const firstUs = usOf(routed[0]['frame.time_relative']);
    const n = run();
    expect(n.entry.expiresUs).toBe(firstUs + 120 * S);
    expect(ctList(n.table, firstUs + 4.5 * S)).toEqual(listing('after 4b'));
  });
});

describe('4c: hairpin on, DNAT picks the client itself, MASQUERADE --random-fully', () => {
  const rows = tcpRows('clusterip-hairpin-on-poda.fields.tsv').filter(
    (r) => Number(r['frame.number']) >= 71 && Number(r['frame.number']) <= 86,
  );
  // Pod A's own segments go to cni0's MAC and through conntrack; what comes
  // back to it (src MAC = dst MAC = its own) is their NATed result.
  const sent = rows.filter((r) => r['eth.dst'] === CNI0_MAC);
  const received = rows.filter((r) => r['eth.dst'] !== CNI0_MAC);
  // get_random_u16 is random per run: this draw gives the run's port 60021.
  const draw = () => (60021 - 1024) / 65536;

  function run() {
    const n = node({ minAddr: '10.244.0.2', minPort: 8080 }, { addr: '10.244.0.1', random: draw });
    const out = sent.map((row) => {
      const r = n.packet(row, usOf(row['frame.time_relative']));
      return ctNatRewrite(r.entry!, r.dir);
    });
    return { n, out };
  }

  it('rewrites every segment into the one pod A receives next', () => {
    const { out } = run();
    out.forEach((rw, i) => {
      const got = received[i];
      // Both manips apply in both directions: DNAT + SNAT, or un-SNAT + un-DNAT.
      expect([rw.src?.addr, rw.src?.port, rw.dst?.addr, rw.dst?.port]).toEqual([
        got['ip.src'],
        Number(got['tcp.srcport']),
        got['ip.dst'],
        Number(got['tcp.dstport']),
      ]);
    });
  });

  it('prints the reference hairpin line', () => {
    const { n } = run();
    const lastUs = usOf(sent.at(-1)!['frame.time_relative']);
    expect(ctList(n.table, lastUs + 1.5 * S)).toEqual([listing('after 4c hairpin=on').at(-1)]);
  });
});
