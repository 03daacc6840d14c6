/**
 * The generated clusters (big-scenario.ts) through sim-core's public entry
 * points: load+validate, simulate, the heap the trace keeps, seeking and
 * pcap export. Takes the two entry points as arguments, so the same
 * measurement runs against another checkout's sim-core (compare.ts).
 */
import { performance } from 'node:perf_hooks';
import { bigScenario, type PodNetwork } from './big-scenario.ts';
import { heapUsed, time } from './measure.ts';

/** What the bench calls, as every version of sim-core has had it. */
export interface SimCore {
  loadScenario(text: string): { ok: boolean; errors?: readonly unknown[] };
  createSimulation(text: string):
    | {
        ok: true;
        sim: {
          steps: readonly unknown[];
          stateAt(index: number): { pods: readonly unknown[] };
          exportPcap(): Uint8Array;
        };
      }
    | { ok: false };
}

export interface ClusterRun {
  readonly nodes: number;
  readonly podsPerNode: number;
  readonly flows: number;
  /** nodeCIDRMaskSize, when not the default 24. */
  readonly mask?: number;
  readonly yamlBytes: number;
  /** Every run's milliseconds. */
  readonly load: readonly number[];
  /** createSimulation: load+validate again, then the whole trace. */
  readonly sim: readonly number[];
  /** CPU milliseconds of the same runs. */
  readonly loadCpu: readonly number[];
  readonly simCpu: readonly number[];
  readonly steps: number;
  readonly heap: number;
  readonly seekNs: number;
  readonly pcapMs: number;
  readonly pcapBytes: number;
}

export function measureCluster(
  core: SimCore,
  nodes: number,
  podsPerNode: number,
  flows: number,
  opts: { runs?: number; probes?: number; net?: PodNetwork } = {},
): ClusterRun {
  const runs = opts.runs ?? 3;
  const text = bigScenario(nodes, podsPerNode, flows, opts.net);
  const load = time(runs, () => core.loadScenario(text));
  if (!load.value.ok) throw new Error(JSON.stringify(load.value.errors?.slice(0, 3)));
  const before = heapUsed();
  const sim = time(runs, () => core.createSimulation(text));
  if (!sim.value.ok) throw new Error('simulation failed');
  const s = sim.value.sim;
  const heap = heapUsed() - before;
  // Scrubbing: the state after a random step, and its flat pod list.
  const n = s.steps.length;
  const probes = opts.probes ?? 20_000;
  const t = performance.now();
  let sink = 0;
  for (let i = 0; i < probes; i++) sink += s.stateAt((i * 7919) % n).pods.length;
  const seekNs = ((performance.now() - t) * 1e6) / probes;
  if (sink < 0) throw new Error('unreachable');
  const pcap = time(runs, () => s.exportPcap());
  return {
    nodes,
    podsPerNode,
    flows,
    ...(opts.net?.nodeCIDRMaskSize ? { mask: opts.net.nodeCIDRMaskSize } : {}),
    yamlBytes: text.length,
    load: load.all,
    sim: sim.all,
    loadCpu: load.cpu,
    simCpu: sim.cpu,
    steps: n,
    heap,
    seekNs,
    pcapMs: pcap.ms,
    pcapBytes: pcap.value.length,
  };
}
