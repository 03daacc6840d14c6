/**
 * `conntrack -L` formatting (libnetfilter_conntrack snprintf_default.c),
 * checked on the columns of real listings in the fixtures.
 */
import { describe, expect, it } from 'vitest';
import { ctFixtureLines } from '../../test/fixtures/conntrack/index.ts';
import {
  CT_EMPTY,
  ctConfirm,
  ctFormat,
  ctIn,
  ctList,
  ctListSummary,
  ctWithMark,
  genericTuple,
  IPS,
  portTuple,
  type CtEntry,
  type CtTuple,
} from './conntrack.ts';

const S = 1_000_000;
const listed = [
  ...ctFixtureLines('clusterip-result.txt').filter((l) => /^[a-z]+ +\d+ \d+ /.test(l)),
  ...ctFixtureLines('netns-conntrack-L.stdout'),
];

function confirmed(tuple: CtTuple = portTuple(17, '10.0.0.1', 1, '10.0.0.2', 2)): CtEntry {
  return ctConfirm(CT_EMPTY, ctIn(CT_EMPTY, { tuple }, 0, 1).entry!, 0).entry;
}

describe('conntrack -L format', () => {
  it('pads the protocol name to 8 columns ("%-8s %u ") as every real line does', () => {
    const heads = new Set(listed.map((l) => l.slice(0, l.indexOf(' ', 9))));
    expect([...heads].sort()).toEqual(['icmp     1', 'tcp      6', 'udp      17', 'unknown  2']);
    expect(ctFormat(confirmed(), 0).slice(0, 11)).toBe('udp      17');
    expect(ctFormat(confirmed(portTuple(136, '10.0.0.1', 1, '10.0.0.2', 2)), 0).slice(0, 12)).toBe(
      'udplite  136',
    );
    expect(ctFormat(confirmed(genericTuple(47, '10.0.0.1', '10.0.0.2')), 0).slice(0, 11)).toBe(
      'gre      47',
    );
  });

  it('prints whole seconds left, rounded down, and omits expired entries', () => {
    const e = confirmed();
    expect(
      ctFormat(e, 0.999 * S)
        .split(' ')
        .filter(Boolean)[2],
    ).toBe('29');
    const { table } = ctConfirm(CT_EMPTY, ctIn(CT_EMPTY, { tuple: e.original }, 0, 1).entry!, 0);
    expect(ctList(table, 29.5 * S)).toHaveLength(1);
    expect(ctList(table, 30 * S)).toEqual([]);
  });

  it('puts [UNREPLIED] after the original tuple and [ASSURED] after the reply, as real lines do', () => {
    for (const line of listed) {
      const unreplied = line.indexOf('[UNREPLIED]');
      if (unreplied >= 0) expect(line.indexOf('src=', unreplied)).toBe(unreplied + 12);
      if (line.includes('[ASSURED]')) expect(line).toMatch(/ \[ASSURED\] mark=0 use=1$/);
    }
  });

  it('shows [OFFLOAD] instead of [ASSURED], and the mark unsigned', () => {
    const e = ctWithMark(
      { ...confirmed(), status: IPS.CONFIRMED | IPS.SEEN_REPLY | IPS.ASSURED | IPS.OFFLOAD },
      -1,
    );
    expect(ctFormat(e, 0)).toMatch(/ \[OFFLOAD\] mark=4294967295 use=1$/);
  });

  it('ends with the summary conntrack-tools writes to stderr', () => {
    expect(ctFixtureLines('netns-conntrack-L.stderr')).toEqual([ctListSummary(7)]);
  });
});
