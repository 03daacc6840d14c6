/**
 * `-m ipvs` parsed and printed as iptables does, stated from iptables'
 * own extension test extensions/libxt_ipvs.t (each line: the rule as
 * given; what iptables-save prints back, "=" for the same). This machine's
 * iptables-restore refuses ipvs rules (no xt_ipvs in its kernel: "Extension
 * ipvs revision 0 not supported, missing kernel module?"), so the live
 * round trip is not possible here.
 */
import { describe, expect, it } from 'vitest';
import { iptablesSave, parseIptablesRestore } from './index.ts';

function roundTrip(rule: string): string | undefined {
  const r = parseIptablesRestore(`*filter\n-A INPUT ${rule}\nCOMMIT\n`);
  if (!r.ok) return undefined;
  return iptablesSave(r.ruleset)
    .split('\n')
    .find((l) => l.startsWith('-A INPUT '))!
    .slice('-A INPUT '.length);
}

describe('libxt_ipvs.t', () => {
  it.each([
    ['-m ipvs --ipvs', '='],
    ['-m ipvs ! --ipvs', '='],
    ['-m ipvs --vproto tcp', '-m ipvs --vproto 6'],
    ['-m ipvs ! --vproto TCP', '-m ipvs ! --vproto 6'],
    ['-m ipvs --vproto 23', '='],
    ['-m ipvs --vaddr 1.2.3.4', '='],
    ['-m ipvs ! --vaddr 1.2.3.4/255.255.255.0', '-m ipvs ! --vaddr 1.2.3.4/24'],
    ['-m ipvs --vport http', '-m ipvs --vport 80'],
    ['-m ipvs ! --vport ssh', '-m ipvs ! --vport 22'],
    ['-m ipvs --vport 22', '='],
    ['-m ipvs ! --vport 443', '='],
    ['-m ipvs --vdir ORIGINAL', '='],
    ['-m ipvs --vdir REPLY', '='],
    ['-m ipvs --vmethod GATE', '='],
    ['-m ipvs ! --vmethod IPIP', '='],
    ['-m ipvs --vmethod MASQ', '='],
    ['-m ipvs --vportctl 21', '='],
    ['-m ipvs ! --vportctl 21', '='],
    ['-m ipvs --vproto 6 --vaddr 1.2.3.4/16 --vport 22 --vdir ORIGINAL --vmethod GATE', '='],
  ])('%s → %s', (rule, saved) => {
    expect(roundTrip(rule)).toBe(saved === '=' ? rule : saved);
  });

  it('-m ipvs alone fails ("At least one option is required"), as libxt_ipvs.t says', () => {
    expect(roundTrip('-m ipvs')).toBeUndefined();
  });

  it('loads kube-proxy’s KUBE-IPVS-OUT-FILTER rule (iptables-rules.ts lbNoNodeAccess)', () => {
    const rule = '-s 203.0.113.7/32 -m ipvs --vaddr 203.0.113.7 --vproto tcp --vport 80 -j DROP';
    expect(roundTrip(rule)).toBe(
      '-s 203.0.113.7/32 -m ipvs --vproto 6 --vaddr 203.0.113.7 --vport 80 -j DROP',
    );
  });
});
