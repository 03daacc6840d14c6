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
import type { EndpointSlice, Service } from '../k8s/api-types.ts';
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
}

const podKey = (p: { namespace: string; name: string }) => `${p.namespace}/${p.name}`;

/** A pod is Ready when it runs and every container is running (Kubewire has no probes). */
const podReady = (p: PodStatus) =>
  p.phase === 'Running' && p.containers.every((c) => c.state === 'running');

/** Facts the trace gives by step: when each pod started and when each container last died. */
function timeline(sim: Simulation, index: number) {
  const podCreated = new Map<string, number>();
  const lastCrash = new Map<string, number>(); // netns + '/' + container
  const sliceCreated = new Map<string, number>();
  for (const s of sim.steps) {
    if (s.index > index) break;
    const f = s.facts;
    if (f.type === 'kubelet.sandbox' && !podCreated.has(f.pod)) podCreated.set(f.pod, s.timeUs);
    else if (f.type === 'kubelet.crash') lastCrash.set(`${s.place.netns}/${f.container}`, s.timeUs);
    else if (f.type === 'eps.write' && f.action === 'create')
      sliceCreated.set(`${f.service.split('/')[0]}/${f.slice}`, s.timeUs);
  }
  return { podCreated, lastCrash, sliceCreated };
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
    containers: p.containers.map((c) => {
      const last = crash(c.name);
      const state = sandboxFailed ? 'waiting' : c.state;
      const reason =
        state === 'waiting' ? 'ContainerCreating' : state === 'terminated' ? 'Error' : undefined;
      return {
        ready: !sandboxFailed && c.state === 'running' && p.phase === 'Running',
        restartCount: c.restartCount,
        state,
        ...(reason ? { reason } : {}),
        ...(state === 'terminated' ? { exitCode: 1 } : {}),
        ...(c.restartCount > 0 && last !== undefined ? { lastTerminatedUs: last } : {}),
      };
    }),
  };
}

export function clusterObjects(sim: Simulation, index: number): ClusterObjects {
  const snap: Snapshot = sim.stateAt(index);
  const t = timeline(sim, index);
  const pods = snap.pods.map((p) =>
    podView(p, t.podCreated.get(podKey(p)), (c) => t.lastCrash.get(`${p.netns}/${c}`)),
  );
  const statusOf = new Map(snap.pods.map((p) => [podKey(p), p]));
  const deployments: (WorkloadView & { namespace: string })[] = [];
  const replicaSets: (WorkloadView & { namespace: string })[] = [];
  for (const d of sim.scenario.deployments) {
    const mine = d.pods
      .map((name) => statusOf.get(`${d.namespace}/${name}`))
      .filter((p): p is PodStatus => p !== undefined);
    const spec = sim.scenario.pods.find((p) => p.namespace === d.namespace && p.name === d.pods[0]);
    const base = {
      namespace: d.namespace,
      createdUs: 0,
      replicas: d.replicas,
      current: mine.length,
      ready: mine.filter(podReady).length,
      containers: (spec?.containers ?? []).map((c) => ({ name: c.name, image: c.image })),
    };
    // spec.selector is not kept by the loaded scenario: the wide SELECTOR column stays unknown.
    deployments.push({ ...base, name: d.name });
    replicaSets.push({ ...base, name: d.replicaSet });
  }
  return {
    nowUs: snap.timeUs,
    pods,
    services: snap.api.services.map((object) => ({ object, createdUs: 0 })),
    endpointSlices: snap.api.endpointSlices.map((object) => ({
      object,
      createdUs: t.sliceCreated.get(podKey(object.metadata)) ?? 0,
    })),
    deployments,
    replicaSets,
  };
}
