/**
 * One case of the kernel test, run on both sides: captures on real devices
 * while traffic runs, the tables the kernel leaves, and what differs from
 * the simulation — frames, `ip neigh`/`ip route`/`bridge fdb`, iptables'
 * counters, conntrack. `settle` runs a case in fresh namespaces, torn down
 * right after whatever happens.
 */
import type { Simulation } from '../../api.ts';
import type { Snapshot } from '../../model.ts';
import { captureSteps } from '../../capture.ts';
import { iptablesList } from '../../dataplane/netfilter/index.ts';
import { ctList } from '../../dataplane/netfilter/conntrack.ts';
import { routeLines } from '../../format/tables.ts';
import { Lab, sleep } from './lab.ts';
import type { Built, Topology } from './topology.ts';
import { diffCaptures } from './frames.ts';
import {
  maskConntrack,
  realFdb,
  realNeighbors,
  realRoutes,
  simFdb,
  simNeighbors,
} from './tables.ts';

/** Ports of the services in the cases; conntrack's other ports are ephemeral. */
const SERVICE_PORTS = new Set([80, 8080]);

export const finalState = (sim: Simulation): Snapshot => sim.stateAt(sim.steps.length - 1);

/** Frames per capture point, named as the simulator names it ("node-1/default/a/eth0"). */
export type Captured = Record<string, Uint8Array[]>;

/** One run of a case in real namespaces, and the simulation to hold it against. */
export interface Run {
  readonly sim: Simulation;
  readonly frames: Captured;
  readonly tables: Record<string, string[]>;
  readonly nf?: { readonly conntrack: string; readonly nat: string };
}

/** Every capture point's frame count in the simulation. */
export const expectedCounts = (sim: Simulation, points: Iterable<string>) =>
  Object.fromEntries([...points].map((p) => [p, captureSteps(sim.steps, p).length]));

/**
 * Captures on the given devices while `traffic` runs (and reads the
 * tables: neighbour states age in seconds, so without waiting for the
 * captures), and stops once the frames of one of the `expected` outcomes
 * (counts per point) are in, or after 3 s, and a grace period for frames we
 * do not expect: libpcap hands dumpcap packets in blocks, at the latest
 * after 250 ms.
 */
export async function captureWhile<T>(
  lab: Lab,
  points: Record<string, [ns: string, iface: string]>,
  expected: readonly Record<string, number>[],
  traffic: () => Promise<T>,
): Promise<{ frames: Captured; after: T }> {
  const names = Object.keys(points);
  const caps = await lab.captures(names.map((n) => points[n]));
  let frames: Uint8Array[][] = [];
  let after: T;
  try {
    after = await traffic();
    const done = () =>
      expected.some((counts) => names.every((n, i) => caps[i].frames() >= (counts[n] ?? 0)));
    for (let i = 0; i < 60 && !done(); i++) await sleep(50);
    await sleep(400);
  } finally {
    frames = await Promise.all(caps.map((c) => c.stop()));
  }
  return { frames: Object.fromEntries(names.map((n, i) => [n, frames[i]])), after };
}

/** Pod eth0 capture points of a topology, and any extra (netns role, device) ones. */
export function podPoints(
  topo: Topology,
  built: Built,
  extra: Record<string, [string, string]> = {},
) {
  const points: Record<string, [string, string]> = {};
  for (const n of topo.nodes)
    for (const p of n.pods)
      points[`${n.name}/default/${p.name}/eth0`] = [built[`${n.name}/${p.name}`], 'eth0'];
  for (const [point, [role, dev]] of Object.entries(extra)) points[point] = [built[role], dev];
  return points;
}

/** `ping -c 1`, then one byte over TCP and close (`nc -N`) to a listener, `nc -l 8080`. */
export async function pingThenSend(lab: Lab, client: string, server: string, ip: string) {
  const listener = await lab.listen(server, 8080);
  await lab.exec(client, ['ping', '-c', '1', '-W', '2', ip]);
  await lab.sh(client, `printf x | nc -N -w 3 ${ip} 8080`);
  if (listener.child.exitCode === null) await new Promise((r) => listener.child.once('exit', r));
  if (listener.output() !== 'x') throw new Error(`the listener got ${listener.output()}`);
}

/**
 * `ip neigh`, `ip route` and the fdb of every namespace, keyed by the
 * simulator's netns id. A lone node has no eth0 here (the simulator's has
 * one on its node network), so its routes are not compared.
 */
export async function realTables(lab: Lab, built: Built, topo: Topology) {
  const jobs: [string, Promise<string[]>][] = [];
  for (const n of topo.nodes) {
    const ns = built[n.name];
    jobs.push([`${n.name}: ip neigh`, realNeighbors(lab, ns)]);
    jobs.push([`${n.name}: bridge fdb`, realFdb(lab, ns)]);
    if (n.eth0) jobs.push([`${n.name}: ip route`, realRoutes(lab, ns)]);
    for (const p of n.pods) {
      const id = `${n.name}/default/${p.name}`;
      jobs.push([`${id}: ip neigh`, realNeighbors(lab, built[`${n.name}/${p.name}`])]);
      jobs.push([`${id}: ip route`, realRoutes(lab, built[`${n.name}/${p.name}`])]);
    }
  }
  const values = await Promise.all(jobs.map(([, j]) => j));
  return Object.fromEntries(jobs.map(([k], i) => [k, values[i]]));
}

export function simTables(snap: Snapshot, topo: Topology) {
  const out: Record<string, string[]> = {};
  for (const n of topo.nodes) {
    out[`${n.name}: ip neigh`] = simNeighbors(snap.netns[n.name]);
    out[`${n.name}: bridge fdb`] = simFdb(snap, n.name, topo);
    if (n.eth0) out[`${n.name}: ip route`] = routeLines(snap.netns[n.name]);
    for (const p of n.pods) {
      const id = `${n.name}/default/${p.name}`;
      out[`${id}: ip neigh`] = simNeighbors(snap.netns[id]);
      out[`${id}: ip route`] = routeLines(snap.netns[id]);
    }
  }
  return out;
}

/** Frame differences per capture point, "point: frame n (…): field: ours …, real …". */
export function frameProblems(run: Run): string[] {
  return Object.entries(run.frames).flatMap(([point, frames]) => {
    const ours = captureSteps(run.sim.steps, point).map((s) => s.frame!);
    if (!frames.length) return [`${point}: the kernel put no frames there`];
    return diffCaptures(ours, frames).map((d) => `${point}: ${d}`);
  });
}

function tableProblems(run: Run, topo: Topology): string[] {
  const ours = simTables(finalState(run.sim), topo);
  return Object.keys({ ...ours, ...run.tables })
    .filter((k) => JSON.stringify(ours[k]) !== JSON.stringify(run.tables[k]))
    .map((k) => `${k}: ours ${JSON.stringify(ours[k])}, real ${JSON.stringify(run.tables[k])}`);
}

export const oursNat = (run: Run) =>
  iptablesList(finalState(run.sim).netns['node-1'].netfilter!, 'nat', {
    verbose: true,
    numeric: true,
    exact: true,
  }).trimEnd();

/** `conntrack -L` lines without the fields random per run (timeout, ephemeral ports), sorted. */
export function conntrackLines(run: Run) {
  const snap = finalState(run.sim);
  const mask = (ls: string[]) => ls.map((l) => maskConntrack(l, SERVICE_PORTS)).sort();
  return {
    ours: mask(ctList(snap.netns['node-1'].conntrack!, snap.timeUs)),
    real: mask(run.nf!.conntrack.split('\n').filter(Boolean)),
  };
}

function problems(run: Run, topo: Topology): string[] {
  const out = [...frameProblems(run), ...tableProblems(run, topo)];
  if (run.nf) {
    if (oursNat(run) !== run.nf.nat.trimEnd()) out.push('iptables -t nat -L -v -n -x differs');
    const ct = conntrackLines(run);
    if (JSON.stringify(ct.ours) !== JSON.stringify(ct.real)) out.push('conntrack -L differs');
  }
  return out;
}

const ATTEMPTS = 3;

/**
 * Runs a case in fresh namespaces (torn down right after, whatever
 * happens) until it agrees with the simulation, at most ATTEMPTS times:
 * on a loaded machine the kernel's timers can beat a program the scheduler
 * is late to run (a delayed ACK before nc's FIN), which the simulation, like
 * an idle machine, never shows. Every differing (or failing) attempt is
 * printed; the last one is what the tests judge.
 */
export async function settle(
  name: string,
  topo: Topology,
  attempt: (lab: Lab) => Promise<Run>,
): Promise<Run> {
  for (let n = 1; ; n++) {
    const lab = new Lab(`${name}${n}`);
    let why: string[];
    try {
      const run = await attempt(lab);
      why = problems(run, topo);
      if (!why.length || n === ATTEMPTS) return run;
    } catch (e) {
      if (n === ATTEMPTS) throw e;
      why = [String(e)];
    } finally {
      lab.teardown();
    }
    console.warn(`linux.test.ts ${name}: attempt ${n} differs, again:\n  ${why.join('\n  ')}`);
  }
}
