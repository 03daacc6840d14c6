/**
 * Narration: steps carry facts; this module renders a step as a one-line
 * headline (at most 12 words, for a projector) and the full explanation.
 */
export { narrate } from './narrate.ts';
export { hitPath } from './netfilter.ts';
export type { Hit } from './netfilter.ts';
export type { Fact, FactOfType, FactType } from './facts.ts';
export type { Narration } from './types.ts';
