/**
 * The in-progress state of one iptables-restore rule line while its
 * arguments are read left to right, like iptables' struct
 * iptables_command_state, and the helpers the option handlers share.
 */
import type { CommandOp } from './command.ts';
import type { RuleContext, TargetExt } from './extension.ts';
import type { Loaded } from './option-lookup.ts';
import type { Counter } from './ruleset.ts';
import type { IfaceMatch, NfTarget, ProtoMatch } from './rule.ts';
import { isBuiltinChain, type TableName } from './tables.ts';
import type { Token } from './tokenize.ts';

/** A parse failure at a token; caught by parseCommand, never escapes it. */
export class LineFailure {
  constructor(
    readonly column: number,
    readonly message: string,
  ) {}
}

export function fail(at: Token | number, message: string): never {
  throw new LineFailure(typeof at === 'number' ? at : at.column, message);
}

export interface AddrList {
  readonly addrs: readonly number[];
  readonly mask: number;
  readonly invert: boolean;
}

export interface ParseOptions {
  /** Names of the ipsets that exist; without it any -m set name is accepted. */
  readonly setExists?: (name: string) => boolean;
}

export interface ParseState {
  readonly tokens: readonly Token[];
  readonly table: TableName;
  readonly options: ParseOptions;
  i: number;
  /** The pending "!" for the next option. */
  invert?: Token;
  op?: {
    readonly op: CommandOp;
    readonly letter: string;
    readonly chain?: string;
    readonly chainColumn: number;
    readonly index?: number;
    readonly policy?: string;
  };
  /** First rule-specification option seen, to refuse it with -N, -X, -F, -P, -Z. */
  ruleOption?: Token;
  src?: AddrList;
  dst?: AddrList;
  inIface?: IfaceMatch;
  outIface?: IfaceMatch;
  /** Columns of -i and -o, for "Can't use -o with INPUT". */
  readonly ifaceColumns: { i?: number; o?: number };
  proto?: ProtoMatch;
  fragment?: { readonly invert: boolean };
  readonly loaded: (Loaded & { readonly column: number })[];
  target?: {
    readonly name: string;
    readonly column: number;
    readonly goto: boolean;
    /** Set for target extensions (REJECT, DNAT, ...): their state and their table/hook limits. */
    readonly loaded?: Loaded;
    readonly ext?: TargetExt<unknown, NfTarget>;
  };
  protoUsed: boolean;
  counters?: Counter;
  readonly seen: Set<string>;
}

export function newState(
  tokens: readonly Token[],
  table: TableName,
  options: ParseOptions,
): ParseState {
  return {
    tokens,
    table,
    options,
    i: 0,
    ifaceColumns: {},
    loaded: [],
    protoUsed: false,
    seen: new Set(),
  };
}

/** The argument after the option at st.i (getopt takes it even if it looks like an option). */
export function takeArg(st: ParseState, optText: string): Token {
  const next = st.tokens[st.i + 1];
  if (!next) fail(st.tokens[st.i], `option "${optText}" requires an argument`);
  st.i++;
  return next;
}

/** xs_has_arg: an optional argument is there when the next token is not an option or "!". */
export function hasOptionalArg(st: ParseState): boolean {
  const next = st.tokens[st.i + 1];
  return next !== undefined && !next.text.startsWith('-') && !next.text.startsWith('!');
}

/** set_option: each base option at most once. */
export function once(st: ParseState, at: Token, letter: string): void {
  if (st.seen.has(letter)) fail(at, `multiple -${letter} flags not allowed`);
  st.seen.add(letter);
  st.ruleOption ??= at;
}

export function ruleContext(st: ParseState): RuleContext {
  const chain = st.op?.chain ?? '';
  return {
    table: st.table,
    chain,
    builtin: isBuiltinChain(st.table, chain),
    proto: st.proto?.proto ?? 0,
    protoInvert: st.proto?.invert ?? false,
    ...(st.options.setExists ? { setExists: st.options.setExists } : {}),
  };
}
