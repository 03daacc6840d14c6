/**
 * When each deleted pod disappears from the trace, so its slot can say
 * "deleted" rather than "no sandbox yet". Only a `delete` action removes a
 * pod, at the kubelet's `kubelet.delete` step once its containers have
 * exited (a later action's, with `wait: false`): facts are scanned, and a
 * snapshot is read once per deletion, not once per step.
 */
import type { Simulation } from '@kubewire/sim-core';
import { podKey } from './layout.ts';

const hasPod = (sim: Simulation, step: number, key: string) =>
  sim.stateAt(step).pods.some((p) => podKey(p) === key);

export function podRemovals(sim: Simulation): Map<string, number> {
  const removedAt = new Map<string, number>();
  const { steps } = sim;
  sim.scenario.scenario.actions.forEach((action, a) => {
    if (action.kind !== 'delete') return;
    const key = podKey(action.pod);
    const first = steps.findIndex((s) => s.action === a);
    // A pod that did not exist when its deletion began was never there to delete.
    if (first < 0 || !hasPod(sim, first - 1, key)) return;
    for (let i = first; i < steps.length; i++) {
      const f = steps[i].facts;
      if ((f.type === 'kubelet.delete' || f.type === 'calico.delete') && f.pod === key) {
        removedAt.set(key, i);
        return;
      }
    }
  });
  return removedAt;
}
