/**
 * A table being restored, between "*nat" and COMMIT: iptables-nft batches
 * the whole block and the kernel checks it at COMMIT, so commands here only
 * edit a working copy. Without --noflush the table starts empty (all
 * built-ins, policy ACCEPT); with it, from the current table, and a ":CHAIN"
 * line still flushes that user chain, as nft_chain_restore does.
 */
import type { ChainRef, Command } from './command.ts';
import { pvecToArray } from './pvec.ts';
import { getChain, ZERO, type Counter, type NfChain, type NfTable } from './ruleset.ts';
import type { NfRule } from './rule.ts';
import { BUILTIN_CHAINS, isBuiltinChain, type Policy, type TableName } from './tables.ts';

/** Where a rule came from in this restore, for errors found at COMMIT. */
export interface RuleOrigin {
  readonly line: number;
  readonly jump?: ChainRef;
}

export interface WorkChain {
  readonly name: string;
  policy?: Policy;
  policyCounter: Counter;
  rules: NfRule[];
  counters: Counter[];
  origins: (RuleOrigin | undefined)[];
  /** The committed chain this one was copied from while still unchanged (shared on commit). */
  unchanged?: NfChain;
}

export interface WorkTable {
  readonly name: TableName;
  readonly line: number;
  readonly chains: Map<string, WorkChain>;
  /** Chains deleted with -X, and where, in case a rule still jumps to them at COMMIT. */
  readonly deleted: Map<string, { line: number; column: number }>;
}

function emptyChain(name: string, policy?: Policy): WorkChain {
  return {
    name,
    ...(policy ? { policy } : {}),
    policyCounter: ZERO,
    rules: [],
    counters: [],
    origins: [],
  };
}

function copyChain(c: NfChain): WorkChain {
  return {
    name: c.name,
    ...(c.policy ? { policy: c.policy } : {}),
    policyCounter: c.policyCounter,
    rules: [...c.rules],
    counters: pvecToArray(c.counters),
    origins: c.rules.map(() => undefined),
    unchanged: c,
  };
}

export function startTable(name: TableName, line: number, current?: NfTable): WorkTable {
  const chains = new Map<string, WorkChain>();
  for (const b of BUILTIN_CHAINS[name]) {
    const existing = current && getChain(current, b);
    chains.set(b, existing ? copyChain(existing) : emptyChain(b, 'ACCEPT'));
  }
  if (current) {
    for (const [n] of current.chainIndex)
      if (!chains.has(n)) chains.set(n, copyChain(getChain(current, n)!));
  }
  return { name, line, chains, deleted: new Map() };
}

function touch(c: WorkChain): WorkChain {
  delete c.unchanged;
  return c;
}

/** ":NAME POLICY [p:b]": set a built-in's policy, or create (or flush) a user chain. */
export function declareChain(
  t: WorkTable,
  name: string,
  policy: Policy | undefined,
  counter?: Counter,
) {
  const existing = t.chains.get(name);
  if (isBuiltinChain(t.name, name)) {
    const c = touch(existing ?? emptyChain(name, 'ACCEPT'));
    if (policy) c.policy = policy;
    if (counter) c.policyCounter = counter;
    t.chains.set(name, c);
    return;
  }
  t.chains.set(name, emptyChain(name));
  t.deleted.delete(name);
}

/** Apply one command line; returns iptables' message when it fails. */
export function applyCommand(
  t: WorkTable,
  cmd: Command,
  line: number,
  counters: boolean,
): string | undefined {
  if (cmd.op === 'new-chain') {
    if (t.chains.has(cmd.chain)) return 'Chain already exists.';
    declareChain(t, cmd.chain, undefined);
    return undefined;
  }
  if (cmd.op === 'delete-chain') return deleteChains(t, cmd.chain, line, cmd.chainColumn);
  if (cmd.op === 'flush' || cmd.op === 'zero') return clear(t, cmd.op, cmd.chain);
  const c = t.chains.get(cmd.chain);
  if (!c) return 'No chain/target/match by that name.';
  if (cmd.op === 'policy') {
    if (!isBuiltinChain(t.name, cmd.chain)) return 'Bad built-in chain name.';
    if (cmd.policy !== 'ACCEPT' && cmd.policy !== 'DROP') return 'Bad policy name.';
    touch(c).policy = cmd.policy;
    return undefined;
  }
  if (cmd.op === 'delete-num') return removeAt(c, cmd.index - 1, 'Index of deletion too big.');
  if (cmd.op === 'delete') {
    const key = JSON.stringify(cmd.rules[0]);
    return removeAt(
      c,
      c.rules.findIndex((r) => JSON.stringify(r) === key),
      'Bad rule (does a matching rule exist in that chain?).',
    );
  }
  const at = cmd.op === 'insert' ? cmd.index - 1 : c.rules.length;
  if (at > c.rules.length) return 'Index of insertion too big.';
  const counter = counters && cmd.counters ? cmd.counters : ZERO;
  touch(c).rules.splice(at, 0, ...cmd.rules);
  c.counters.splice(at, 0, ...cmd.rules.map(() => counter));
  c.origins.splice(
    at,
    0,
    ...cmd.rules.map(() => ({ line, ...(cmd.jump ? { jump: cmd.jump } : {}) })),
  );
  return undefined;
}

function removeAt(c: WorkChain, i: number, message: string): string | undefined {
  if (i < 0 || i >= c.rules.length) return message;
  touch(c).rules.splice(i, 1);
  c.counters.splice(i, 1);
  c.origins.splice(i, 1);
  return undefined;
}

function deleteChains(t: WorkTable, chain: string | undefined, line: number, column: number) {
  const names =
    chain === undefined ? [...t.chains.keys()].filter((n) => !isBuiltinChain(t.name, n)) : [chain];
  for (const n of names) {
    if (!t.chains.has(n) || isBuiltinChain(t.name, n)) return 'No chain/target/match by that name.';
    t.chains.delete(n);
    t.deleted.set(n, { line, column });
  }
  return undefined;
}

function clear(t: WorkTable, op: 'flush' | 'zero', chain: string | undefined): string | undefined {
  const targets = chain === undefined ? [...t.chains.values()] : [t.chains.get(chain)];
  for (const c of targets) {
    if (!c) return 'No chain/target/match by that name.';
    touch(c);
    if (op === 'flush') {
      c.rules = [];
      c.origins = [];
      c.counters = [];
    } else {
      c.counters = c.counters.map(() => ZERO);
      c.policyCounter = ZERO;
    }
  }
  return undefined;
}
