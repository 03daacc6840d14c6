import { describe, expect, it } from 'vitest';
import { netfilterFixture } from '../../test/fixtures/netfilter/load.ts';
import { pvecGet } from './pvec.ts';
import { parseIptablesRestore, type RestoreError } from './restore.ts';
import { getChain } from './ruleset.ts';
import { ruleset } from './test-env.ts';

function errors(text: string): readonly RestoreError[] {
  const r = parseIptablesRestore(text);
  if (r.ok) throw new Error('expected the input to be refused');
  return r.errors;
}

/** 1-based column of the first `token` on line `line` of `text`. */
const at = (text: string, line: number, token: string) =>
  text.split('\n')[line - 1].indexOf(token) + 1;

const filter = (...lines: string[]) => `*filter\n${lines.join('\n')}\nCOMMIT\n`;

describe('parseIptablesRestore', () => {
  it('reads the reference kube-proxy ruleset', () => {
    const s = ruleset(netfilterFixture('clusterip-ruleset.iptables-restore'));
    const t = s.tables.nat!;
    expect([...t.chainIndex.keys()]).toEqual([
      'PREROUTING',
      'INPUT',
      'OUTPUT',
      'POSTROUTING',
      'KUBE-MARK-MASQ',
      'KUBE-NODEPORTS',
      'KUBE-POSTROUTING',
      'KUBE-SEP-QA4PSDNF5R2OJOPA',
      'KUBE-SEP-TCD3IFXQZW3ZEZQU',
      'KUBE-SERVICES',
      'KUBE-SVC-CDGGSHYLG3RE2FKL',
    ]);
    const svc = getChain(t, 'KUBE-SVC-CDGGSHYLG3RE2FKL')!;
    expect(svc.rules[1].matches[1]).toEqual({
      module: 'statistic',
      mode: 'random',
      probability: 0x40000000,
      invert: false,
    });
    expect(svc.rules[0].src).toEqual({ addr: 0x0af40000, mask: 0xffff0000, invert: true });
    expect(pvecGet(svc.counters, 2)).toEqual({ packets: 0, bytes: 0 });
    expect(s.tables.filter).toBeUndefined();
  });

  it('reads quoted arguments like add_param_to_argv', () => {
    const s = ruleset(filter('-A INPUT -m comment --comment "two words" -j ACCEPT'));
    const input = getChain(s.tables.filter!, 'INPUT')!;
    expect(input.rules[0].matches[0]).toEqual({ module: 'comment', comment: 'two words' });
    // The closing quote ends the argument, so `x"y z"w` is "xy z" then a stray "w".
    const text = filter('-A INPUT -m comment --comment x"y z"w -j DROP');
    expect(errors(text)[0]).toEqual({
      line: 2,
      column: at(text, 2, 'w -j'),
      message: "Bad argument `w'",
    });
  });

  it('expands -s a,b into one rule per address, as iptables does', () => {
    const s = ruleset(filter('-A INPUT -s 10.0.0.1,10.0.0.2 -d 10.1.0.0/16,10.2.0.0/16 -j ACCEPT'));
    expect(getChain(s.tables.filter!, 'INPUT')!.rules).toHaveLength(4);
  });

  it('replaces each table it names and keeps the others of the base state', () => {
    const base = ruleset(netfilterFixture('every-match.iptables-restore'));
    const r = parseIptablesRestore(filter('-A INPUT -j DROP'), { base });
    expect(r.ok && r.ruleset.tables.nat).toBe(base.tables.nat);
    expect(r.ok && getChain(r.ruleset.tables.filter!, 'INPUT')!.rules).toHaveLength(1);
    expect(r.ok && r.ruleset.tables.filter!.chainIndex.has('KUBE-FIREWALL')).toBe(false);
  });

  it('with --noflush shares every chain it did not touch', () => {
    const base = ruleset(netfilterFixture('noflush-base.iptables-restore'));
    const r = parseIptablesRestore(netfilterFixture('noflush-update.iptables-restore'), {
      base,
      noflush: true,
    });
    if (!r.ok) throw new Error('refused');
    expect(r.ruleset.tables.nat).toBe(base.tables.nat);
    expect(getChain(r.ruleset.tables.filter!, 'KEEP')).toBe(getChain(base.tables.filter!, 'KEEP'));
    expect(getChain(r.ruleset.tables.filter!, 'REDO')).not.toBe(
      getChain(base.tables.filter!, 'REDO'),
    );
  });
});
