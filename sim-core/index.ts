/**
 * sim-core's public API — the table of contents. The app and the CLI import
 * only from here.
 */
export { createSimulation, checkScenario } from './simulation.ts';
export type { CheckResult } from './simulation.ts';
export type { Simulation, SimulationResult } from './api.ts';
export type * from './model.ts';
export type { Field, Layer, Protocol } from './wire/layers.ts';
export { loadScenario, formatDiagnostic, formatDiagnostics } from './scenario/index.ts';
export { formatAction, insertAction, type ActionText } from './scenario/insert-action.ts';
export { SCENARIO_LIMITS, type ScenarioLimit } from './scenario/limits.ts';
export { TOPICS, topicById, type Topic, type TopicId } from './scenario/topics.ts';
export type {
  Diagnostic,
  IgnoredField,
  LoadedScenario,
  ClusterSpec,
  PodSpec,
  Action,
  FaultAction,
  FaultActionKind,
  ScaleAction,
  DrainAction,
  NodeDownAction,
  SourcePos,
} from './scenario/types.ts';
export { FAULT_ACTION_KINDS } from './scenario/types.ts';
export { formatRoute } from './dataplane/route.ts';
export { narrate, hitPath } from './narration/index.ts';
export type { Fact, FactType, Hit, Narration } from './narration/index.ts';
export type { DnsRecordFact } from './narration/dns-path.ts';
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
  NfRule,
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
export {
  bpfEndpointLines,
  bpfIpcacheLines,
  bpfLbLines,
  endpointInfo,
  ipcacheInfo,
  lbEntries,
} from './format/cilium-maps.ts';
export {
  birdView,
  birdTime,
  birdProtocolsText,
  birdRouteText,
  BIRD_BANNER,
  type BirdView,
  type BirdProtocol,
  type BirdRoute,
} from './format/bird.ts';
export {
  calicoIpamRows,
  showBlocksText,
  blockAllocations,
  blockAffinityName,
  clusterBlocks,
  type CalicoIpamRow,
  type CalicoAllocation,
} from './format/calico-ipam.ts';
export { CALICO_DEFAULT_POOL } from './scenario/cluster-calico.ts';
export { sysctlAll } from './dataplane/sysctl.ts';
export { clusterObjects } from './format/cluster-objects.ts';
export { translateTimestampSince } from './format/human-duration.ts';
export type { ClusterObjects, Dated } from './format/cluster-objects.ts';
export { kubectlGet } from './format/kubectl-get.ts';
export type { GetOptions, Resource } from './format/kubectl-get.ts';
export {
  printService,
  printEndpointSlice,
  SERVICE_COLUMNS,
  ENDPOINT_SLICE_COLUMNS,
} from './format/kubectl-printers.ts';
export { printTable } from './format/kubectl-table.ts';
export type { TableRow } from './format/kubectl-table.ts';
export { describeEndpointSlice, describeEndpointSlices } from './format/kubectl-describe.ts';
export { ipvsadmText, ipsetText } from './format/ipvs-listing.ts';
export type { IpvsadmView } from './format/ipvs-listing.ts';
export { syncIpvsProxier } from './k8s/kube-proxy/ipvs/index.ts';
export type { IpvsSync } from './k8s/kube-proxy/ipvs/index.ts';
export { buildNodeRuleset } from './k8s/kube-proxy/iptables/index.ts';
export { parseIptablesRestore, traverse } from './dataplane/netfilter/index.ts';
export type { NfEnv, NfPacket, RuleHit, TraverseResult } from './dataplane/netfilter/index.ts';
export type { Service, ServicePort, EndpointSlice, Endpoint, ProxyNode } from './k8s/api-types.ts';
export type {
  Ingress,
  IngressClass,
  IngressBackend,
  HTTPIngressPath,
  PathType,
  Secret,
} from './k8s/api-types.ts';
export * from './k8s/ingress/index.ts';
export { routeText } from './format/ingress-route.ts';
export { base64Text } from './net/base64.ts';
export { createRng } from './engine/rng.ts';
export type { Rng } from './engine/rng.ts';
export { ipsetTest } from './dataplane/ipvs/ipset-test.ts';
export type { IpsetState, IpsetSet } from './dataplane/ipvs/state.ts';
export { createCoreDns } from './dns/server.ts';
export type { CoreDns, CoreDnsOptions, DnsHandled, DnsReply } from './dns/server.ts';
export { kubeadmCorefile, parseCorefile } from './dns/corefile.ts';
export { podResolvConf, formatResolvConf } from './k8s/resolv-conf.ts';
export type { CorefileConfig, CorefileError } from './dns/corefile.ts';
export type { DnsClusterView } from './dns/view.ts';
export { formatDig, digRecord } from './format/dig.ts';
export type { DigRun } from './format/dig.ts';
export { toTransfer, fromTransfer } from './transfer.ts';
export type { SimulationTransfer } from './transfer.ts';
export type { SimulationOptions, SimulationProgress } from './api.ts';
export {
  compareTargets,
  currentTarget,
  formatModeTarget,
  isModeError,
  modeLabel,
  parseModeTarget,
  withModes,
} from './scenario/modes.ts';
export { CNI_MODES } from './scenario/cni-modes.ts';
export type { ModeError, ModeTarget } from './scenario/modes.ts';
export { correspond, stepKeys } from './compare/correspond.ts';
export type { Correspondence, StepKeys, StepMatch } from './compare/correspond.ts';
export { pathStats, statsAction } from './compare/path-stats.ts';
export type { PathStats, PathTable } from './compare/path-stats.ts';
export { challengeQuestions, CHOICES } from './challenge/questions.ts';
export type { ChallengeTrace } from './challenge/questions.ts';
export { REASON_COMMANDS } from './challenge/types.ts';
export type { Question, QuestionKind, ReasonRow, ReasonTable } from './challenge/types.ts';
