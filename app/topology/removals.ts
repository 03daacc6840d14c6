/**
 * When each deleted pod disappears from the trace, so its slot can say
 * "deleted" rather than "no sandbox yet". Only a `delete` action removes a
 * pod (kubelet's deletePod), so only the steps of those actions are looked
 * at: a few snapshots, not one per step of a 10 000-step trace.
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
    for (let i = first; i < steps.length && steps[i].action === a; i++)
      if (!hasPod(sim, i, key)) {
        removedAt.set(key, i);
        return;
      }
  });
  return removedAt;
}
