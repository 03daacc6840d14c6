/**
 * Simulating and validating on the calling thread: the worker's body
 * (sim.worker.ts), and the fallback without workers (vitest on node). The page
 * never imports this statically, so the loader, the simulator and its crypto
 * stay out of the first JavaScript the page loads.
 *
 * A throw inside sim-core is a bug, but the user still gets a diagnostic
 * instead of a blank page.
 */
import { checkScenario, createSimulation } from '@kubewire/sim-core';
import type { ModeTarget, SimulationProgress } from '@kubewire/sim-core';
import { crashed, failed, refused, type Simulated, type Validated } from './simResult.ts';

export function simulate(
  yamlText: string,
  onProgress?: (progress: SimulationProgress) => void,
  modes?: ModeTarget,
): Simulated {
  try {
    const result = createSimulation(yamlText, {
      ...(onProgress ? { onProgress } : {}),
      ...(modes ? { modes } : {}),
    });
    return result.ok
      ? { ok: true, sim: result.sim, warnings: result.warnings }
      : refused(result.errors, result.warnings ?? []);
  } catch (e) {
    return failed(e);
  }
}

/** Every check `kubewire validate` makes (the loader's and the simulator's before the first step). */
export function validate(yamlText: string): Validated {
  try {
    const r = checkScenario(yamlText);
    return r.ok
      ? { errors: [], warnings: r.warnings, ignored: r.ignored.length }
      : { errors: r.errors, warnings: r.warnings, ignored: 0 };
  } catch (e) {
    return { errors: [crashed(e, 'Validation')], warnings: [], ignored: 0 };
  }
}
