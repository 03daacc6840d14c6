import type { Step } from '@kubewire/sim-core';

/** Wall-clock duration of one step at 1× speed: a hop across a link takes longer than a table update. */
export function hopDurationMs(step: Step | undefined): number {
  if (!step) return 600;
  if (step.from) return 1300;
  return step.kind === 'flood' ? 1400 : 800;
}
