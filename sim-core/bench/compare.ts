/**
 * The same cluster measured on another checkout and on this one, in
 * alternating child processes (base, now, now, base, …) so both see the same
 * machine load: what "no regression" is judged on. The other checkout only
 * needs the entry points clusters.ts calls and a node_modules, e.g.
 *
 *   git worktree add /tmp/bench-base 9369c90
 *   ln -s "$PWD/node_modules" /tmp/bench-base/node_modules
 *   node --expose-gc --import tsx sim-core/bench/bench.ts compare /tmp/bench-base
 *
 * KUBEWIRE_BENCH_ROUNDS=5 runs five processes per checkout instead of three.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { measureCluster, type ClusterRun, type SimCore } from './clusters.ts';
import { median, mib, ms, num, table, us } from './measure.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = resolve(HERE, '../..');
const BENCH = resolve(HERE, 'bench.ts');

/** Runs in the child: one checkout's sim-core, one cluster, the result as JSON on stdout. */
export async function worker(root: string, nodes: number, pods: number, flows: number) {
  const url = (p: string) => pathToFileURL(resolve(root, p)).href;
  const sim = (await import(url('sim-core/simulation.ts'))) as Pick<SimCore, 'createSimulation'>;
  const load = (await import(url('sim-core/scenario/load.ts'))) as Pick<SimCore, 'loadScenario'>;
  const core: SimCore = { createSimulation: sim.createSimulation, loadScenario: load.loadScenario };
  const run = measureCluster(core, nodes, pods, flows, { runs: 5 });
  console.log(JSON.stringify(run));
}

function child(root: string, nodes: number, pods: number, flows: number): ClusterRun {
  const args = [
    '--expose-gc',
    '--import',
    'tsx',
    BENCH,
    'worker',
    root,
    ...[nodes, pods, flows].map(String),
  ];
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bench worker for ${root} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ClusterRun;
}

function revision(root: string): string {
  try {
    const rev = execFileSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], {
      encoding: 'utf8',
    }).trim();
    const dirty = execFileSync(
      'git',
      ['-C', root, 'status', '--porcelain', '--untracked-files=no'],
      {
        encoding: 'utf8',
      },
    ).trim();
    return dirty ? `${rev}+changes` : rev;
  } catch {
    return root;
  }
}

interface Summary {
  readonly load: number;
  readonly loadMin: number;
  readonly sim: number;
  readonly simMin: number;
  readonly simCpu: number;
  readonly steps: number;
  readonly perStepUs: number;
  readonly perStepCpuUs: number;
  readonly heap: number;
  readonly seekNs: number;
}

function summarize(runs: readonly ClusterRun[]): Summary {
  const all = (f: (r: ClusterRun) => readonly number[]) => runs.flatMap(f);
  const steps = runs[0].steps;
  const load = median(all((r) => r.load));
  const sim = median(all((r) => r.sim));
  const loadCpu = median(all((r) => r.loadCpu));
  const simCpu = median(all((r) => r.simCpu));
  return {
    load,
    loadMin: Math.min(...all((r) => r.load)),
    sim,
    simMin: Math.min(...all((r) => r.sim)),
    simCpu,
    steps,
    perStepUs: ((sim - load) * 1000) / steps,
    perStepCpuUs: ((simCpu - loadCpu) * 1000) / steps,
    heap: median(runs.map((r) => r.heap)),
    seekNs: median(runs.map((r) => r.seekNs)),
  };
}

/**
 * Each of `dirs` (other checkouts) and this one, `rounds` child processes
 * each in rotating order; every column's change is against the first.
 */
export function compare(dirs: readonly string[], nodes: number, pods: number, flows: number): void {
  const roots = [...dirs.map((d) => resolve(d)), ROOT];
  const rounds = Number(process.env.KUBEWIRE_BENCH_ROUNDS) || 3;
  const runs: ClusterRun[][] = roots.map(() => []);
  for (let r = 0; r < rounds; r++)
    for (let k = 0; k < roots.length; k++) {
      const i = (k + r) % roots.length;
      runs[i].push(child(roots[i], nodes, pods, flows));
    }
  const sums = runs.map(summarize);
  const change = (x: number, y: number) =>
    `${y >= x ? '+' : ''}${(((y - x) / x) * 100).toFixed(0)}%`;
  const row = (label: string, f: (s: Summary) => number, fmt: (x: number) => string) => [
    label,
    ...sums.map((s, i) => (i === 0 ? fmt(f(s)) : `${fmt(f(s))} (${change(f(sums[0]), f(s))})`)),
  ];
  const names = roots.map((r, i) => `${i === roots.length - 1 ? 'now' : r} (${revision(r)})`);
  console.log(
    [
      '',
      `${nodes} nodes × ${pods} pods, ${flows} flows: ${rounds} processes per checkout in rotating order, 5 runs each`,
      table(
        ['', ...names],
        [
          row('load+validate (median)', (s) => s.load, ms),
          row('load+validate (fastest)', (s) => s.loadMin, ms),
          row('simulate (median)', (s) => s.sim, ms),
          row('simulate (fastest)', (s) => s.simMin, ms),
          row('simulate, CPU time (median)', (s) => s.simCpu, ms),
          row('steps', (s) => s.steps, num),
          row('per step: (simulate − load) / steps', (s) => s.perStepUs, us),
          row('per step, CPU time', (s) => s.perStepCpuUs, us),
          row('heap for the trace', (s) => s.heap, mib),
          row(
            'heap per step',
            (s) => s.heap / s.steps / 1024,
            (x) => `${num(x, 1)} KiB`,
          ),
          row('stateAt + flat pods (seek)', (s) => s.seekNs / 1000, us),
        ],
      ),
    ].join('\n'),
  );
}
