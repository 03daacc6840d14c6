/**
 * The step's Kubernetes objects as kubectl lists them (sim-core's clusterObjects): Services
 * and EndpointSlices from the API server's store, with their creation times. Computed only
 * by a panel that shows them, once per (simulation, step).
 */
import { useMemo } from 'react';
import { clusterObjects, type ClusterObjects } from '@kubewire/sim-core';
import { useStore } from '../state/store.ts';

export function useClusterObjects(): ClusterObjects | null {
  const sim = useStore((s) => s.sim);
  const step = useStore((s) => s.step);
  return useMemo(() => {
    if (!sim) return null;
    return clusterObjects(sim, Math.max(0, Math.min(step, sim.steps.length - 1)));
  }, [sim, step]);
}

/** The step's time as the trace prints it: seconds with six decimals. */
export const stepTime = (us: number) => `${(us / 1e6).toFixed(6)} s`;
