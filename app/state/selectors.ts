/**
 * Derived views of (sim, step). Each hook re-renders its component only when
 * the value it names changes: the simulation, the step index, or both.
 */
import { createContext, useContext, useMemo } from 'react';
import type { Simulation, Snapshot, Step, TableRef } from '@kubewire/sim-core';
import { useStore, type AppState } from './store.ts';

export const selectSim = (s: AppState) => s.sim;
export const selectStepIndex = (s: AppState) => s.step;
export const selectStepCount = (s: AppState) => s.sim?.steps.length ?? 0;
export const selectCurrentStep = (s: AppState): Step | undefined => s.sim?.steps[s.step];

/**
 * A view of another simulation than the store's: compare mode's other side
 * renders the same TopologyView inside a provider of its own (sim, step).
 * Outside one, the hooks below read the store.
 */
export interface PaneSource {
  readonly sim: Simulation;
  readonly step: number;
}

export const PaneContext = createContext<PaneSource | null>(null);

/** The shown simulation: the pane's, else the store's. Re-renders when it changes. */
export function usePaneSim(): Simulation | null {
  const pane = useContext(PaneContext);
  const sim = useStore(selectSim);
  return pane ? pane.sim : sim;
}

/** The shown step index: the pane's, else the store's. */
export function usePaneStep(): number {
  const pane = useContext(PaneContext);
  const step = useStore(selectStepIndex);
  return pane ? pane.step : step;
}

/** Re-renders when the simulation or the step changes. */
export function useCurrentStep(): Step | undefined {
  const sim = usePaneSim();
  const step = usePaneStep();
  return sim?.steps[step];
}

/** The world after the current step. Re-renders when the simulation or the step changes. */
export function useSnapshot(): Snapshot | null {
  const sim = usePaneSim();
  const step = usePaneStep();
  return useMemo(() => {
    if (!sim) return null;
    return sim.steps.length ? sim.stateAt(Math.min(step, sim.steps.length - 1)) : sim.initial;
  }, [sim, step]);
}

/** The snapshot before the current step: rows removed by it are shown as ghosts. */
export function usePreviousSnapshot(): Snapshot | null {
  const sim = usePaneSim();
  const step = usePaneStep();
  return useMemo(() => (sim ? sim.stateAt(step - 1) : null), [sim, step]);
}

/** The current step's table references for one table kind. */
export function useTouched(table: TableRef['table']): readonly TableRef[] {
  const step = useCurrentStep();
  return useMemo(() => step?.touched.filter((t) => t.table === table) ?? [], [step, table]);
}
