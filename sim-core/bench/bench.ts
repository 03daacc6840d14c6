/**
 * `npm run bench`'s sim-core half: how fast sim-core builds and replays big
 * clusters and kube-proxy-sized kernel tables, the numbers the README
 * quotes. Wall-clock timings on this machine, median of a few runs; not a
 * test (timings on shared machines flake), a measurement.
 *
 *   node --expose-gc --import tsx sim-core/bench/bench.ts           # everything (npm run bench)
 *   node --expose-gc --import tsx sim-core/bench/bench.ts 40 50     # one cluster: 40 nodes × 50 pods
 *   node --expose-gc --import tsx sim-core/bench/bench.ts 1 2000 20 # one node × 2,000 pods (nodeCIDRMaskSize 20)
 *   node --expose-gc --import tsx sim-core/bench/bench.ts tables    # only the kernel tables
 *   node --expose-gc --import tsx sim-core/bench/bench.ts services [S…]
 *                         # only Services (services.ts; S: the Service counts of the per-connection table)
 *   node --expose-gc --import tsx sim-core/bench/bench.ts dns [RUNS]
 *                         # only the DNS scenario at 2,000 Services (dns.ts; RUNS: 3)
 *   node --expose-gc --import tsx sim-core/bench/bench.ts calico [RUNS]
 *                         # only Calico bgp/ipip/vxlan at 50 nodes × 20 pods (calico.ts)
 *   node --expose-gc --import tsx sim-core/bench/bench.ts cilium [RUNS]
 *                         # only Cilium vxlan/native (+ kube-proxy replacement) at 50 × 20 (cilium.ts)
 *   node --expose-gc --import tsx sim-core/bench/bench.ts compare DIR… [nodes pods]
 *                         # other checkouts against this one, alternating (compare.ts)
 *
 * (`npm run bench -- …` would pass the arguments to the app half, not here;
 * KUBEWIRE_BENCH picks the app half's sizes.)
 */
import { createSimulation } from '../simulation.ts';
import { loadScenario } from '../scenario/load.ts';
import { bigScenario } from './big-scenario.ts';
import { measureCluster, type ClusterRun } from './clusters.ts';
import { compare, worker } from './compare.ts';
import { benchKernelTables } from './kernel-tables.ts';
import { benchServices } from './services.ts';
import { benchDns } from './dns.ts';
import { benchCalico } from './calico.ts';
import { benchCilium } from './cilium.ts';
import { HAS_GC, median, mib, ms, num, table, us } from './measure.ts';

/** nodes, pods a node, flows, and optionally nodeCIDRMaskSize (default 24: 253 pods a node). */
type Size = readonly [number, number, number, number?];

function clusters(sizes: readonly Size[]): void {
  // Compile the hot paths first, so the first size does not pay for the JIT.
  createSimulation(bigScenario(4, 10, 10));
  const runs: ClusterRun[] = [];
  for (const [nodes, pods, flows, mask] of sizes)
    runs.push(
      measureCluster({ createSimulation, loadScenario }, nodes, pods, flows, {
        ...(mask ? { net: { nodeCIDRMaskSize: mask } } : {}),
      }),
    );
  console.log(
    table(
      [
        'cluster',
        'load+validate',
        'simulate',
        'simulate CPU',
        'steps',
        'per step',
        'heap for the trace',
        'stateAt + pods',
        'exportPcap',
      ],
      runs.map((r) => {
        const load = median(r.load);
        const sim = median(r.sim);
        return [
          `${r.nodes} × ${r.podsPerNode} pods${r.mask ? ` (/${r.mask})` : ''}, ${r.flows} flows (${num(r.yamlBytes / 1024)} KiB YAML)`,
          ms(load),
          ms(sim),
          ms(median(r.simCpu)),
          num(r.steps),
          us(((sim - load) * 1000) / r.steps),
          mib(r.heap),
          us(r.seekNs / 1000),
          `${ms(r.pcapMs)} (${num(r.pcapBytes / 1024)} KiB)`,
        ];
      }),
    ),
  );
  console.log(
    '  simulate is createSimulation (it loads again); per step: (simulate − load+validate) / steps' +
      (HAS_GC ? '' : '\n  (run with --expose-gc for steadier heap figures)'),
  );
}

const [cmd, ...rest] = process.argv.slice(2);
const numbers = (xs: readonly string[]) => xs.map(Number).filter((x) => x > 0);

if (cmd === 'worker') {
  const [root, ...size] = rest;
  const [nodes, pods, flows] = numbers(size);
  await worker(root, nodes, pods, flows);
} else if (cmd === 'compare') {
  const dirs = rest.filter((a) => !/^\d+$/.test(a));
  if (dirs.length === 0) throw new Error('usage: bench.ts compare DIR [DIR…] [nodes pods]');
  const [nodes = 50, pods = 20] = numbers(rest);
  compare(dirs, nodes, pods, 40);
} else if (cmd === 'tables') {
  benchKernelTables();
} else if (cmd === 'calico') {
  const [runs] = numbers(rest);
  benchCalico(50, 20, 40, runs || 3);
} else if (cmd === 'cilium') {
  const [runs] = numbers(rest);
  benchCilium(50, 20, 40, runs || 3);
} else if (cmd === 'dns') {
  const [runs] = numbers(rest);
  benchDns(runs ? { runs } : {});
} else if (cmd === 'services') {
  const sizes = numbers(rest);
  benchServices(sizes.length ? { sizes } : {});
} else if (cmd) {
  const [nodes, pods = 20, mask] = numbers([cmd, ...rest]);
  clusters([[nodes, pods, 40, mask]]);
} else {
  clusters([
    [2, 2, 2],
    [10, 20, 20],
    [50, 20, 40],
    // 5,000 pods: 100 a node fits kubeadm's /24 per node and the kubelet's default maxPods (110).
    [50, 100, 40],
  ]);
  benchKernelTables();
  benchServices();
  benchDns();
  benchCalico();
}
