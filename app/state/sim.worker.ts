/**
 * The simulation's thread. Receives {id, text} (or {id, type: 'validate',
 * text}). A simulation posts progress at most every PROGRESS_MS and then the
 * finished trace as plain data (see sim-core/transfer.ts) with the loader's
 * warnings, or the scenario's errors. A validation runs every check
 * `kubewire validate` makes and posts the errors and warnings, without
 * simulating. The worker is terminated, not asked, to stop: a run is one
 * synchronous call.
 */
import { toTransfer, type Diagnostic, type SimulationProgress } from '@kubewire/sim-core';
import type { ModeTarget, SimulationTransfer } from '@kubewire/sim-core';
import { simulate, validate } from './simulateHere.ts';
import type { Validated } from './simResult.ts';

export type WorkerRequest =
  | {
      readonly id: number;
      readonly type?: 'simulate';
      readonly text: string;
      /** Compare mode: simulate the scenario re-targeted to this mode. */
      readonly modes?: ModeTarget;
    }
  | { readonly id: number; readonly type: 'validate'; readonly text: string };

export type WorkerReply =
  | { readonly id: number; readonly type: 'progress'; readonly progress: SimulationProgress }
  | {
      readonly id: number;
      readonly type: 'errors';
      readonly errors: readonly Diagnostic[];
      readonly warnings: readonly Diagnostic[];
    }
  | {
      readonly id: number;
      readonly type: 'done';
      readonly payload: SimulationTransfer;
      readonly warnings: readonly Diagnostic[];
    }
  | { readonly id: number; readonly type: 'validated'; readonly result: Validated };

/** Progress messages are at most this often: the bar moves smoothly and the page is not flooded. */
const PROGRESS_MS = 100;

const post = (reply: WorkerReply) => self.postMessage(reply);

self.addEventListener('message', (e: MessageEvent<WorkerRequest>) => {
  const { id, text } = e.data;
  if (e.data.type === 'validate') return post({ id, type: 'validated', result: validate(text) });
  let last = -Infinity;
  const { modes } = e.data;
  const result = simulate(
    text,
    (progress) => {
      const now = performance.now();
      if (now - last < PROGRESS_MS) return;
      last = now;
      post({ id, type: 'progress', progress });
    },
    modes,
  );
  if (!result.ok)
    return post({ id, type: 'errors', errors: result.errors, warnings: result.warnings });
  post({ id, type: 'done', payload: toTransfer(result.sim), warnings: result.warnings });
});
