/**
 * The app's single call into sim-core. A throw inside the simulation is a
 * sim-core bug, but the user still gets a diagnostic instead of a blank page.
 */
import { createSimulation } from '@kubewire/sim-core';
import type { Diagnostic, Simulation } from '@kubewire/sim-core';

export type Simulated =
  | { readonly ok: true; readonly sim: Simulation }
  | { readonly ok: false; readonly errors: readonly Diagnostic[] };

export function simulate(yamlText: string): Simulated {
  try {
    const result = createSimulation(yamlText);
    if (result.ok) return { ok: true, sim: result.sim };
    const errors = result.errors.length
      ? result.errors
      : [{ line: 1, column: 1, message: 'The scenario was refused without a reason.' }];
    return { ok: false, errors };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return {
      ok: false,
      errors: [{ line: 1, column: 1, message: `Simulation failed: ${message}` }],
    };
  }
}
