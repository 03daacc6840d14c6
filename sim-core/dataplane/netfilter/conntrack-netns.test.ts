/**
 * Replays of traffic made in two network namespaces on this machine's kernel
 * (sim-core/test/fixtures/conntrack/README.md): the captured packets go
 * through the model and must leave the table `conntrack -L` showed.
 */
import { describe, expect, it } from 'vitest';
import {
  ctFixtureLines,
  ctFixtureRows,
  ctFixtureText,
  ctPacketOf,
  usOf,
} from '../../test/fixtures/conntrack/index.ts';
import { createRng } from '../../engine/rng.ts';
import {
  CT_EMPTY,
  ctConfirm,
  ctFormat,
  ctIn,
  ctList,
  ctListSummary,
  ctLookup,
  ctNatNullBinding,
  ctNatSetup,
  portTuple,
  type CtState,
  type CtTable,
  type NatRange,
} from './conntrack.ts';

describe('netns-conntrack.sh: ping, UDP, TCP without NAT', () => {
  const rows = ctFixtureRows('netns-packets.tsv');
  const listedUs = usOf(ctFixtureText('netns-conntrack-L.time').trim());

  function replay() {
    let table: CtTable = CT_EMPTY;
    const states: CtState[] = [];
    rows.forEach((row, i) => {
      const nowUs = usOf(row['frame.time_epoch']);
      const r = ctIn(table, ctPacketOf(row), nowUs, i + 1);
      states.push(r.ctstate);
      table = r.table;
      // ctx-a has no NAT; its packets leave (or arrive) untouched, confirming new entries.
      if (r.created) table = ctConfirm(table, r.entry!, nowUs).table;
    });
    return { table, states };
  }

  it('lists what conntrack -L listed', () => {
    const ours = ctList(replay().table, listedUs);
    expect([...ours].sort()).toEqual([...ctFixtureLines('netns-conntrack-L.stdout')].sort());
    expect(ctListSummary(ours.length)).toBe(ctFixtureText('netns-conntrack-L.stderr').trim());
  });

  it('classifies each packet', () => {
    const { states } = replay();
    const by = (i: number) => `${rows[i]['ip.src']} ${rows[i]['ip.proto']} ${states[i]}`;
    // The port-unreachable quoting 10.99.0.1:40000 → 10.99.0.2:5555 is RELATED.
    expect(by(3)).toBe('10.99.0.2,10.99.0.1 1,17 RELATED');
    // The first packet of each flow is NEW; its answer ESTABLISHED.
    expect([by(0), by(1)]).toEqual(['10.99.0.1 1 NEW', '10.99.0.2 1 ESTABLISHED']);
    // The SYN retransmissions to the dropping port stay NEW.
    expect(states.slice(-3)).toEqual(['NEW', 'NEW', 'NEW']);
  });
});

describe('netns-snat.sh: SNAT to an address range, and port clashes', () => {
  const sent = ctFixtureLines('netns-snat-sent.txt').map((l) => l.split(' '));
  const listed = ctFixtureLines('netns-snat-conntrack-L.stdout');
  const RANGE = { minAddr: '10.99.1.1', maxAddr: '10.99.1.10' };
  /** netns-snat-rules.txt, by destination. */
  function rule(dst: string): NatRange {
    const last = Number(dst.split('.')[3]);
    if (last < 24) return RANGE;
    if (last < 28) return { ...RANGE, persistent: true };
    return { minAddr: '10.99.1.100' };
  }

  function replay() {
    let table: CtTable = CT_EMPTY;
    const rng = createRng(7);
    const random = () => rng.float();
    sent.forEach(([src, sport, dst], i) => {
      const tuple = portTuple(17, src, Number(sport), dst, 7000);
      const r = ctIn(table, { tuple }, 0, i + 1);
      let entry = r.entry!;
      // OUTPUT: no DNAT rule, a null binding. POSTROUTING: the SNAT rule.
      ({ table, entry } = ctNatNullBinding(r.table, entry, 'DST', 0, random));
      ({ table, entry } = ctNatSetup(table, entry, rule(dst), 'SRC', 0, random));
      table = ctConfirm(table, entry, 0).table;
    });
    return table;
  }

  /**
   * A line without its timeout (which depends on when each datagram left),
   * and with a moved source port as `<moved>`: the new port is random.
   */
  function normal(line: string): string {
    const sport = /sport=(\d+)/.exec(line)![1];
    return line
      .replace(/^(\S+\s+\d+) \d+ /, '$1 ')
      .replace(/(dst=10\.99\.1\.\d+ sport=7000) dport=(\d+)/, (m, head: string, port: string) =>
        port === sport ? m : `${head} dport=<moved>`,
      );
  }

  it('maps every source to the address Linux chose, and moves the same ports', () => {
    // Sources reusing port 40000 keep their first mapping (find_appropriate_src);
    // a first mapping comes from jhash2; a tuple already mapped (the
    // 10.99.0.1 and 10.99.0.14 flows meet on 10.99.1.2:41001, for one) moves.
    const ours = ctList(replay(), 0).map(normal).sort();
    expect(ours).toEqual(listed.map(normal).sort());
    expect(ours.filter((l) => l.includes('<moved>')).length).toBeGreaterThan(3);
  });

  it('moves a clashing source port within its class: 1–511, 600–1023, 1024–65535', () => {
    const table = replay();
    const classes: [number, number, number][] = [
      [500, 1, 511],
      [700, 600, 1023],
      [5000, 1024, 65535],
    ];
    for (const [sport, lo, hi] of classes) {
      const ours = ctLookup(table, portTuple(17, '10.99.0.12', sport, '10.99.0.28', 7000))!.entry;
      const linux = listed.find((l) =>
        l.includes(`src=10.99.0.12 dst=10.99.0.28 sport=${sport} `),
      )!;
      for (const line of [ctFormat(ours, 0), linux]) {
        const port = Number(/dst=10\.99\.1\.100 sport=7000 dport=(\d+)/.exec(line)![1]);
        expect(port).toBeGreaterThanOrEqual(lo);
        expect(port).toBeLessThanOrEqual(hi);
        expect(port).not.toBe(sport);
      }
    }
  });
});
