/** What a simulation or a validation gives back (shared by the worker and the page; no sim-core code). */
import type { Diagnostic, Simulation } from '@kubewire/sim-core';

export type Simulated =
  | {
      readonly ok: true;
      readonly sim: Simulation;
      /** The loader's located warnings: shown, never refusing the file. */
      readonly warnings: readonly Diagnostic[];
    }
  | {
      readonly ok: false;
      readonly errors: readonly Diagnostic[];
      readonly warnings: readonly Diagnostic[];
    };

/** What `kubewire validate` says about a text: its errors and warnings, nothing simulated. */
export interface Validated {
  readonly errors: readonly Diagnostic[];
  readonly warnings: readonly Diagnostic[];
  /** Fields kept but not modelled (validate --ignored), counted. */
  readonly ignored: number;
}

export const crashed = (e: unknown, what: string): Diagnostic => ({
  line: 1,
  column: 1,
  message: `${what} failed: ${e instanceof Error ? e.message : String(e)}`,
});

export const refused = (
  errors: readonly Diagnostic[],
  warnings: readonly Diagnostic[] = [],
): Simulated => ({
  ok: false,
  errors: errors.length
    ? errors
    : [{ line: 1, column: 1, message: 'The scenario was refused without a reason.' }],
  warnings,
});

export const failed = (e: unknown): Simulated => refused([crashed(e, 'Simulation')]);
