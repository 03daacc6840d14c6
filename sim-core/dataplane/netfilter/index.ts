/**
 * netfilter as iptables shows it: the rule model, iptables-restore, the
 * evaluator, and the iptables-save / iptables -L printers.
 */
export { parseIptablesRestore, describeRestoreError } from './restore.ts';
export type { RestoreError, RestoreOptions, RestoreResult } from './restore.ts';
export { iptablesSave, saveRule } from './save.ts';
export type { SaveOptions } from './save.ts';
export { iptablesList, listRule, chainReferences, formatCount } from './list.ts';
export type { ListOptions } from './list.ts';
export { traverse } from './evaluate.ts';
export type { LogLine, RuleHit, TraverseResult } from './evaluate.ts';
export type { NatRequest } from './nat-request.ts';
export type { AddrType, CtState, CtStatus, IpsetKey, NfEnv, NfPacket } from './packet.ts';
export {
  EMPTY_NETFILTER,
  ZERO,
  getChain,
  makeChain,
  makeTable,
  ruleCounter,
  tableChains,
} from './ruleset.ts';
export type {
  ChainSpec,
  Counter,
  NetfilterState,
  NfChain,
  NfTable,
  RecentEntry,
  RecentList,
} from './ruleset.ts';
export type * from './rule.ts';
export { BUILTIN_CHAINS, SAVE_ORDER, TABLE_NAMES, isBuiltinChain } from './tables.ts';
export type { Policy, TableName } from './tables.ts';
export { pvecFrom, pvecGet, pvecSet, pvecToArray, pvecLeaves, CHUNK_SIZE } from './pvec.ts';
export type { PVec } from './pvec.ts';
export { formatProbability } from './match-statistic.ts';
