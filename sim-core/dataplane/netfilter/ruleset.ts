/**
 * A netns's netfilter state: its tables, each a set of chains, each a list of
 * rules with one packet/byte counter per rule (and per built-in chain's
 * policy), plus the xt_recent lists and statistic-nth counters the kernel
 * keeps beside the rules.
 *
 * Everything is immutable and persistent. Rules live in a plain array per
 * chain, shared by every state derived from the one that loaded them;
 * counters and chains live in PVecs so one counter update copies a 32-entry
 * chunk and a short path, never a whole chain or table.
 */
import { pvecFill, pvecFrom, pvecGet, pvecToArray, type PVec } from './pvec.ts';
import type { NfRule } from './rule.ts';
import { BUILTIN_CHAINS, isBuiltinChain, type Policy, type TableName } from './tables.ts';

export interface Counter {
  readonly packets: number;
  readonly bytes: number;
}

export const ZERO: Counter = { packets: 0, bytes: 0 };

export interface NfChain {
  readonly name: string;
  /** Built-in chains only. */
  readonly policy?: Policy;
  readonly rules: readonly NfRule[];
  /** counters[i] belongs to rules[i]. */
  readonly counters: PVec<Counter>;
  /** Packets the policy decided (built-in chains only; always ZERO for user chains). */
  readonly policyCounter: Counter;
}

export interface NfTable {
  readonly name: TableName;
  /** Built-ins in hook order, then user chains sorted by name (strcmp), as iptables-save prints them. */
  readonly chains: PVec<NfChain>;
  /** Chain name → position in `chains`; changes only when chains are added or removed. */
  readonly chainIndex: ReadonlyMap<string, number>;
}

/** One xt_recent address: when it was seen (µs, oldest first, at most 20) and its TTL. */
export interface RecentEntry {
  readonly stamps: readonly number[];
  readonly ttl: number;
}

/** Entries in least-recently-updated-first order (the kernel's LRU list). */
export type RecentList = ReadonlyMap<number, RecentEntry>;

export interface NetfilterState {
  readonly tables: Readonly<Partial<Record<TableName, NfTable>>>;
  readonly recent: ReadonlyMap<string, RecentList>;
  /** statistic --mode nth counters by "table/chain/rule/match". */
  readonly nth: ReadonlyMap<string, number>;
}

export const EMPTY_NETFILTER: NetfilterState = { tables: {}, recent: new Map(), nth: new Map() };

/** What a chain is made of before counters are attached. */
export interface ChainSpec {
  readonly name: string;
  readonly policy?: Policy;
  readonly rules: readonly NfRule[];
  readonly counters?: readonly Counter[];
  readonly policyCounter?: Counter;
}

export function makeChain(spec: ChainSpec): NfChain {
  const counters = spec.counters
    ? pvecFrom(spec.counters)
    : pvecFill<Counter>(spec.rules.length, ZERO);
  return {
    name: spec.name,
    ...(spec.policy ? { policy: spec.policy } : {}),
    rules: spec.rules,
    counters,
    policyCounter: spec.policyCounter ?? ZERO,
  };
}

/** Sort chains the way iptables-nft-save does: built-ins in hook order, then user chains by strcmp. */
export function canonicalChainOrder(table: TableName, names: readonly string[]): string[] {
  const builtins = BUILTIN_CHAINS[table];
  const user = names.filter((n) => !isBuiltinChain(table, n));
  user.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return [...builtins, ...user];
}

/** A table from chain specs; missing built-ins are created with policy ACCEPT, as iptables does. */
export function makeTable(name: TableName, specs: readonly ChainSpec[]): NfTable {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const order = canonicalChainOrder(
    name,
    specs.map((s) => s.name),
  );
  const chains = order.map((n) => {
    const spec = byName.get(n) ?? { name: n, rules: [] };
    return makeChain(isBuiltinChain(name, n) ? { policy: 'ACCEPT', ...spec } : spec);
  });
  return {
    name,
    chains: pvecFrom(chains),
    chainIndex: new Map(order.map((n, i) => [n, i])),
  };
}

export function getChain(table: NfTable, name: string): NfChain | undefined {
  const i = table.chainIndex.get(name);
  return i === undefined ? undefined : pvecGet(table.chains, i);
}

/** The chains of a table in print order. */
export function tableChains(table: NfTable): readonly NfChain[] {
  return pvecToArray(table.chains);
}

/** Counter of rule `index` (0-based) of a chain, or undefined when there is no such rule. */
export function ruleCounter(
  state: NetfilterState,
  table: TableName,
  chain: string,
  index: number,
): Counter | undefined {
  const t = state.tables[table];
  const c = t && getChain(t, chain);
  return c && index >= 0 && index < c.rules.length ? pvecGet(c.counters, index) : undefined;
}
