/**
 * sim-core's public API — the table of contents. The app and the CLI import
 * only from here.
 */
export { createSimulation } from './simulation.ts';
export type { Simulation, SimulationResult } from './api.ts';
export type * from './model.ts';
export type { Field, Layer, Protocol } from './wire/layers.ts';
export { loadScenario, formatDiagnostic, formatDiagnostics } from './scenario/index.ts';
export type {
  Diagnostic,
  LoadedScenario,
  ClusterSpec,
  PodSpec,
  Action,
  SourcePos,
} from './scenario/types.ts';
export { formatRoute } from './dataplane/route.ts';
export { decodeFrame, summarizeFrame } from './wire/describe.ts';
export { writePcap } from './wire/pcap.ts';
