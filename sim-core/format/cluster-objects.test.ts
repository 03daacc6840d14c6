/**
 * [CLI5] kubectl get's dates at any step: clusterObjects indexes the trace once per
 * simulation, and each step's view looks its dates up. What a user sees at a step must be
 * what the steps up to it say, not the whole trace: a pod is not created before its sandbox
 * step, a restart is counted only after the crash, and the RESTARTS column's "(Ns ago)"
 * counts from the last crash at or before the step (kubectl's printPod).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../simulation.ts';
import { repoRoot } from '../test/cli.ts';
import { clusterObjects } from './cluster-objects.ts';
import { kubectlGet } from './kubectl-get.ts';

const text = readFileSync(join(repoRoot, 'public/scenarios/pod-lifecycle.yaml'), 'utf8');
const loaded = createSimulation(text);
if (!loaded.ok) throw new Error('pod-lifecycle.yaml does not load');
const sim = loaded.sim;

describe('clusterObjects at a step', () => {
  const crash = sim.steps.find((s) => s.facts.type === 'kubelet.crash')!;
  // The last pod to start: its sandbox step is well into the trace (it is deleted later).
  const sandbox = sim.steps.findLast((s) => s.facts.type === 'kubelet.sandbox')!;
  const name = sandbox.facts.type === 'kubelet.sandbox' ? sandbox.facts.pod.split('/')[1] : '';
  const pod = (i: number, n = name) => clusterObjects(sim, i).pods.find((p) => p.name === n);

  it('a pod has no creation time before its sandbox step, and the sandbox step’s time after', () => {
    expect(sandbox.index).toBeGreaterThan(0);
    expect(pod(sandbox.index - 1)?.createdUs).toBeUndefined();
    expect(pod(sandbox.index)?.createdUs).toBe(sandbox.timeUs);
    expect(pod(sandbox.index + 1)?.createdUs).toBe(sandbox.timeUs);
  });

  it('a crashed container’s last termination is the crash, only from the crash step on', () => {
    expect(crash).toBeDefined();
    const container = crash.facts.type === 'kubelet.crash' ? crash.facts.container : '';
    const i = sim.scenario.pods
      .find((p) => p.name === 'web')!
      .containers.findIndex((c) => c.name === container);
    const at = (step: number) => pod(step, 'web')?.containers[i];
    expect(at(crash.index - 1)?.lastTerminatedUs).toBeUndefined();
    expect(at(sim.steps.length - 1)?.restartCount).toBe(1);
    expect(at(sim.steps.length - 1)?.lastTerminatedUs).toBe(crash.timeUs);
  });

  it('the same answers whichever order the steps are asked in (the index keeps no cursor)', () => {
    const view = (i: number) => JSON.stringify(clusterObjects(sim, i).pods);
    const [early, late] = [view(sandbox.index - 1), view(sim.steps.length - 1)];
    expect(early).not.toBe(late);
    expect(view(sandbox.index - 1)).toBe(early);
  });
});

/**
 * The Services and EndpointSlices views are kept per API list (a panel re-prints 2,000 rows
 * only when the list changes): whatever order the steps are visited in, each step's
 * `kubectl get` is what a fresh simulation prints there, slices' AGE included.
 */
describe('clusterObjects kept per API list', () => {
  const file = readFileSync(join(repoRoot, 'public/scenarios/service-pod-dies.yaml'), 'utf8');
  const fresh = () => {
    const r = createSimulation(file);
    if (!r.ok) throw new Error('service-pod-dies.yaml does not load');
    return r.sim;
  };
  const print = (s: ReturnType<typeof fresh>, i: number) => {
    const o = clusterObjects(s, i);
    return [
      kubectlGet(o, 'services', { wide: true, namespace: undefined }).out,
      kubectlGet(o, 'endpointslices', { wide: true, namespace: undefined }).out,
    ].join('');
  };

  it('forward, backward and fresh give the same tables at every step', () => {
    const a = fresh();
    const b = fresh();
    const n = a.steps.length;
    const forward = Array.from({ length: n }, (_, i) => print(a, i));
    const backward = Array.from({ length: n }, (_, i) => print(b, n - 1 - i)).reverse();
    expect(backward).toEqual(forward);
    // The slices are written during the trace: the table does change along the way.
    expect(new Set(forward).size).toBeGreaterThan(1);
    // A step's view is the same list object as the step before's while nothing was written.
    const same = a.steps.findIndex(
      (_, i) =>
        i > 0 && clusterObjects(a, i).endpointSlices === clusterObjects(a, i - 1).endpointSlices,
    );
    expect(same).toBeGreaterThan(0);
  });
});
