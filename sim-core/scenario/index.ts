/** Scenario loading: the one entry point plus the helpers the engine and CLI share. */
export { loadScenario } from './load.ts';
export { formatDiagnostic, formatDiagnostics } from './format.ts';
export { parsePodRef, parseTarget, podKey } from './refs.ts';
export type { RefParse, Target } from './refs.ts';
export { CNI_MODES } from './cni-modes.ts';
export type * from './types.ts';
