/**
 * The reference node ruleset the ClusterIP scenarios load
 * (sim-core/test/fixtures/clusterip/clusterip-ruleset.iptables-restore, a
 * kube-proxy-like nat table for default/web:http, 10.96.0.50:80 → 10.244.0.2
 * and 10.244.0.3 on port 8080, pods in 10.244.0.0/16): our sync for the same
 * Service writes the same service, endpoint and masquerade chains, rule for
 * rule, once both are in iptables-save's canonical form.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { iptablesSave, parseIptablesRestore } from '../../../dataplane/netfilter/index.ts';
import { nodeRuleset } from './node-ruleset.ts';
import { ep, makeTestEndpointSlice, makeTestService } from './test-objects.ts';

const fixture = readFileSync(
  fileURLToPath(
    new URL('../../../test/fixtures/clusterip/clusterip-ruleset.iptables-restore', import.meta.url),
  ),
  'utf8',
);

function saved(text: string): string[] {
  const r = parseIptablesRestore(text);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return iptablesSave(r.ruleset, { tables: ['nat'] }).split('\n');
}

describe('the reference ClusterIP ruleset', () => {
  const ours = saved(
    nodeRuleset({
      services: [
        makeTestService('default', 'web', (s) => {
          s.clusterIP = '10.96.0.50';
          s.ports = [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }];
        }),
      ],
      endpointSlices: [
        makeTestEndpointSlice(
          'default',
          'web',
          1,
          [ep('10.244.0.2'), ep('10.244.0.3')],
          [{ name: 'http', protocol: 'TCP', port: 8080 }],
        ),
      ],
      node: { name: 'kwr-node1', ip: '192.168.1.10', clusterCIDR: '10.244.0.0/16' },
    }),
  );
  const reference = saved(fixture);
  it.each([
    'KUBE-SVC-CDGGSHYLG3RE2FKL',
    'KUBE-SEP-QA4PSDNF5R2OJOPA',
    'KUBE-SEP-TCD3IFXQZW3ZEZQU',
    'KUBE-SERVICES',
    'KUBE-MARK-MASQ',
    'KUBE-POSTROUTING',
  ])('%s has the same rules', (chain) => {
    const rules = (lines: string[]) => lines.filter((l) => l.startsWith(`-A ${chain} `));
    expect(rules(reference).length).toBeGreaterThan(0);
    expect(rules(ours)).toEqual(rules(reference));
  });
  it('and the same jumps from the built-in nat chains', () => {
    const jumps = (lines: string[]) =>
      lines.filter((l) => /^-A (PREROUTING|OUTPUT|POSTROUTING) /.test(l));
    expect(jumps(ours)).toEqual(jumps(reference));
  });
});
