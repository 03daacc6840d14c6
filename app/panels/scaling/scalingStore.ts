/**
 * The Scaling chart's points, computed lazily by a worker the first time the panel opens and
 * kept for the page's life: the growing clusters' once, the current cluster's per object set
 * (snapshots share unchanged API lists, so a step that changes no Service asks nothing).
 */
import { useEffect, useSyncExternalStore } from 'react';
import type { EndpointSlice, Service } from '@kubewire/sim-core';
import type { ScalingPoint } from './scalingModel.ts';
import type { ScalingReply, ScalingRequest } from './scalingProtocol.ts';

interface State {
  readonly growing: readonly ScalingPoint[];
  readonly done: boolean;
  /** The current clusters' points, by their API lists (compared by identity). */
  readonly current: readonly Current[];
}

interface Objects {
  readonly services: readonly Service[];
  readonly endpointSlices: readonly EndpointSlice[];
}

interface Current extends Objects {
  readonly points: readonly ScalingPoint[];
}

const same = (a: Objects, b: Objects) =>
  a.services === b.services && a.endpointSlices === b.endpointSlices;

let state: State = { growing: [], done: false, current: [] };
const listeners = new Set<() => void>();
let worker: Worker | null = null;
let nextId = 0;
const pending = new Map<number, Objects>();

const emit = (s: State) => {
  state = s;
  for (const l of listeners) l();
};

function workerOf(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL('./scaling.worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (e: MessageEvent<ScalingReply>) => {
    const m = e.data;
    if (m.kind === 'growing') {
      const has = state.growing.some(
        (p) => p.services === m.point.services && p.mode === m.point.mode,
      );
      if (!has) emit({ ...state, growing: [...state.growing, m.point] });
    } else if (m.kind === 'done') emit({ ...state, done: true });
    else {
      const key = pending.get(m.id);
      pending.delete(m.id);
      // The last few clusters are kept: stepping back and forth asks nothing again.
      if (key)
        emit({ ...state, current: [...state.current.slice(-7), { ...key, points: m.points }] });
    }
  };
  return worker;
}

function request(o: Objects): void {
  if (state.current.some((c) => same(c, o)) || [...pending.values()].some((p) => same(p, o)))
    return;
  const id = nextId++;
  pending.set(id, o);
  const msg: ScalingRequest = { id, ...o };
  workerOf().postMessage(msg);
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => void listeners.delete(l);
};

/** The chart's points for these API objects; asks the worker for what it lacks. */
export function useScaling(
  services: readonly Service[] | undefined,
  endpointSlices: readonly EndpointSlice[] | undefined,
): { growing: readonly ScalingPoint[]; done: boolean; current?: readonly ScalingPoint[] } {
  const s = useSyncExternalStore(subscribe, () => state);
  useEffect(() => {
    if (services && endpointSlices) request({ services, endpointSlices });
  }, [services, endpointSlices]);
  const current =
    services && endpointSlices
      ? s.current.find((c) => same(c, { services, endpointSlices }))?.points
      : undefined;
  return { growing: s.growing, done: s.done, current };
}
