/**
 * The simulation's thread. Receives {id, text}, simulates, posts progress at
 * most every PROGRESS_MS and then the finished trace as plain data (see
 * sim-core/transfer.ts) or the scenario's errors. It is terminated, not
 * asked, to stop: a run is one synchronous call.
 */
import { toTransfer, type Diagnostic, type SimulationProgress } from '@kubewire/sim-core';
import type { SimulationTransfer } from '@kubewire/sim-core';
import { simulate } from './simulate.ts';

export interface WorkerRequest {
  readonly id: number;
  readonly text: string;
}

export type WorkerReply =
  | { readonly id: number; readonly type: 'progress'; readonly progress: SimulationProgress }
  | { readonly id: number; readonly type: 'errors'; readonly errors: readonly Diagnostic[] }
  | { readonly id: number; readonly type: 'done'; readonly payload: SimulationTransfer };

/** Progress messages are at most this often: the bar moves smoothly and the page is not flooded. */
const PROGRESS_MS = 100;

const post = (reply: WorkerReply) => self.postMessage(reply);

self.addEventListener('message', (e: MessageEvent<WorkerRequest>) => {
  const { id, text } = e.data;
  let last = -Infinity;
  const result = simulate(text, (progress) => {
    const now = performance.now();
    if (now - last < PROGRESS_MS) return;
    last = now;
    post({ id, type: 'progress', progress });
  });
  if (!result.ok) return post({ id, type: 'errors', errors: result.errors });
  post({ id, type: 'done', payload: toTransfer(result.sim) });
});
