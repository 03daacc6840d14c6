/**
 * The Kubernetes objects of a simulation as `kubectl get` would list them at
 * one step: pods from the kubelets' status, Services and EndpointSlices from
 * the API server's store, Deployments and ReplicaSets from the scenario, each
 * with the creation time the trace gives it.
 *
 * Where AGE cannot match a real cluster: Services (the `kubernetes` one
 * included, which a real cluster creates at bootstrap) and the workloads are
 * created when the scenario loads, at time 0; a pod's creationTimestamp is
 * taken as the kubelet's sandbox step (a real pod object exists a little
 * earlier, before the scheduler binds it); and a trace lasts seconds, so
 * ages read `0s`…`Ns` where a real cluster shows minutes or days.
 */
import type { Simulation } from '../api.ts';
import type { EndpointSlice, Ingress, Service } from '../k8s/api-types.ts';
import { classProblem } from '../k8s/ingress/model.ts';
import { ingressAddress } from '../k8s/ingress/status.ts';
import type { PodStatus, Snapshot } from '../model.ts';
import type { PodView, WorkloadView } from './kubectl-printers.ts';

export interface Dated<T> {
  readonly object: T;
  readonly createdUs?: number;
}

/** The objects at step `index`, and the time kubectl runs at (the step's time). */
export interface ClusterObjects {
  readonly nowUs: number;
  readonly pods: readonly PodView[];
  readonly services: readonly Dated<Service>[];
  readonly endpointSlices: readonly Dated<EndpointSlice>[];
  readonly deployments: readonly (WorkloadView & { readonly namespace: string })[];
  readonly replicaSets: readonly (WorkloadView & { readonly namespace: string })[];
  /** With the address ingress-nginx reports for the Ingresses it owns (none for the others). */
  readonly ingresses: readonly (Dated<Ingress> & { readonly address: readonly string[] })[];
}

const podKey = (p: { namespace: string; name: string }) => `${p.namespace}/${p.name}`;

/**
 * The API server's lists are immutable and shared by every step until the next write, so
 * their dated views are too: a panel can keep what it printed from one while it is the
 * same object (2,000 Services: a step no longer re-prints `kubectl get` unless AGE moved).
 */
const SERVICE_VIEWS = new WeakMap<readonly Service[], readonly Dated<Service>[]>();
const SLICE_VIEWS = new WeakMap<readonly EndpointSlice[], readonly Dated<EndpointSlice>[]>();

function keep<K extends object, V>(cache: WeakMap<K, V>, key: K, make: (key: K) => V): V {
  let v = cache.get(key);
  if (v === undefined) cache.set(key, (v = make(key)));
  return v;
}

/** A pod is Ready when it runs and every container is running (Kubewire has no probes). */
const podReady = (p: PodStatus) =>
  p.phase === 'Running' && p.containers.every((c) => c.state === 'running');

/** A time the trace gives something, and the step it gives it at. */
interface Dating {
  readonly step: number;
  readonly timeUs: number;
}

/**
 * Facts the trace gives, indexed once per simulation: when each pod's sandbox
 * came up, when each container died, when each slice was created. A step's
 * view then looks its objects up instead of scanning the steps before it (a
 * scan of 12,000 steps at every step, at 2,500 pods).
 */
interface Timeline {
  readonly podCreated: ReadonlyMap<string, Dating>;
  /** netns + '/' + container → its crashes, in step order. */
  readonly crashes: ReadonlyMap<string, readonly Dating[]>;
  /** "ns/slice" → its creations, in step order (a deleted slice's name may come back). */
  readonly sliceCreated: ReadonlyMap<string, readonly Dating[]>;
  /** "ns/deployment" → each scale's replicas, in step order (as `timeUs`, read by lastAt). */
  readonly scaled: ReadonlyMap<string, readonly Dating[]>;
  /**
   * Pods a ReplicaSet created that no node took (FailedScheduling), "ns/name": from the
   * step the scheduler gave up to the step the ReplicaSet deleted them (never, if it did not).
   */
  readonly unscheduled: ReadonlyMap<string, { readonly from: Dating; until?: number }>;
  /** The scenario's pod specs by "ns/name". */
  readonly specs: ReadonlyMap<string, Simulation['scenario']['pods'][number]>;
}

const timelines = new WeakMap<Simulation, Timeline>();

function push(m: Map<string, Dating[]>, key: string, d: Dating): void {
  const list = m.get(key);
  if (list) list.push(d);
  else m.set(key, [d]);
}

function timelineOf(sim: Simulation): Timeline {
  const known = timelines.get(sim);
  if (known) return known;
  const podCreated = new Map<string, Dating>();
  const crashes = new Map<string, Dating[]>();
  const sliceCreated = new Map<string, Dating[]>();
  const scaled = new Map<string, Dating[]>();
  const unscheduled = new Map<string, { from: Dating; until?: number }>();
  for (const s of sim.steps) {
    const f = s.facts;
    const d = { step: s.index, timeUs: s.timeUs };
    if (f.type === 'kubelet.sandbox' && !podCreated.has(f.pod)) podCreated.set(f.pod, d);
    else if (f.type === 'kubelet.crash') push(crashes, `${s.place.netns}/${f.container}`, d);
    else if (f.type === 'deployment.scale')
      push(scaled, f.deployment, { step: s.index, timeUs: f.to });
    else if (f.type === 'scheduler.failed') unscheduled.set(f.pod, { from: d });
    else if (f.type === 'rs.delete' && unscheduled.has(f.pod))
      unscheduled.get(f.pod)!.until ??= s.index;
    else if (f.type === 'eps.write' && f.action === 'create')
      push(sliceCreated, `${f.service.split('/')[0]}/${f.slice}`, d);
  }
  const specs = new Map(sim.scenario.pods.map((p) => [podKey(p), p]));
  const t = { podCreated, crashes, sliceCreated, scaled, unscheduled, specs };
  timelines.set(sim, t);
  return t;
}

/** The last of `list` (in step order) at or before step `index`. */
function lastAt(list: readonly Dating[] | undefined, index: number): number | undefined {
  if (!list) return undefined;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].step <= index) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? list[lo - 1].timeUs : undefined;
}

/**
 * A pod as kubectl reads it. The kubelet reports a sandbox that failed to
 * come up (host-local out of addresses) by keeping the pod Pending with its
 * containers waiting in ContainerCreating, which is what kubectl shows; a
 * crashed container is terminated with reason Error until it restarts.
 */
function podView(
  p: PodStatus,
  created: number | undefined,
  crash: (c: string) => number | undefined,
): PodView {
  const sandboxFailed = p.phase === 'Failed';
  return {
    namespace: p.namespace,
    name: p.name,
    ...(created !== undefined ? { createdUs: created } : {}),
    nodeName: p.node,
    phase: sandboxFailed ? 'Pending' : p.phase,
    ...(p.ip ? { podIP: p.ip } : {}),
    specContainers: p.containers.length,
    podReady: podReady(p),
    ...(p.deletion ? { deleting: true } : {}),
    containers: p.containers.map((c) => {
      const last = crash(c.name);
      const state = sandboxFailed ? 'waiting' : c.state;
      const exitCode = c.exitCode ?? 1;
      const reason =
        state === 'waiting'
          ? 'ContainerCreating'
          : state === 'terminated'
            ? exitCode === 0
              ? 'Completed'
              : 'Error'
            : undefined;
      return {
        ready: !sandboxFailed && c.state === 'running' && p.phase === 'Running',
        restartCount: c.restartCount,
        state,
        ...(reason ? { reason } : {}),
        ...(state === 'terminated' ? { exitCode } : {}),
        ...(c.restartCount > 0 && last !== undefined ? { lastTerminatedUs: last } : {}),
      };
    }),
  };
}

/**
 * The pods no node took, at step `index`: Pending with no node, no IP and no container
 * statuses (the kubelet never saw them), so kubectl prints `0/N Pending` and `<none>`.
 */
function pendingPods(sim: Simulation, t: Timeline, index: number): PodView[] {
  const out: PodView[] = [];
  for (const [key, u] of t.unscheduled) {
    if (u.from.step > index || (u.until !== undefined && u.until <= index)) continue;
    const [namespace, name] = key.split('/');
    const d = sim.scenario.deployments.find(
      (d) => d.namespace === namespace && name.startsWith(`${d.replicaSet}-`),
    );
    const containers =
      d?.template?.containers ?? t.specs.get(`${namespace}/${d?.pods[0]}`)?.containers;
    out.push({
      namespace,
      name,
      createdUs: u.from.timeUs,
      phase: 'Pending',
      specContainers: containers?.length ?? 1,
      podReady: false,
      containers: [],
    });
  }
  return out;
}

/**
 * The objects at step `index`. Pods, slices and workloads are built when first read: a
 * panel of Services reads no pods.
 */
export function clusterObjects(sim: Simulation, index: number): ClusterObjects {
  const snap: Snapshot = sim.stateAt(index);
  const t = timelineOf(sim);
  const once = <T>(f: () => T): (() => T) => {
    let v: T | undefined;
    let done = false;
    return () => {
      if (!done) [v, done] = [f(), true];
      return v as T;
    };
  };
  const pods = once(() => [
    ...snap.pods.map((p) => {
      const created = t.podCreated.get(podKey(p));
      return podView(p, created && created.step <= index ? created.timeUs : undefined, (c) =>
        lastAt(t.crashes.get(`${p.netns}/${c}`), index),
      );
    }),
    ...pendingPods(sim, t, index),
  ]);
  const workloads = once(() => {
    const statusOf = new Map(snap.pods.map((p) => [podKey(p), p]));
    const deployments: (WorkloadView & { namespace: string })[] = [];
    const replicaSets: (WorkloadView & { namespace: string })[] = [];
    for (const d of sim.scenario.deployments) {
      // The ReplicaSet's pods: "<rs>-" and five generated characters, those a scale made too.
      const mine = snap.pods.filter(
        (p) =>
          p.namespace === d.namespace &&
          p.name.length === d.replicaSet.length + 6 &&
          p.name.startsWith(`${d.replicaSet}-`) &&
          statusOf.has(podKey(p)),
      );
      const spec = t.specs.get(`${d.namespace}/${d.pods[0]}`);
      const base = {
        namespace: d.namespace,
        createdUs: 0,
        replicas: lastAt(t.scaled.get(`${d.namespace}/${d.name}`), index) ?? d.replicas,
        current: mine.length,
        ready: mine.filter(podReady).length,
        containers: (spec?.containers ?? []).map((c) => ({ name: c.name, image: c.image })),
      };
      // spec.selector is not kept by the loaded scenario: the wide SELECTOR column stays unknown.
      deployments.push({ ...base, name: d.name });
      replicaSets.push({ ...base, name: d.replicaSet });
    }
    return { deployments, replicaSets };
  });
  const services = once(() =>
    keep(SERVICE_VIEWS, snap.api.services, (list) =>
      list.map((object) => ({ object, createdUs: 0 })),
    ),
  );
  // The list is replaced whenever a slice is written (created included), so one list's
  // creation times are the same at every step that holds it.
  const endpointSlices = once(() =>
    keep(SLICE_VIEWS, snap.api.endpointSlices, (list) =>
      list.map((object) => ({
        object,
        createdUs: lastAt(t.sliceCreated.get(podKey(object.metadata)), index) ?? 0,
      })),
    ),
  );
  return {
    nowUs: snap.timeUs,
    get pods() {
      return pods();
    },
    get services() {
      return services();
    },
    get endpointSlices() {
      return endpointSlices();
    },
    get deployments() {
      return workloads().deployments;
    },
    get replicaSets() {
      return workloads().replicaSets;
    },
    get ingresses() {
      return ingressViews(sim, snap);
    },
  };
}

function ingressViews(sim: Simulation, snap: Snapshot): ClusterObjects['ingresses'] {
  const { cluster, ingresses, ingressClasses } = sim.scenario;
  const address = ingressAddress(cluster, snap.api.services, snap.pods);
  return ingresses.map((object) => ({
    object,
    createdUs: 0,
    address: classProblem(object, ingressClasses) ? [] : address,
  }));
}
