/**
 * Faults on workloads and nodes, played as the controllers play them:
 *
 * - scale: the ReplicaSet controller (pkg/controller/replicaset) creates
 *   pods named from generateName "<rs>-", or deletes the ones
 *   getPodsToDelete ranks first (controller_utils.go ActivePodsWithRanks);
 * - the scheduler binds a new pod to a node that passes its filters
 *   (NodeUnschedulable, TaintToleration, NodeResourcesFit's pod count
 *   against the kubelet's max-pods 110) or reports FitError's message;
 * - drain: kubectl cordons the node, then evicts its pods (refusing pods
 *   no controller owns unless --force); their ReplicaSets replace them;
 * - node-down: the node stops answering; after --node-monitor-grace-period
 *   (40 s) the node lifecycle controller sets Ready=Unknown, taints it and
 *   marks its pods not ready; 300 s later (the default toleration of
 *   node.kubernetes.io/unreachable) the taint-eviction controller deletes
 *   them, and they stay Terminating because no kubelet confirms.
 *
 * Where the real ones pick at random (the scheduler among equal scores,
 * getPodsToDelete by UID among equal ranks) Kubewire picks by node order and
 * by the pod's sandbox ID (seeded), so a trace stays the same for a seed.
 */
import type { World } from '../dataplane/world.ts';
import { createRng, type Rng } from '../engine/rng.ts';
import type { PodStatus } from '../model.ts';
import type {
  ClusterSpec,
  DeploymentSpec,
  DrainAction,
  NodeDownAction,
  PodSpec,
  ScaleAction,
  WorkloadSpec,
} from '../scenario/types.ts';
import { generateName } from './apiserver/names.ts';
import { podKey, startPod, type KubeletContext } from './kubelet.ts';
import { deletePodGracefully, type TerminationHost } from './termination.ts';

/** The kubelet's --max-pods (KubeletConfiguration maxPods) default. */
export const DEFAULT_MAX_PODS = 110;
/** kube-controller-manager --node-monitor-grace-period default (SetDefaults_NodeLifecycleControllerConfiguration). */
export const NODE_MONITOR_GRACE_SECONDS = 40;
/** --node-monitor-period: how often the node lifecycle controller looks. */
export const NODE_MONITOR_PERIOD_SECONDS = 5;
/** The DefaultTolerationSeconds admission plugin: tolerate not-ready/unreachable NoExecute for 300 s. */
export const DEFAULT_TOLERATION_SECONDS = 300;

const UNREACHABLE_TAINTS = [
  'node.kubernetes.io/unreachable:NoSchedule',
  'node.kubernetes.io/unreachable:NoExecute',
];

export interface FaultHost {
  readonly world: World;
  readonly kubelet: KubeletContext;
  readonly termination: TerminationHost;
  /** Every pod spec by "ns/name", the controllers' new pods added as they are made. */
  readonly specs: Map<string, PodSpec>;
  readonly cluster: ClusterSpec;
  readonly deployments: readonly DeploymentSpec[];
  readonly workloads: readonly WorkloadSpec[];
  /** A pod changed: the EndpointSlice controller and kube-proxy follow. */
  podsChanged(): void;
  /** Runs fn later, in the foreground (the action waits for it). */
  at(delayUs: number, fn: () => void): void;
  /** Runs fn later in the background: the next actions go on meanwhile (a controller's own clock). */
  later(delayUs: number, fn: () => void): void;
  /** When each pod was created (its sandbox step), µs. */
  readonly createdUs: Map<string, number>;
}

/** One Deployment's ReplicaSet as its controller keeps it. */
interface ReplicaSetState {
  readonly deployment: DeploymentSpec;
  replicas: number;
  /** Pod names it ever created (a new name must not clash with one). */
  readonly names: Set<string>;
  /** Pods it created that no node took (FailedScheduling): "ns/name". */
  readonly unscheduled: Set<string>;
  readonly rng: Rng;
}

export interface WorkloadFaults {
  scale(a: ScaleAction): void;
  /** Returns whether the drain went ahead (false: refused, nothing evicted). */
  drain(a: DrainAction): boolean;
  nodeDown(a: NodeDownAction): void;
  /** Controller work still to come in the background (a node lifecycle timer): the trace waits for it. */
  pending(): number;
}

export function workloadFaults(host: FaultHost): WorkloadFaults {
  const { world } = host;
  const sets = new Map<string, ReplicaSetState>();
  let pending = 0;
  const later = (us: number, fn: () => void) => {
    pending++;
    host.later(us, () => {
      pending--;
      fn();
    });
  };
  const rsOf = (d: DeploymentSpec): ReplicaSetState => {
    const key = `${d.namespace}/${d.name}`;
    let s = sets.get(key);
    if (!s) {
      // The stream that named the first pods (api-objects.ts deploymentPods), drawn past them.
      const rng = createRng(host.cluster.seed)
        .fork('replicaset-controller')
        .fork(`${d.namespace}/${d.replicaSet}`);
      const names = new Set<string>();
      while (names.size < d.pods.length) names.add(generateName(rng, `${d.replicaSet}-`));
      s = { deployment: d, replicas: d.replicas, names, unscheduled: new Set(), rng };
      sets.set(key, s);
    }
    return s;
  };
  const ownerOf = (key: string): ReplicaSetState | undefined => {
    const [ns, name] = key.split('/');
    for (const d of host.deployments) {
      if (d.namespace !== ns || !name.startsWith(`${d.replicaSet}-`)) continue;
      const s = rsOf(d);
      if (s.names.has(name)) return s;
    }
    return undefined;
  };
  /** IsPodActive: not Succeeded/Failed (a sandbox that failed is still Pending) and not being deleted. */
  const activePods = (s: ReplicaSetState): PodStatus[] =>
    world.state.pods.filter(
      (p) =>
        p.namespace === s.deployment.namespace && s.names.has(p.name) && p.deletion === undefined,
    );

  function createPod(s: ReplicaSetState, why: 'scale' | 'replace'): void {
    const d = s.deployment;
    let name = generateName(s.rng, `${d.replicaSet}-`);
    while (s.names.has(name)) name = generateName(s.rng, `${d.replicaSet}-`);
    s.names.add(name);
    const key = `${d.namespace}/${name}`;
    world.record({
      kind: 'control',
      place: { node: '', netns: '' },
      summary: `ReplicaSet ${d.replicaSet}: create pod ${name}`,
      facts: { type: 'rs.create', replicaSet: `${d.namespace}/${d.replicaSet}`, pod: key, why },
      touched: [],
    });
    const placed = schedule(host, key, s);
    if (typeof placed !== 'string') {
      s.unscheduled.add(key);
      world.record({
        kind: 'error',
        place: { node: '', netns: '' },
        summary: `${key}: FailedScheduling: ${placed.message}`,
        facts: { type: 'scheduler.failed', pod: key, message: placed.message },
        touched: [],
      });
      return;
    }
    const template = d.template ?? host.specs.get(`${d.namespace}/${d.pods[0]}`);
    if (!template) return;
    const spec: PodSpec = {
      ...template,
      labels: template.labels,
      namespace: d.namespace,
      name,
      nodeName: placed,
      pos: d.pos,
    };
    host.specs.set(key, spec);
    host.createdUs.set(key, world.timeUs);
    startPod(host.kubelet, spec);
  }

  function scale(a: ScaleAction): void {
    const d = host.deployments.find(
      (x) => x.namespace === a.deployment.namespace && x.name === a.deployment.name,
    );
    if (!d) return;
    const s = rsOf(d);
    const active = activePods(s);
    const pending = [...s.unscheduled];
    const from = s.replicas;
    s.replicas = a.replicas;
    world.record({
      kind: 'control',
      place: { node: '', netns: '' },
      summary: `deployment.apps/${d.name} scaled (replicas ${from} → ${a.replicas})`,
      facts: {
        type: 'deployment.scale',
        deployment: `${d.namespace}/${d.name}`,
        replicaSet: `${d.namespace}/${d.replicaSet}`,
        from,
        to: a.replicas,
        active: active.length + pending.length,
      },
      touched: [],
    });
    const diff = a.replicas - active.length - pending.length;
    if (diff > 0) {
      for (let i = 0; i < diff; i++) createPod(s, 'scale');
      host.podsChanged();
      return;
    }
    if (diff === 0) return;
    // Unscheduled pods go first (rule 1); they have no kubelet, so the API server removes them at once.
    let left = -diff;
    for (const key of pending) {
      if (left === 0) break;
      left--;
      s.unscheduled.delete(key);
      world.record({
        kind: 'control',
        place: { node: '', netns: '' },
        summary: `ReplicaSet ${d.replicaSet}: delete pod ${key.split('/')[1]} (unscheduled)`,
        facts: {
          type: 'rs.delete',
          replicaSet: `${d.namespace}/${d.replicaSet}`,
          pod: key,
          rank: 'it was never scheduled',
          node: '',
        },
        touched: [],
      });
    }
    const ranked = podsToDelete(active, host.createdUs, world.timeUs, (n) => world.node(n), left);
    for (const { pod, rank } of ranked) {
      const key = podKey(pod);
      world.record({
        kind: 'control',
        place: { node: pod.node, netns: pod.netns },
        summary: `ReplicaSet ${d.replicaSet}: delete pod ${pod.name} (${rank})`,
        facts: {
          type: 'rs.delete',
          replicaSet: `${d.namespace}/${d.replicaSet}`,
          pod: key,
          rank,
          node: pod.node,
        },
        touched: [],
      });
      const spec = host.specs.get(key);
      if (spec) deletePodGracefully(host.termination, spec, true);
    }
  }

  /** The ReplicaSet of a pod being deleted counts one short: it creates another (scheduled elsewhere). */
  function replace(keys: readonly string[]): void {
    const owners = keys.map(ownerOf).filter((s): s is ReplicaSetState => s !== undefined);
    if (!owners.length) return;
    host.at(CONTROLLER_DELAY_US, () => {
      for (const s of new Set(owners)) {
        const missing = s.replicas - activePods(s).length - s.unscheduled.size;
        for (let i = 0; i < missing; i++) createPod(s, 'replace');
      }
      host.podsChanged();
    });
  }

  function drain(a: DrainAction): boolean {
    const node = world.node(a.node);
    world.setNode({ ...node, unschedulable: true });
    world.record({
      kind: 'control',
      place: { node: a.node, netns: a.node },
      summary: node.unschedulable ? `node/${a.node} already cordoned` : `node/${a.node} cordoned`,
      facts: { type: 'node.cordon', node: a.node },
      touched: [],
    });
    const pods = world.state.pods.filter((p) => p.node === a.node && p.deletion === undefined);
    const owner = (p: PodStatus): string => {
      const key = podKey(p);
      const rs = ownerOf(key);
      if (rs) return `ReplicaSet ${rs.deployment.namespace}/${rs.deployment.replicaSet}`;
      const w = host.workloads.find((x) => x.namespace === p.namespace && x.pods.includes(p.name));
      return w ? `${w.kind} ${w.namespace}/${w.name}` : '';
    };
    const daemons = pods.filter((p) => owner(p).startsWith('DaemonSet '));
    const bare = pods.filter((p) => owner(p) === '');
    const keys = (ps: readonly PodStatus[]) => ps.map(podKey).join(', ');
    if (bare.length && !a.force) {
      // drain.filters.go unmanagedFatal; kubectl evicts nothing when any pod is refused.
      const message = `error: unable to drain node "${a.node}" due to error: cannot delete Pods that declare no controller (use --force to override): ${keys(bare)}, continuing command...`;
      world.record({
        kind: 'error',
        place: { node: a.node, netns: a.node },
        summary: message,
        facts: { type: 'drain.refused', node: a.node, pods: bare.map(podKey), message },
        touched: [],
      });
      return false;
    }
    const warn = (message: string) =>
      world.record({
        kind: 'control',
        place: { node: a.node, netns: a.node },
        summary: message,
        facts: { type: 'drain.warning', node: a.node, message },
        touched: [],
      });
    if (daemons.length) warn(`Warning: ignoring DaemonSet-managed Pods: ${keys(daemons)}`);
    if (bare.length) warn(`Warning: deleting Pods that declare no controller: ${keys(bare)}`);
    const evicted = pods.filter((p) => !daemons.includes(p));
    for (const p of evicted) {
      const key = podKey(p);
      world.record({
        kind: 'control',
        place: { node: p.node, netns: p.netns },
        summary: `evicting pod ${key}`,
        facts: { type: 'drain.evict', node: a.node, pod: key, owner: owner(p) },
        touched: [],
      });
      const spec = host.specs.get(key);
      if (spec) deletePodGracefully(host.termination, spec, true);
    }
    replace(evicted.map(podKey));
    return true;
  }

  function nodeDown(a: NodeDownAction): void {
    const node = world.node(a.node);
    if (node.down) return;
    world.setNode({ ...node, down: true });
    const pods = world.state.pods.filter((p) => p.node === a.node);
    world.record({
      kind: 'control',
      place: { node: a.node, netns: a.node },
      summary: `${a.node} (${node.ip}) is down`,
      facts: { type: 'node.down', node: a.node, ip: node.ip, pods: pods.map(podKey) },
      touched: [],
    });
    // The controller looks every 5 s: the first look more than the grace period after the last status.
    const periodUs = NODE_MONITOR_PERIOD_SECONDS * 1e6;
    const notReadyAt =
      Math.floor((world.timeUs + NODE_MONITOR_GRACE_SECONDS * 1e6) / periodUs + 1) * periodUs;
    const silent = notReadyAt - world.timeUs;
    later(silent, () => {
      world.setNode({ ...world.node(a.node), notReady: true });
      world.record({
        kind: 'control',
        place: { node: a.node, netns: a.node },
        summary: `node/${a.node} NotReady: Kubelet stopped posting node status.`,
        facts: {
          type: 'node.not-ready',
          node: a.node,
          graceSeconds: NODE_MONITOR_GRACE_SECONDS,
          silentSeconds: Math.round(silent / 1e6),
          taints: UNREACHABLE_TAINTS,
        },
        touched: [],
      });
      const here = world.state.pods.filter((p) => p.node === a.node);
      for (const p of here) {
        if (p.unready) continue;
        world.setPod({ ...p, unready: true });
        world.record({
          kind: 'control',
          place: { node: a.node, netns: p.netns },
          summary: `${podKey(p)}: Ready=False (node ${a.node} unreachable)`,
          facts: { type: 'node.pod-not-ready', node: a.node, pod: podKey(p), ip: p.ip ?? '' },
          touched: [],
        });
      }
      host.podsChanged();
      later(DEFAULT_TOLERATION_SECONDS * 1e6, () => evictUnreachable(a.node));
    });
  }

  function evictUnreachable(nodeName: string): void {
    const here = world.state.pods.filter((p) => p.node === nodeName && p.deletion === undefined);
    for (const p of here) {
      const grace = host.specs.get(podKey(p))?.terminationGracePeriodSeconds ?? 30;
      world.setPod({ ...p, deletion: { atUs: world.timeUs, graceSeconds: grace } });
      world.record({
        kind: 'control',
        place: { node: nodeName, netns: p.netns },
        summary: `${podKey(p)} Terminating: evicted by taint-eviction-controller (no kubelet to confirm)`,
        facts: {
          type: 'node.pod-evicted',
          node: nodeName,
          pod: podKey(p),
          ip: p.ip ?? '',
          tolerationSeconds: DEFAULT_TOLERATION_SECONDS,
        },
        touched: [],
      });
    }
    host.podsChanged();
    replace(here.map(podKey));
  }

  return { scale, drain, nodeDown, pending: () => pending };
}

/** An informer's event reaching a controller (as simulation.ts's CONTROLLER_DELAY_US). */
const CONTROLLER_DELAY_US = 2_000;

/** podPhaseToOrdinal: Pending < Unknown < Running. A sandbox that failed is Pending to the API. */
const phaseOrdinal = (p: PodStatus) => (p.phase === 'Running' ? 2 : 0);

/** podutil.IsPodReady, with the node lifecycle controller's MarkPodsNotReady folded in. */
export const isPodReady = (p: PodStatus) =>
  p.phase === 'Running' && !p.unready && p.containers.every((c) => c.state === 'running');

/** logarithmicRankDiff: compare how long ago two times were, in powers of two (of nanoseconds). */
function logRank(t: number, nowUs: number): number {
  const d = (nowUs - t) * 1000;
  return d > 0 ? Math.floor(Math.log2(d)) : -1;
}

/**
 * getPodsToDelete: the active pods in the order the ReplicaSet controller
 * deletes them (ActivePodsWithRanks.Less, with LogarithmicScaleDown), each
 * with the rule that put it ahead of the next. The rank is the number of
 * this ReplicaSet's active pods on the same node (getPodsRankedByRelatedPodsOnSameNode).
 * No pod here has a controller.kubernetes.io/pod-deletion-cost annotation.
 */
export function podsToDelete(
  pods: readonly PodStatus[],
  createdUs: ReadonlyMap<string, number>,
  nowUs: number,
  nodeOf: (name: string) => { readonly notReady?: boolean },
  count: number,
): { pod: PodStatus; rank: string }[] {
  const onNode = new Map<string, number>();
  for (const p of pods) onNode.set(p.node, (onNode.get(p.node) ?? 0) + 1);
  const ready = (p: PodStatus) => isPodReady(p) && !nodeOf(p.node).notReady;
  const restarts = (p: PodStatus) => Math.max(0, ...p.containers.map((c) => c.restartCount));
  const created = (p: PodStatus) => createdUs.get(podKey(p)) ?? 0;
  /** Which rule orders a before b (negative: a first), and its words. */
  const compare = (a: PodStatus, b: PodStatus): [number, string] => {
    if (phaseOrdinal(a) !== phaseOrdinal(b))
      return [phaseOrdinal(a) - phaseOrdinal(b), 'Pending before Running'];
    if (ready(a) !== ready(b)) return [ready(a) ? 1 : -1, 'not Ready before Ready'];
    const ra = onNode.get(a.node)!;
    const rb = onNode.get(b.node)!;
    if (ra !== rb) return [rb - ra, `${ra} of its pods on ${a.node}, ${rb} on ${b.node}`];
    // Rule 5 compares the Ready condition's time: a pod is ready as it starts here.
    const ta = logRank(created(a), nowUs);
    const tb = logRank(created(b), nowUs);
    if (ready(a) && ready(b) && ta !== tb) return [ta - tb, `ready for less time than ${b.name}`];
    if (restarts(a) !== restarts(b)) return [restarts(b) - restarts(a), 'more restarts'];
    if (ta !== tb) return [ta - tb, `newer than ${b.name}`];
    // Equal logarithmic ranks: by UID, a pseudo-random order (the sandbox ID stands in for it).
    return [
      a.sandboxId < b.sandboxId ? -1 : a.sandboxId > b.sandboxId ? 1 : 0,
      `as old as ${b.name} in powers of two: by UID`,
    ];
  };
  const sorted = [...pods].sort((a, b) => compare(a, b)[0]);
  // Each deleted pod's reason: the rule that puts it ahead of the first pod kept.
  const kept = sorted[count];
  return sorted.slice(0, count).map((pod) => ({
    pod,
    rank: kept ? compare(pod, kept)[1] : 'no pod is kept',
  }));
}

/**
 * The scheduler for one new pod: the node it binds to, or FitError's
 * message ("0/3 nodes are available: 3 Too many pods. preemption: …").
 * Scoring: PodTopologySpread's system default spreads a ReplicaSet's pods
 * over nodes, and NodeResourcesFit (every pod requesting the default
 * 100m/200Mi when it asks for nothing) prefers the emptier node.
 */
function schedule(host: FaultHost, key: string, s: ReplicaSetState): string | { message: string } {
  const { world, cluster } = host;
  const pods = world.state.pods;
  const reasons = new Map<string, string>();
  const feasible: { name: string; same: number; all: number }[] = [];
  for (const n of cluster.nodes) {
    const node = world.node(n.name);
    const here = pods.filter((p) => p.node === n.name);
    if (node.unschedulable) reasons.set(n.name, 'node(s) were unschedulable');
    else if (node.notReady)
      reasons.set(n.name, 'node(s) had untolerated taint {node.kubernetes.io/unreachable: }');
    else if (here.length >= DEFAULT_MAX_PODS) reasons.set(n.name, 'Too many pods');
    else
      feasible.push({
        name: n.name,
        same: here.filter((p) => p.namespace === s.deployment.namespace && s.names.has(p.name))
          .length,
        all: here.length,
      });
  }
  if (feasible.length) {
    feasible.sort((a, b) => a.same - b.same || a.all - b.all);
    const best = feasible[0];
    world.record({
      kind: 'control',
      place: { node: best.name, netns: best.name },
      summary: `Successfully assigned ${key} to ${best.name}`,
      facts: {
        type: 'scheduler.bind',
        pod: key,
        node: best.name,
        sameOwner: best.same,
        podsOnNode: best.all,
      },
      touched: [],
    });
    return best.name;
  }
  return { message: fitError(cluster.nodes.length, [...reasons.values()]) };
}

/** FitError.Error() with the default preemption plugin's message after it. */
export function fitError(nodes: number, reasons: readonly string[]): string {
  const histogram = (rs: readonly string[]) => {
    const counts = new Map<string, number>();
    for (const r of rs) counts.set(r, (counts.get(r) ?? 0) + 1);
    return [...counts]
      .map(([r, n]) => `${n} ${r}`)
      .sort()
      .join(', ');
  };
  // Preemption could only free a node of lower-priority pods: every pod here has priority 0.
  const preemption = reasons.map((r) =>
    r === 'Too many pods'
      ? 'No preemption victims found for incoming pod'
      : 'Preemption is not helpful for scheduling',
  );
  return `0/${nodes} nodes are available: ${histogram(reasons)}. preemption: 0/${nodes} nodes are available: ${histogram(preemption)}.`;
}
