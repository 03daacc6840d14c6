/**
 * [FAULT1–4] Faults by hand: `iptables ARGS` run on a node as an action.
 * A DROP for UDP 8472 on node-2 loses the tunnel at the outer hop; iptables'
 * own refusals come back in its words; kube-proxy's next sync puts back a
 * rule deleted from its chains but keeps one added to INPUT. The real
 * iptables in a network namespace makes the same table and the same refusals.
 */
import { describe, expect, it } from 'vitest';
import { publicScenario, simulate } from './test/driver.ts';
import { loadScenario } from './scenario/index.ts';
import { formatDiagnostics } from './scenario/format.ts';
import { iptablesSave } from './dataplane/netfilter/save.ts';
import { inNetns, netnsSkipReason } from './test/netns.ts';
import type { Simulation } from './api.ts';
import type { Step } from './model.ts';

/** The cross-node built-in with these actions instead of its own. */
function crossNode(actions: string): string {
  const text = publicScenario('cross-node-vxlan.yaml');
  return text.slice(0, text.indexOf('  actions:')) + `  actions:\n${actions}`;
}

const DROP_8472 = '-I INPUT -p udp --dport 8472 -j DROP';
const dropThenHeal = crossNode(
  [
    `    - iptables: {node: node-2, args: "${DROP_8472}"}`,
    '    - ping: {from: pod-a, to: pod-b}',
    '    - iptables: {node: node-2, args: "-D INPUT 1"}',
    '    - iptables: {node: node-2, args: "-D INPUT 1"}',
    '    - ping: {from: pod-a, to: pod-b}',
    '',
  ].join('\n'),
);

const stepsOf = (sim: Simulation, action: number): Step[] =>
  sim.steps.filter((s) => s.action === action);
const delivered = (steps: readonly Step[]) =>
  steps.some((s) => s.place.netns.endsWith('/pod-b') && /Echo \(ping\) request/.test(s.summary));

describe('[FAULT1] a DROP for the VXLAN port on node-2', () => {
  const sim = simulate(dropThenHeal);

  it("loses the ping at node-2's filter INPUT, outer hop, before flannel.1 decapsulates", () => {
    const ping = stepsOf(sim, 1);
    const drop = ping.find((s) => s.facts.type === 'nf.drop');
    expect(drop?.place).toEqual({ node: 'node-2', netns: 'node-2', iface: 'eth0' });
    expect(drop?.facts).toMatchObject({ tunnel: { dev: 'flannel.1', port: 8472 } });
    expect(ping.some((s) => s.kind === 'decap')).toBe(false);
    expect(delivered(ping)).toBe(false);
  });

  it('delivers the next ping once the rule is deleted', () => {
    expect(delivered(stepsOf(sim, 4))).toBe(true);
  });

  it("refuses the second delete in iptables' words, changing nothing", () => {
    const refused = stepsOf(sim, 3).find((s) => s.kind === 'error');
    expect(refused?.summary).toBe('iptables: Index of deletion too big.');
  });

  it('shows the rule in iptables-save as iptables writes it (the implicit -m udp added)', () => {
    const after = sim.steps.findIndex((s) => s.facts.type === 'iptables.by-hand');
    const ns = sim.stateAt(after).netnsById('node-2')!;
    expect(iptablesSave(ns.netfilter!, { tables: ['filter'] })).toContain(
      '-A INPUT -p udp -m udp --dport 8472 -j DROP\n',
    );
  });
});

describe('[FAULT2] what a hand command is checked for when the file loads', () => {
  const errors = (args: string, node = 'node-2') => {
    const r = loadScenario(crossNode(`    - iptables: {node: ${node}, args: "${args}"}\n`));
    return r.ok ? '' : formatDiagnostics(r.errors, 's.yaml');
  };
  it.each([
    [
      '-t nta -F',
      "iptables: can't initialize iptables table `nta': Table does not exist; did you mean 'nat'?",
    ],
    ['-A INPUT --bogus', 'iptables: unknown option "--bogus"'],
    ['INPUT -j DROP', 'args start with a command: -A, -I, -D'],
  ])('%s → %s', (args, message) => {
    expect(errors(args)).toContain(message);
    expect(errors(args)).toMatch(/^s\.yaml:\d+:\d+: error:/);
  });
  it('names a node the Cluster has', () => {
    expect(errors('-F', 'node-9')).toContain('no node named node-9 in the Cluster');
  });
  it('leaves a missing chain to the moment it runs (it may exist by then)', () => {
    expect(errors('-t nat -F KUBE-SVC-NOSUCHCHAIN')).toBe('');
  });
});

describe('[FAULT3] kube-proxy and rules changed by hand', () => {
  // The Service built-in: a rule deleted from a KUBE- chain comes back at the next sync
  // (a readiness change makes one); a DROP added to INPUT stays.
  const text = publicScenario('service-pod-dies.yaml');
  const head = text.slice(0, text.indexOf('  actions:'));
  const pod = /delete: \{pod: ([\w-]+)/.exec(text)?.[1];
  const sim = simulate(
    head +
      [
        '  actions:',
        '    - iptables: {node: node-1, args: "-t nat -D KUBE-SERVICES 1"}',
        '    - iptables: {node: node-1, args: "-I INPUT -p udp --dport 9 -j DROP"}',
        `    - ready: {pod: ${pod}, ready: false}`,
        '',
      ].join('\n'),
  );
  const save = (i: number) =>
    iptablesSave(sim.stateAt(i).netnsById('node-1')!.netfilter!, { tables: ['nat', 'filter'] });
  const handDone = sim.steps.findLastIndex((s) => s.facts.type === 'iptables.by-hand');
  const synced = sim.steps.findLastIndex(
    (s) => s.facts.type === 'kube-proxy.sync' && s.place.node === 'node-1',
  );

  it('finds a pod to make unready in the built-in', () => expect(pod).toBeDefined());

  it('loses the first KUBE-SERVICES rule by hand, and gets it back from the next sync', () => {
    const first = (i: number) =>
      save(i)
        .split('\n')
        .find((l) => l.startsWith('-A KUBE-SERVICES'));
    expect(handDone).toBeGreaterThan(0);
    expect(synced).toBeGreaterThan(handDone);
    const original = sim.steps.findIndex((s) => s.facts.type === 'kube-proxy.sync');
    expect(first(handDone)).not.toBe(first(original));
    expect(first(synced)).toBe(first(original));
  });

  it('keeps the DROP added to INPUT through the sync', () => {
    expect(save(synced)).toContain('-A INPUT -p udp -m udp --dport 9 -j DROP');
  });
});

const reason = netnsSkipReason(['iptables']);
if (reason) console.warn(`FAULT4 (real iptables) skipped: ${reason}`);

describe.skipIf(reason !== undefined)(
  `[FAULT4] against the real iptables${reason ? ` (skipped: ${reason})` : ''}`,
  () => {
    it('makes the same filter table and the same refusal', () => {
      const sim = simulate(dropThenHeal);
      const after = sim.steps.findIndex((s) => s.facts.type === 'iptables.by-hand');
      const ours = iptablesSave(sim.stateAt(after).netnsById('node-2')!.netfilter!, {
        tables: ['filter'],
      });
      const refused = sim.steps.find((s) => s.kind === 'error')!.summary;
      inNetns('kwfault', (exec) => {
        expect(exec(['iptables', ...DROP_8472.split(' ')]).status).toBe(0);
        const real = exec(['iptables-save', '-t', 'filter']).stdout.replace(/^#.*\n/gm, '');
        expect(ours).toBe(real);
        expect(exec(['iptables', '-D', 'INPUT', '1']).status).toBe(0);
        const again = exec(['iptables', '-D', 'INPUT', '1']);
        expect(again.status).not.toBe(0);
        expect(again.stderr.trim().split('\n').at(-1)).toBe(refused);
      });
    });
  },
);
