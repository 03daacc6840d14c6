/**
 * `npm run bench`: how fast sim-core builds and replays a big cluster, the
 * numbers the README quotes. Wall-clock timings on this machine, median of a
 * few runs; not a test (timings on shared machines flake), a measurement.
 *
 *   npm run bench              # default sizes
 *   npm run bench -- 40 50     # 40 nodes × 50 pods
 */
import { performance } from 'node:perf_hooks';
import { createSimulation } from '../simulation.ts';
import { loadScenario } from '../scenario/load.ts';
import { bigScenario } from './big-scenario.ts';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time<T>(runs: number, fn: () => T): { ms: number; value: T } {
  const ms: number[] = [];
  let value!: T;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    value = fn();
    ms.push(performance.now() - t);
  }
  return { ms: median(ms), value };
}

function bench(nodes: number, podsPerNode: number, flows: number): void {
  const text = bigScenario(nodes, podsPerNode, flows);
  const load = time(3, () => loadScenario(text));
  if (!load.value.ok) throw new Error(JSON.stringify(load.value.errors.slice(0, 3)));
  const global = globalThis as { gc?: () => void };
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const sim = time(3, () => createSimulation(text));
  if (!sim.value.ok) throw new Error('simulation failed');
  const s = sim.value.sim;
  global.gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  // Scrubbing: random access to the state after any step.
  const n = s.steps.length;
  const probes = 200_000;
  const t = performance.now();
  let sink = 0;
  for (let i = 0; i < probes; i++) sink += s.stateAt((i * 7919) % n).pods.length;
  const seekNs = ((performance.now() - t) * 1e6) / probes;
  const pcap = time(3, () => s.exportPcap());
  console.log(
    [
      `${nodes} nodes × ${podsPerNode} pods (${nodes * podsPerNode} pods), ${flows} flows`,
      `  load+validate     ${load.ms.toFixed(0)} ms (${(text.length / 1024).toFixed(0)} KiB of YAML)`,
      `  simulate          ${sim.ms.toFixed(0)} ms → ${n} steps (${((n / sim.ms) * 1000).toFixed(0)} steps/s)`,
      `  stateAt (seek)    ${seekNs.toFixed(0)} ns per call${sink < 0 ? '' : ''}`,
      `  exportPcap        ${pcap.ms.toFixed(1)} ms (${(pcap.value.length / 1024).toFixed(0)} KiB)`,
      `  heap for trace    ~${((heapAfter - heapBefore) / 2 ** 20).toFixed(0)} MiB${global.gc ? '' : ' (run with --expose-gc for a steadier figure)'}`,
    ].join('\n'),
  );
}

const [nodesArg, podsArg] = process.argv.slice(2).map(Number);
if (nodesArg) bench(nodesArg, podsArg || 20, 40);
else {
  bench(2, 2, 2);
  bench(10, 20, 20);
  bench(50, 20, 40);
}
