/**
 * Cilium's tables at 50 nodes (issue 8): the generated cluster
 * (big-scenario.ts) under cilium vxlan and native, and vxlan with
 * kubeProxyReplacement — how long it takes, and what a node holds: routes
 * (own CIDR and router IP on cilium_host, one per other node's CIDR), the
 * endpoint map (its own addresses and its pods), the ipcache (every pod and
 * node of the cluster, and in tunnel mode every other node's CIDR), and with
 * the replacement the service map's frontends and backend slots.
 */
import { createSimulation } from '../simulation.ts';
import { bigScenario } from './big-scenario.ts';
import { ms, num, table, time } from './measure.ts';

const MODES = [
  ['vxlan', false],
  ['native', false],
  ['vxlan', true],
] as const;

export function benchCilium(nodes = 50, podsPerNode = 20, flows = 40, runs = 3): void {
  const rows: string[][] = [];
  for (const [mode, kpr] of MODES) {
    const text = bigScenario(nodes, podsPerNode, flows).replace(
      'cni: {plugin: flannel, mode: vxlan}',
      `cni: {plugin: cilium, mode: ${mode}, clusterPoolIPv4PodCIDRList: 10.244.0.0/16${kpr ? ', kubeProxyReplacement: true' : ''}}`,
    );
    const sim = time(runs, () => createSimulation(text));
    if (!sim.value.ok) throw new Error(`cilium ${mode}: ${sim.value.errors[0]?.message}`);
    const s = sim.value.sim;
    const snap = s.stateAt(s.steps.length - 1);
    const bpf = snap.nodes.find((n) => n.name === 'node-1')!.bpf!;
    rows.push([
      `cilium ${mode}${kpr ? ' + kube-proxy replacement' : ''}, ${nodes} × ${podsPerNode} pods`,
      ms(sim.ms),
      num(s.steps.length),
      num(snap.netns['node-1'].routes.length),
      num(bpf.endpoints.length),
      num(bpf.ipcache.length),
      bpf.lb
        ? `${num(bpf.lb.length)} / ${num(bpf.lb.reduce((n, x) => n + x.backends.length, 0))}`
        : '—',
    ]);
  }
  console.log(
    table(
      [
        'Cilium',
        'simulate',
        'steps',
        'node-1 routes',
        'endpoint map',
        'ipcache',
        'lb frontends / backend slots',
      ],
      rows,
    ),
  );
}
