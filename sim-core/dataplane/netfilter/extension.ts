/**
 * The shape of an iptables extension, after libxtables' struct xtables_match
 * and xtables_target: the options it adds to the command line, how it parses
 * them into the kernel's structure, how iptables-save (`save`) and
 * `iptables -L` (`list`) print that structure, and (for matches) the kernel
 * module's match function. Printed fragments start with a space, exactly as
 * the C printf calls they mirror.
 */
import type { NfPacket, NfEnv } from './packet.ts';
import type { RecentList } from './ruleset.ts';
import type { NfMatch, NfTarget } from './rule.ts';
import type { TableName } from './tables.ts';

/** A draft under construction: the finished value's fields, writable. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface OptionSpec {
  /** How many arguments follow the option (--tcp-flags takes two). */
  readonly args: 0 | 1 | 2;
  readonly invert: boolean;
}

/** What an extension may ask about the rule it is being parsed into. */
export interface RuleContext {
  readonly table: TableName;
  readonly chain: string;
  readonly builtin: boolean;
  /** -p value so far; 0 is "all". */
  readonly proto: number;
  readonly protoInvert: boolean;
  /** When given, -m set refuses names for which this is false (the kernel has no such set). */
  readonly setExists?: (name: string) => boolean;
}

export interface Extension<D, V> {
  readonly name: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  start(): D;
  /** Apply one option; returns an error message, or undefined when accepted. */
  option(
    d: D,
    opt: string,
    args: readonly string[],
    invert: boolean,
    ctx: RuleContext,
  ): string | undefined;
  /** The final check (x6_fcheck) and the finished value, or an error message. */
  finish(d: D, ctx: RuleContext): V | string;
  save(v: V): string;
  list(v: V, numeric: boolean): string;
}

/** A packet as the evaluator sees it: addresses already numeric. */
export interface EvalPacket extends NfPacket {
  readonly srcU32: number;
  readonly dstU32: number;
}

/** Per-evaluation access to the stateful parts of netfilter (xt_recent, statistic nth). */
export interface MatchEval {
  readonly pkt: EvalPacket;
  readonly env: NfEnv;
  /** Built-in chain (hook) the packet is traversing. */
  readonly hook: string;
  /** "table/chain/rule/match": identity of the match being evaluated. */
  readonly matchKey: string;
  recentList(name: string): RecentList;
  setRecentList(name: string, list: RecentList): void;
  nthCount(key: string): number | undefined;
  setNthCount(key: string, n: number): void;
}

export interface MatchExt<D, M extends NfMatch> extends Extension<D, M> {
  test(m: M, ev: MatchEval): boolean;
}

export interface TargetExt<D, T extends NfTarget> extends Extension<D, T> {
  /** Tables the kernel accepts the target in (undefined: all). */
  readonly tables?: readonly TableName[];
  /** Built-in chains (hooks) it may be reached from (undefined: all). */
  readonly hooks?: readonly string[];
  /** The name iptables-save writes after -j (the alias, for NOTRACK). */
  saveName?(t: T): string;
  /** The name in the target column of iptables -L. */
  listName?(t: T): string;
}

/** libxtables' wording for an option given twice. */
export function onlyOnce(ext: string, opt: string): string {
  return `${ext}: option "--${opt}" can only be used once.`;
}

export function together(ext: string, a: string, b: string): string {
  return `${ext}: option "--${a}" cannot be used together with "--${b}".`;
}

export function mustSpecify(ext: string, opt: string): string {
  return `${ext}: option "--${opt}" must be specified`;
}

/**
 * What iptables-nft prints when the kernel refuses a rule at commit
 * (EINVAL from a match or target checkentry), with the reason it does not say.
 */
export function kernelRefused(chain: string, why: string): string {
  return `RULE_APPEND failed (Invalid argument): rule in chain ${chain}: ${why}`;
}
