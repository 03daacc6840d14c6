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
import { createSimulation, fromTransfer } from '@kubewire/sim-core';
import type { Diagnostic, Simulation, SimulationProgress } from '@kubewire/sim-core';
import type { WorkerReply, WorkerRequest } from './sim.worker.ts';

export type Simulated =
  | { readonly ok: true; readonly sim: Simulation }
  | { readonly ok: false; readonly errors: readonly Diagnostic[] };

/** How a run ended: a result, or stopped (by Cancel, or because a newer run superseded it). */
export type RunOutcome =
  Simulated | { readonly ok: false; readonly stopped: 'cancelled' | 'superseded' };

export interface SimulationRun {
  readonly promise: Promise<RunOutcome>;
  /** Stops the run (terminates the worker); the promise resolves as cancelled. */
  cancel(): void;
}

const failed = (e: unknown): Simulated => ({
  ok: false,
  errors: [
    {
      line: 1,
      column: 1,
      message: `Simulation failed: ${e instanceof Error ? e.message : String(e)}`,
    },
  ],
});

const refused = (errors: readonly Diagnostic[]): Simulated => ({
  ok: false,
  errors: errors.length
    ? errors
    : [{ line: 1, column: 1, message: 'The scenario was refused without a reason.' }],
});

/** Simulates on this thread (the worker's body, and the fallback without workers). */
export function simulate(
  yamlText: string,
  onProgress?: (progress: SimulationProgress) => void,
): Simulated {
  try {
    const result = createSimulation(yamlText, onProgress ? { onProgress } : {});
    return result.ok ? { ok: true, sim: result.sim } : refused(result.errors);
  } catch (e) {
    return failed(e);
  }
}

let worker: Worker | null = null;
let nextId = 1;
/** The run in flight, to stop when a newer one starts. */
let current: {
  readonly id: number;
  readonly stop: (why: 'cancelled' | 'superseded') => void;
} | null = null;

function spawn(): Worker {
  return new Worker(new URL('./sim.worker.ts', import.meta.url), {
    type: 'module',
    name: 'kubewire-simulation',
  });
}

/** The worker is a dead end now (it is stuck in a simulation nobody wants): the next run gets a new one. */
function discardWorker(): void {
  worker?.terminate();
  worker = null;
}

/**
 * Simulates `text` off the main thread. `onProgress` is called as the worker
 * reports (a few times a second); the promise resolves with the simulation,
 * its errors, or that it was stopped. Never rejects.
 */
export function simulateAsync(
  text: string,
  onProgress?: (progress: SimulationProgress) => void,
): SimulationRun {
  current?.stop('superseded');
  if (typeof Worker === 'undefined') {
    const promise = Promise.resolve(simulate(text, onProgress));
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
    if (current?.id === id) current = null;
    settle(outcome);
  };
  const stop = (why: 'cancelled' | 'superseded') => {
    if (done) return;
    discardWorker();
    finish({ ok: false, stopped: why });
  };
  const onMessage = (e: MessageEvent<WorkerReply>) => {
    const reply = e.data;
    if (reply.id !== id) return;
    if (reply.type === 'progress') return onProgress?.(reply.progress);
    if (reply.type === 'errors') return finish(refused(reply.errors));
    try {
      finish({ ok: true, sim: fromTransfer(reply.payload) });
    } catch (err) {
      finish(failed(err));
    }
  };
  // A worker that fails to load or dies (out of memory) is replaced; the run reports why.
  const onError = (e: ErrorEvent) => {
    e.preventDefault();
    discardWorker();
    finish(failed(e.message || 'the simulation worker stopped'));
  };
  const w = (worker ??= spawn());
  w.addEventListener('message', onMessage);
  w.addEventListener('error', onError);
  current = { id, stop };
  w.postMessage({ id, text } satisfies WorkerRequest);
  return { promise, cancel: () => stop('cancelled') };
}
