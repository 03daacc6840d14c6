/**
 * Calico's tables at 50 nodes (issue 8): the generated cluster
 * (big-scenario.ts) under calico bgp, ipip and vxlan — how long it takes, and
 * what a node holds: routes (a /32 per local pod, a blackhole per own block,
 * one route per other node's block), calico-ipam blocks (20 pods fit one
 * /26; a tunnel address takes one ordinal), vxlan.calico's neighbours and
 * fdb entries (one per other node), and what `birdcl show route` lists.
 */
import { createSimulation } from '../simulation.ts';
import { birdView } from '../format/bird.ts';
import { bigScenario } from './big-scenario.ts';
import { ms, num, table, time } from './measure.ts';

const MODES = ['bgp', 'ipip', 'vxlan'] as const;

export function benchCalico(nodes = 50, podsPerNode = 20, flows = 40, runs = 3): void {
  const rows: string[][] = [];
  for (const mode of MODES) {
    const text = bigScenario(nodes, podsPerNode, flows).replace(
      'cni: {plugin: flannel, mode: vxlan}',
      `cni: {plugin: calico, mode: ${mode}, ipPool: 10.244.0.0/16}`,
    );
    const sim = time(runs, () => createSimulation(text));
    if (!sim.value.ok) throw new Error(`calico ${mode}: the scenario does not simulate`);
    const s = sim.value.sim;
    const snap = s.stateAt(s.steps.length - 1);
    const host = snap.netns['node-1'];
    const blocks = snap.nodes.reduce((n, x) => n + (x.ipamBlocks?.length ?? 0), 0);
    const bird = birdView(s.scenario.cluster, snap, 'node-1', s.steps);
    rows.push([
      `calico ${mode}, ${nodes} × ${podsPerNode} pods`,
      ms(sim.ms),
      num(s.steps.length),
      num(host.routes.length),
      `${snap.nodes.find((n) => n.name === 'node-1')?.ipamBlocks?.length ?? 0} / ${num(blocks)}`,
      `${host.neighbors.filter((x) => x.dev === 'vxlan.calico').length} / ${host.fdb.filter((x) => x.port === 'vxlan.calico').length}`,
      bird.ok ? num(bird.routes.length) : '(no BIRD)',
    ]);
  }
  console.log(
    table(
      [
        'Calico',
        'simulate',
        'steps',
        'node-1 routes',
        'blocks node-1 / cluster',
        'vxlan.calico neigh / fdb',
        'birdcl show route',
      ],
      rows,
    ),
  );
}
