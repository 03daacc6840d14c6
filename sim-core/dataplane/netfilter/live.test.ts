/**
 * Our printers and parser against the machine's own iptables: each fixture is
 * restored into a fresh network namespace with the real iptables-restore and
 * read back with the real iptables-save and iptables -L. Root only; skipped,
 * with the reason printed, where that is not possible.
 */
import { describe, expect, it } from 'vitest';
import { netfilterFixture } from '../../test/fixtures/netfilter/load.ts';
import { iptablesList } from './list.ts';
import { parseIptablesRestore } from './restore.ts';
import { iptablesSave } from './save.ts';
import { ruleset } from './test-env.ts';
import type { TableName } from './tables.ts';
import { has, inNetns, netnsSkipReason } from '../../test/netns.ts';

const reason = netnsSkipReason(['iptables']);
if (reason) console.warn(`netfilter live tests skipped: ${reason}`);
const ipsetReason = reason ?? (has('ipset') ? undefined : 'ipset is not installed');
if (!reason && ipsetReason) console.warn(`netfilter live ipset test skipped: ${ipsetReason}`);

const stripComments = (text: string) => text.replace(/^#.*\n/gm, '');
const LIST_FLAGS: readonly (readonly string[])[] = [
  ['-v', '-n', '-x'],
  ['-v', '-n'],
  ['-n', '--line-numbers'],
];
const listOpts = (flags: readonly string[]) => ({
  verbose: flags.includes('-v'),
  numeric: flags.includes('-n'),
  exact: flags.includes('-x'),
  lineNumbers: flags.includes('--line-numbers'),
});

function compareRestored(name: string, setup: readonly string[][] = []): void {
  const text = netfilterFixture(`${name}.iptables-restore`);
  const ours = ruleset(text);
  inNetns('kwtest', (exec) => {
    for (const cmd of setup) expect(exec(cmd).status).toBe(0);
    const restore = exec(['iptables-restore'], text);
    expect(restore.stderr).toBe('');
    expect(iptablesSave(ours)).toBe(stripComments(exec(['iptables-save']).stdout));
    for (const table of Object.keys(ours.tables) as TableName[]) {
      for (const flags of LIST_FLAGS) {
        const real = exec(['iptables', '-t', table, '-L', ...flags]).stdout;
        expect(iptablesList(ours, table, listOpts(flags)), `${table} -L ${flags.join(' ')}`).toBe(
          real,
        );
      }
    }
  });
}

describe.skipIf(reason !== undefined)(
  `against the real iptables${reason ? ` (skipped: ${reason})` : ''}`,
  () => {
    it.each(['clusterip-ruleset', 'every-match', 'commands'])(
      '%s: iptables-save and iptables -L',
      (name) => {
        compareRestored(name);
      },
    );

    it.skipIf(ipsetReason !== undefined)('every-match-ipset, with its sets created', () => {
      compareRestored('every-match-ipset', [
        ['ipset', 'create', 'KUBE-CLUSTER-IP', 'hash:ip,port'],
        ['ipset', 'create', 'KUBE-LOOP-BACK', 'hash:ip,port,ip'],
        ['ipset', 'create', 'KUBE-NODE-PORT-TCP', 'bitmap:port', 'range', '0-65535'],
      ]);
    });

    it('--noflush on top of an earlier restore', () => {
      const base = ruleset(netfilterFixture('noflush-base.iptables-restore'));
      const update = netfilterFixture('noflush-update.iptables-restore');
      const ours = parseIptablesRestore(update, { base, noflush: true });
      inNetns('kwtest', (exec) => {
        exec(['iptables-restore'], netfilterFixture('noflush-base.iptables-restore'));
        expect(exec(['iptables-restore', '--noflush'], update).stderr).toBe('');
        expect(ours.ok && iptablesSave(ours.ruleset)).toBe(
          stripComments(exec(['iptables-save']).stdout),
        );
      });
    });

    it('--counters, then iptables-save -c and iptables -L -v', () => {
      const text = netfilterFixture('counters.iptables-restore');
      const ours = parseIptablesRestore(text, { counters: true });
      if (!ours.ok) throw new Error('refused');
      inNetns('kwtest', (exec) => {
        exec(['iptables-restore', '--counters'], text);
        expect(iptablesSave(ours.ruleset, { counters: true })).toBe(
          stripComments(exec(['iptables-save', '-c']).stdout),
        );
        const real = exec(['iptables', '-L', '-v', '-n']).stdout;
        expect(iptablesList(ours.ruleset, 'filter', { verbose: true, numeric: true })).toBe(real);
      });
    });

    // Lines iptables-restore refuses while parsing: same line, our message within its stderr.
    it.each([
      '-A INPUT -p tcp --dprt 80 -j ACCEPT',
      '-A INPUT -s 10.0.0.300 -j ACCEPT',
      '-A INPUT -p tcp --dport 5:3 -j ACCEPT',
      '-A INPUT -m statistic --mode nth --every 2 -j ACCEPT',
      '-A INPUT -m recent --rcheck --set -j ACCEPT',
      '-A INPUT -j REJECT --reject-with icmp-echo-reply',
      '-A INPUT -p udp -m multiport --dports 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16 -j ACCEPT',
    ])('refuses "%s" as iptables-restore does', (line) => {
      const text = `*filter\n:INPUT ACCEPT [0:0]\n${line}\nCOMMIT\n`;
      const ours = parseIptablesRestore(text);
      expect(ours.ok).toBe(false);
      if (ours.ok) return;
      inNetns('kwtest', (exec) => {
        const real = exec(['iptables-restore'], text);
        expect(real.status).not.toBe(0);
        expect(real.stderr).toContain(ours.errors[0].message);
        expect(real.stderr).toContain(`line: ${ours.errors[0].line}`);
      });
    });
  },
);
