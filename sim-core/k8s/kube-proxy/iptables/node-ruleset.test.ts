/**
 * The node ruleset loads: our iptables-restore parser accepts every case,
 * iptables-save of it is stable, and (root only) the machine's real
 * iptables-restore accepts it and its iptables-save matches ours line for line.
 */
import { describe, expect, it } from 'vitest';
import { iptablesSave, parseIptablesRestore } from '../../../dataplane/netfilter/index.ts';
import { CASES, NODE } from './cases.ts';
import { IPTABLES_JUMP_CHAINS, buildNodeRuleset, nodeRuleset } from './node-ruleset.ts';
import { inNetns, netnsSkipReason } from '../../../test/netns.ts';

function parsed(text: string) {
  const r = parseIptablesRestore(text);
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.line}:${e.column} ${e.message}`).join('\n'));
  return r.ruleset;
}

const rulesetOf = (c: (typeof CASES)[number]) =>
  nodeRuleset({ services: c.services, endpointSlices: c.endpointSlices, node: NODE });

describe('nodeRuleset', () => {
  it.each(CASES.map((c) => [c.name, c] as const))(
    '%s: parses, and iptables-save is stable',
    (_, c) => {
      const first = iptablesSave(parsed(rulesetOf(c)));
      expect(iptablesSave(parsed(first))).toBe(first);
    },
  );

  it('puts the built-in chain jumps in the order kubelet then kube-proxy inserting at the top leaves them', () => {
    const text = rulesetOf(CASES[0]);
    const lines = (chain: string, table: string) => {
      const block = text.split('COMMIT\n').find((b) => b.startsWith(`*${table}\n`)) ?? '';
      return block.split('\n').filter((l) => l.startsWith(`-A ${chain} `));
    };
    // The order `iptables-save` shows on a kubeadm/kind node running kube-proxy.
    expect(lines('INPUT', 'filter')).toEqual([
      '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
      '-A INPUT -m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS',
      '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES',
      '-A INPUT -j KUBE-FIREWALL',
    ]);
    expect(lines('FORWARD', 'filter')).toEqual([
      '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
      '-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD',
      '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
      '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES',
    ]);
    expect(lines('OUTPUT', 'filter')).toEqual([
      '-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
      '-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
      '-A OUTPUT -j KUBE-FIREWALL',
    ]);
    expect(lines('PREROUTING', 'nat')).toEqual([
      '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    ]);
    expect(lines('POSTROUTING', 'nat')).toEqual([
      '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
    ]);
  });

  it('without kubelet, kube-proxy inserts the KUBE-FIREWALL jumps last, so they come first', () => {
    const c = CASES[0];
    const text = nodeRuleset({ ...c, node: NODE, kubelet: false });
    const input = text.split('\n').filter((l) => l.startsWith('-A INPUT '));
    expect(input[0]).toBe('-A INPUT -j KUBE-FIREWALL');
    expect(text).not.toContain('KUBE-KUBELET-CANARY');
    expect(text).not.toContain('KUBE-IPTABLES-HINT');
  });

  it('declares each jump target and keeps one copy of the localnet rule', () => {
    const { text } = buildNodeRuleset({ ...CASES[0], node: NODE });
    for (const j of IPTABLES_JUMP_CHAINS) expect(text).toContain(`:${j.dstChain} - [0:0]`);
    expect(text.match(/block incoming localnet connections/g)).toHaveLength(1);
  });
});

// ---- against the machine's iptables (root only) ----

const reason = netnsSkipReason(['iptables']);
if (reason) console.warn(`kube-proxy iptables live tests skipped: ${reason}`);

const stripComments = (text: string) => text.replace(/^#.*\n/gm, '');

describe.skipIf(reason !== undefined)(
  `nodeRuleset in the real iptables${reason ? ` (skipped: ${reason})` : ''}`,
  () => {
    it.each(CASES.map((c) => [c.name, c] as const))(
      '%s: iptables-restore accepts it and iptables-save matches ours',
      (_, c) => {
        const text = rulesetOf(c);
        const ours = iptablesSave(parsed(text));
        inNetns('kwkp', (exec) => {
          const restore = exec(['iptables-restore'], text);
          expect(restore.stderr).toBe('');
          expect(restore.status).toBe(0);
          expect(ours).toBe(stripComments(exec(['iptables-save']).stdout));
        });
      },
    );

    it('the sync alone, as kube-proxy applies it (--noflush) onto the base, gives the same tables', () => {
      const c = CASES[2];
      const { text, sync } = buildNodeRuleset({ ...c, node: NODE });
      inNetns('kwkp', (exec) => {
        const base = text
          .split('COMMIT\n')
          .filter((b) => b !== '')
          .map((b) => {
            const lines = b.split('\n').filter((l) => l !== '');
            // keep the declarations and the built-in chains' jumps only
            return lines
              .filter((l) => l.startsWith('*') || l.startsWith(':') || /^-A [A-Z]+ /.test(l))
              .concat('COMMIT')
              .join('\n');
          })
          .join('\n');
        expect(exec(['iptables-restore'], `${base}\n`).stderr).toBe('');
        const r = exec(['iptables-restore', '--noflush', '--counters'], sync.restoreText);
        expect(r.stderr).toBe('');
        expect(iptablesSave(parsed(text))).toBe(stripComments(exec(['iptables-save']).stdout));
      });
    });
  },
);
