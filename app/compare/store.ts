/**
 * Compare mode's own store: the mode the shown scenario is compared with, the
 * other side's simulation (made in the worker's compare lane, so the page and
 * the main simulation carry on), the step correspondence between the two
 * traces, and the other side's step when it was moved on its own. Kept apart
 * from the app store, like challenge mode's: the app store's slices do not grow.
 *
 * The other side follows the shown one: its step is the primary step's
 * counterpart (sim-core's `correspond`, CMP3–4) unless `own` says otherwise;
 * moving the primary clears `own` (sync.ts).
 */
import { create } from 'zustand';
import { correspond, type Correspondence, type ModeTarget } from '@kubewire/sim-core';
import type { Simulation } from '@kubewire/sim-core';
import { simulateAsync, type SimulationRun } from '../state/simulate.ts';
import { useStore } from '../state/store.ts';
import { refusal, targetLabel } from './target.ts';

export interface CompareState {
  /** The mode compared with; null when compare mode is off. */
  target: ModeTarget | null;
  /** The shown simulation the other side was made for (the correspondence is between these two). */
  of: Simulation | null;
  other: Simulation | null;
  corr: Correspondence | null;
  simulating: boolean;
  /** The other side's step when moved on its own (a link's cstep, its own buttons); null: it follows. */
  own: number | null;
  /** Compare the shown scenario with `target`; false when refused, stopped or superseded. */
  open(target: ModeTarget): Promise<boolean>;
  leave(): void;
  setOwn(step: number | null): void;
}

/** The run in flight (module state: a run is not data to render). */
let running: SimulationRun | null = null;

const OFF = { target: null, of: null, other: null, corr: null, simulating: false, own: null };

export const useCompare = create<CompareState>()((set, get) => ({
  ...OFF,
  open: async (target) => {
    const { sim, sourceText, showNotice } = useStore.getState();
    if (!sim) return false;
    const why = refusal(target, sim.scenario);
    if (why) {
      showNotice(`Cannot compare with ${targetLabel(target)}: ${why}.`);
      return false;
    }
    running?.cancel();
    set({ target, of: null, other: null, corr: null, simulating: true, own: null });
    const run = simulateAsync(sourceText, undefined, { modes: target, lane: 'compare' });
    running = run;
    const result = await run.promise;
    if (running !== run) return false;
    running = null;
    if ('stopped' in result) {
      set(OFF);
      return false;
    }
    // The shown scenario changed meanwhile: sync.ts starts the comparison again for the new one.
    if (useStore.getState().sim !== sim || get().target !== target) return false;
    if (!result.ok) {
      set(OFF);
      const e = result.errors[0];
      showNotice(
        `${targetLabel(target)} cannot run this scenario (line ${e.line}, column ${e.column}: ${e.message}); it is shown alone.`,
      );
      return false;
    }
    set({
      of: sim,
      other: result.sim,
      corr: correspond(sim.steps, result.sim.steps),
      simulating: false,
    });
    return true;
  },
  leave: () => {
    running?.cancel();
    running = null;
    set(OFF);
  },
  setOwn: (own) => set({ own }),
}));

/** The other side's step for the primary's `step`: its own, or the counterpart. */
export function otherStep(c: CompareState, step: number): number {
  if (!c.corr || !c.other) return 0;
  if (c.own !== null) return Math.min(Math.max(0, c.own), c.other.steps.length - 1);
  return c.corr.toRight(step).index;
}

/** Compare mode is on and both sides are ready to draw. */
export const compareReady = (c: CompareState) =>
  c.target !== null && c.other !== null && c.corr !== null && c.of !== null;
