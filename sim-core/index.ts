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
export { narrate, hitPath } from './narration/index.ts';
export type { Fact, FactType, Hit, Narration } from './narration/index.ts';
export { decodeFrame, summarizeFrame } from './wire/describe.ts';
export { writePcap } from './wire/pcap.ts';
export {
  iptablesList,
  iptablesSave,
  formatCount,
  getChain,
  tableChains,
  ruleCounter,
  TABLE_NAMES,
} from './dataplane/netfilter/index.ts';
export type {
  Counter,
  NetfilterState,
  NfChain,
  NfTable,
  TableName,
} from './dataplane/netfilter/index.ts';
export {
  ctEntries,
  ctFormat,
  ctIsExpired,
  ctLookup,
  ctInvertTuple,
  portTuple,
  icmpTuple,
} from './dataplane/netfilter/conntrack.ts';
export type { CtEntry, CtTable, CtTuple } from './dataplane/netfilter/conntrack.ts';
export { ssLines } from './format/ss.ts';
export { sysctlAll } from './dataplane/sysctl.ts';
