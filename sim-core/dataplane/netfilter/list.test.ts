import { describe, expect, it } from 'vitest';
import { netfilterFixture } from '../../test/fixtures/netfilter/load.ts';
import { formatCount, iptablesList, type ListOptions } from './list.ts';
import { parseIptablesRestore } from './restore.ts';
import { ruleset } from './test-env.ts';
import type { TableName } from './tables.ts';

// Expected texts: real `iptables -t TABLE -L ...` after restoring the same file
// in a network namespace (fixtures/netfilter/capture.sh).
const FORMATS: readonly (readonly [string, ListOptions])[] = [
  ['vnx', { verbose: true, numeric: true, exact: true }],
  ['vn', { verbose: true, numeric: true }],
  ['n-lines', { numeric: true, lineNumbers: true }],
];

const CASES: readonly (readonly [string, readonly TableName[]])[] = [
  ['clusterip-ruleset', ['nat']],
  ['every-match', ['mangle', 'raw', 'filter', 'nat']],
  ['every-match-ipset', ['nat']],
  ['commands', ['filter']],
];

describe('iptablesList matches real iptables -L', () => {
  for (const [name, tables] of CASES) {
    const s = ruleset(netfilterFixture(`${name}.iptables-restore`));
    for (const table of tables) {
      it.each(FORMATS)(`${name} -t ${table} -L %s`, (suffix, opts) => {
        expect(iptablesList(s, table, opts)).toBe(
          netfilterFixture(`${name}.list-${table}-${suffix}.txt`),
        );
      });
    }
  }

  it('without -n: "anywhere", protocol and service names', () => {
    const s = ruleset(netfilterFixture('clusterip-ruleset.iptables-restore'));
    expect(iptablesList(s, 'nat')).toBe(netfilterFixture('clusterip-ruleset.list-nat-names.txt'));
  });

  it.each(['vn', 'vnx'])('counters of every size, -L -v -n%s', (suffix) => {
    const r = parseIptablesRestore(netfilterFixture('counters.iptables-restore'), {
      counters: true,
    });
    expect(r.ok).toBe(true);
    const opts = { verbose: true, numeric: true, exact: suffix === 'vnx' };
    if (r.ok)
      expect(iptablesList(r.ruleset, 'filter', opts)).toBe(
        netfilterFixture(`counters.list-filter-${suffix}.txt`),
      );
  });

  it('a table nobody restored lists its built-ins empty', () => {
    const s = ruleset(netfilterFixture('clusterip-ruleset.iptables-restore'));
    expect(iptablesList(s, 'raw', { numeric: true })).toBe(
      'Chain PREROUTING (policy ACCEPT)\ntarget     prot opt source               destination         \n\n' +
        'Chain OUTPUT (policy ACCEPT)\ntarget     prot opt source               destination         \n',
    );
  });
});

describe('formatCount (xtables_print_num)', () => {
  // Pairs read off counters.list-filter-vn.txt.
  it.each([
    [99999, '99999 '],
    [100000, ' 100K '],
    [100499, ' 100K '],
    [9999499, '9999K '],
    [10000000, '  10M '],
    [999999999, '1000M '],
    [9999999999, '  10G '],
    [12345678901234, '  12T '],
  ])('%i → %j', (n, want) => expect(formatCount(n, false)).toBe(want));
});
