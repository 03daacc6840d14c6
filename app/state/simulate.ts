/**
 * The app's single call into sim-core. The simulation runs in a Web Worker
 * (sim.worker.ts) so the page stays responsive while a big file simulates: the
 * worker posts progress, then the finished trace as plain data (sim-core's
 * toTransfer), which fromTransfer turns back into a Simulation here.
 *
 * One worker is kept and reused. Cancel, or a newer request while one runs,
 * terminates it (the only way to stop a synchronous simulation) and a fresh
 * one is spawned for the next request. Without `Worker` (vitest on node), the
 * simulation runs on this thread and the promise is already settled.
 *
 * A throw inside the simulation is a sim-core bug, but the user still gets a
 * diagnostic instead of a blank page.
 */
import { fromTransfer } from '@kubewire/sim-core';
import type { ModeTarget, SimulationProgress } from '@kubewire/sim-core';
import type { WorkerReply, WorkerRequest } from './sim.worker.ts';
import { failed, refused, type Simulated, type Validated } from './simResult.ts';

export type { Simulated, Validated } from './simResult.ts';

/** How a run ended: a result, or stopped (by Cancel, or because a newer run superseded it). */
export type RunOutcome =
  Simulated | { readonly ok: false; readonly stopped: 'cancelled' | 'superseded' };

export interface SimulationRun {
  readonly promise: Promise<RunOutcome>;
  /** Stops the run (terminates the worker); the promise resolves as cancelled. */
  cancel(): void;
}

/** The simulator on this thread, loaded only where there are no workers (a lazy chunk). */
const here = () => import('./simulateHere.ts');

/**
 * A worker and the run in flight on it, to stop when a newer one starts. The
 * shown scenario and compare mode's other side have a lane each, so opening a
 * comparison never stops the main simulation, nor the reverse.
 */
interface Lane {
  readonly name: string;
  worker: Worker | null;
  current: { readonly id: number; readonly stop: (why: 'cancelled' | 'superseded') => void } | null;
}

const lanes = {
  main: { name: 'kubewire-simulation', worker: null, current: null } as Lane,
  compare: { name: 'kubewire-compare', worker: null, current: null } as Lane,
};
let nextId = 1;

function spawn(name: string): Worker {
  return new Worker(new URL('./sim.worker.ts', import.meta.url), { type: 'module', name });
}

/** The worker is a dead end now (it is stuck in a simulation nobody wants): the next run gets a new one. */
function discardWorker(lane: Lane): void {
  lane.worker?.terminate();
  lane.worker = null;
}

export interface SimulateOptions {
  /** Re-target the scenario to another CNI or kube-proxy mode (compare mode's other side). */
  readonly modes?: ModeTarget;
  /** Which worker: the shown scenario's (default) or compare mode's. */
  readonly lane?: keyof typeof lanes;
}

/**
 * Simulates `text` off the main thread. `onProgress` is called as the worker
 * reports (a few times a second); the promise resolves with the simulation,
 * its errors, or that it was stopped. Never rejects.
 */
export function simulateAsync(
  text: string,
  onProgress?: (progress: SimulationProgress) => void,
  options: SimulateOptions = {},
): SimulationRun {
  const lane = lanes[options.lane ?? 'main'];
  const modes = options.modes;
  lane.current?.stop('superseded');
  if (typeof Worker === 'undefined') {
    const promise = here().then((m) => m.simulate(text, onProgress, modes));
    return { promise, cancel: () => {} };
  }
  const id = nextId++;
  let settle!: (outcome: RunOutcome) => void;
  const promise = new Promise<RunOutcome>((resolve) => (settle = resolve));
  let done = false;
  const finish = (outcome: RunOutcome) => {
    if (done) return;
    done = true;
    w.removeEventListener('message', onMessage);
    w.removeEventListener('error', onError);
    if (lane.current?.id === id) lane.current = null;
    settle(outcome);
  };
  const stop = (why: 'cancelled' | 'superseded') => {
    if (done) return;
    discardWorker(lane);
    finish({ ok: false, stopped: why });
  };
  const onMessage = (e: MessageEvent<WorkerReply>) => {
    const reply = e.data;
    if (reply.id !== id) return;
    if (reply.type === 'progress') return onProgress?.(reply.progress);
    if (reply.type === 'errors') return finish(refused(reply.errors, reply.warnings));
    if (reply.type !== 'done') return;
    try {
      finish({ ok: true, sim: fromTransfer(reply.payload), warnings: reply.warnings });
    } catch (err) {
      finish(failed(err));
    }
  };
  // A worker that fails to load or dies (out of memory) is replaced; the run reports why.
  const onError = (e: ErrorEvent) => {
    e.preventDefault();
    discardWorker(lane);
    finish(failed(e.message || 'the simulation worker stopped'));
  };
  const w = (lane.worker ??= spawn(lane.name));
  w.addEventListener('message', onMessage);
  w.addEventListener('error', onError);
  lane.current = { id, stop };
  w.postMessage({ id, type: 'simulate', text, modes } satisfies WorkerRequest);
  return { promise, cancel: () => stop('cancelled') };
}

/**
 * Validation has a worker of its own, so the editor's diagnostics keep coming
 * while a big file simulates. One check runs at a time; texts asked for
 * meanwhile wait, and only the newest of them is checked (the older ones
 * resolve as null: stale, nothing to show).
 */
let checker: Worker | null = null;
let checking: { readonly id: number; readonly resolve: (v: Validated | null) => void } | null =
  null;
let waiting: { readonly text: string; readonly resolve: (v: Validated | null) => void } | null =
  null;

function startCheck(text: string, resolve: (v: Validated | null) => void): void {
  const id = nextId++;
  checking = { id, resolve };
  if (!checker) {
    const w = (checker = spawn('kubewire-validate'));
    w.addEventListener('message', (e: MessageEvent<WorkerReply>) => {
      const reply = e.data;
      if (reply.type !== 'validated' || reply.id !== checking?.id) return;
      const done = checking;
      checking = null;
      done.resolve(reply.result);
      if (waiting) {
        const next = waiting;
        waiting = null;
        startCheck(next.text, next.resolve);
      }
    });
    w.addEventListener('error', (e: ErrorEvent) => {
      e.preventDefault();
      checker?.terminate();
      checker = null;
      const done = checking;
      checking = null;
      done?.resolve({
        errors: [
          {
            line: 1,
            column: 1,
            message: `Validation failed: ${e.message || 'the worker stopped'}`,
          },
        ],
        warnings: [],
        ignored: 0,
      });
      if (waiting) {
        const next = waiting;
        waiting = null;
        startCheck(next.text, next.resolve);
      }
    });
  }
  checker.postMessage({ id, type: 'validate', text } satisfies WorkerRequest);
}

/** `kubewire validate` on `text`, off the main thread; null when a newer text superseded it. */
export function validateAsync(text: string): Promise<Validated | null> {
  if (typeof Worker === 'undefined') return here().then((m) => m.validate(text));
  return new Promise((resolve) => {
    if (!checking) return startCheck(text, resolve);
    waiting?.resolve(null);
    waiting = { text, resolve };
  });
}
