/**
 * Which sections a table panel shows. A small cluster shows every network
 * namespace (or node), as `ip netns exec … ip neigh` in each would. A big one
 * would bury the step under a thousand tables, so it shows those the current
 * step involves and the pods its action names (a ping: both pods and their
 * hosts), and a filter finds any other — what `kubectl get pods | grep` does for a user on a real cluster.
 */
import type { Action, Simulation, Snapshot, Step } from '@kubewire/sim-core';

/** More sections than this and the panel shows the focus and a filter instead of all. */
export const FOCUS_FROM = 12;
/** In a big cluster a table shows this many rows (its touched ones among them), then a button. */
export const ROW_LIMIT = 12;
/** A filter shows at most this many sections; a narrower filter shows the rest. */
export const FILTER_CAP = 40;

/** Netns ids one step involves: where it happens, where from, its flood's egresses, its table rows. */
export function stepNetns(step: Step): string[] {
  return [
    step.place.netns,
    ...(step.from ? [step.from.netns] : []),
    ...(step.fanout ?? []).map((p) => p.netns),
    ...step.touched.map((t) => t.netns),
  ];
}

const hostIds = new WeakMap<Simulation, ReadonlyMap<string, string>>();

/** Node name → its host netns id. */
function hostOf(sim: Simulation, node: string): string | undefined {
  let hosts = hostIds.get(sim);
  if (!hosts) {
    const final = sim.stateAt(sim.steps.length - 1);
    const list = final.netnsList().filter((n) => n.kind === 'host');
    hostIds.set(sim, (hosts = new Map(list.map((n) => [n.node, n.id]))));
  }
  return hosts.get(node);
}

const externalIds = new WeakMap<Simulation, ReadonlyMap<string, string>>();

/** A machine outside the cluster named as an action's end ("laptop", "default/laptop", its IP). */
function externalOf(sim: Simulation, end: string): string | undefined {
  let hosts = externalIds.get(sim);
  if (!hosts) {
    const final = sim.stateAt(sim.steps.length - 1);
    const list = final.netnsList().filter((n) => n.kind === 'external');
    const names = list.flatMap((n) => [
      [n.id, n.id],
      [`default/${n.id}`, n.id],
      ...n.ifaces.flatMap((f) => (f.ip && f.kind !== 'loopback' ? [[f.ip, n.id]] : [])),
    ]);
    externalIds.set(sim, (hosts = new Map(names as [string, string][])));
  }
  return hosts.get(end);
}

const refName = (ref: { namespace: string; name: string }) => `${ref.namespace}/${ref.name}`;

/** The pods (and their hosts) an action names: a ping's or connect's two ends, a crashed pod. */
function actionNetns(sim: Simulation, action: Action | undefined, now: Snapshot): string[] {
  if (!action) return [];
  if (action.kind === 'iptables' || action.kind === 'drain' || action.kind === 'node-down')
    return [action.node];
  if (action.kind === 'scale') return [];
  const ends =
    action.kind === 'ping' || action.kind === 'connect' || action.kind === 'send'
      ? [refName(action.from), action.to]
      : action.kind === 'http'
        ? [refName(action.from), action.resolve?.addr ?? action.host]
        : action.kind === 'dig' || action.kind === 'resolve'
          ? [refName(action.from)]
          : [refName(action.pod)];
  return ends.flatMap((end) => {
    // `to` is a pod ("ns/name" or "name") or an address, as written. Compared by its parts:
    // a big cluster's thousands of pods, at every step, without building a string for each.
    const slash = end.indexOf('/');
    const [ns, name] = slash < 0 ? ['', end] : [end.slice(0, slash), end.slice(slash + 1)];
    const pod = now.pods.find(
      (p) =>
        (p.name === name && (p.namespace === ns || (p.namespace === 'default' && slash < 0))) ||
        p.ip === end,
    );
    const node = pod?.node ?? now.nodes.find((n) => n.ip === end)?.name;
    const host = node === undefined ? undefined : hostOf(sim, node);
    // A machine outside the cluster (spec.hosts) is written by its name: "laptop".
    const external = pod || host ? undefined : externalOf(sim, end);
    return [...(pod ? [pod.netns] : []), ...(host ? [host] : []), ...(external ? [external] : [])];
  });
}

/**
 * The netns ids in focus at a step: those the step involves and those of the
 * pods its action names, so a ping's two ends stay in view while it runs.
 */
export function focusNetns(sim: Simulation, now: Snapshot, stepIndex: number): ReadonlySet<string> {
  const step = sim.steps[stepIndex];
  if (!step) return new Set();
  const action = sim.scenario.scenario.actions[step.action];
  return new Set([...stepNetns(step), ...actionNetns(sim, action, now)]);
}

export interface Shown<T> {
  readonly items: readonly T[];
  /** How many sections there are in all. */
  readonly total: number;
  /** 'all': a small cluster; 'focus': the step's sections; 'filter': matches of the filter. */
  readonly mode: 'all' | 'focus' | 'filter';
  /** Matches of the filter beyond FILTER_CAP, not shown. */
  readonly more: number;
}

/** The sections to show out of `all`, in `all`'s order. */
export function pickShown<T>(
  all: readonly T[],
  filter: string,
  inFocus: (item: T) => boolean,
  matches: (item: T, query: string) => boolean,
): Shown<T> {
  const total = all.length;
  if (total <= FOCUS_FROM) return { items: all, total, mode: 'all', more: 0 };
  const query = filter.trim().toLowerCase();
  if (!query) return { items: all.filter(inFocus), total, mode: 'focus', more: 0 };
  const hits = all.filter((item) => matches(item, query));
  return {
    items: hits.slice(0, FILTER_CAP),
    total,
    mode: 'filter',
    more: Math.max(0, hits.length - FILTER_CAP),
  };
}

/** How many rows a table shows: all in a small cluster, ROW_LIMIT in a big one. */
export const rowLimit = (shown: Shown<unknown>): number | undefined =>
  shown.mode === 'all' ? undefined : ROW_LIMIT;
