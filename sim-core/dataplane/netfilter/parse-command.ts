/**
 * One iptables-restore command line ("-A KUBE-SERVICES -d 10.96.0.50/32 -p
 * tcp ... -j KUBE-SVC-...") read into a Command, the way iptables' do_parse
 * walks its getopt loop: options in any order, "!" before the option it
 * negates, extension options found in the most recently loaded extension,
 * and -p's match loaded on demand.
 */
import type { Command, LineError } from './command.ts';
import { protocolMatch } from './extensions.ts';
import { finishCommand } from './parse-finish.ts';
import { expandBase, lookupOption, type Loaded, type Lookup } from './option-lookup.ts';
import {
  address,
  fragment,
  iface,
  jump,
  loadMatch,
  protocol,
  setCounters,
} from './parse-selectors.ts';
import {
  fail,
  hasOptionalArg,
  LineFailure,
  newState,
  ruleContext,
  takeArg,
  type ParseOptions,
  type ParseState,
} from './parse-state.ts';
import type { TableName } from './tables.ts';
import type { Token } from './tokenize.ts';
import { parseCUint } from './values.ts';

// original_opts in iptables/xtables.c, by the letter each stands for.
const LONG: Readonly<Record<string, string>> = {
  append: 'A',
  delete: 'D',
  insert: 'I',
  replace: 'R',
  flush: 'F',
  zero: 'Z',
  'new-chain': 'N',
  'delete-chain': 'X',
  policy: 'P',
  source: 's',
  src: 's',
  destination: 'd',
  dst: 'd',
  protocol: 'p',
  'in-interface': 'i',
  'out-interface': 'o',
  jump: 'j',
  goto: 'g',
  match: 'm',
  fragments: 'f',
  'set-counters': 'c',
  table: 't',
};
const LONG_NAMES = Object.keys(LONG);

export function parseCommand(
  tokens: readonly Token[],
  table: TableName,
  options: ParseOptions = {},
): { ok: true; command: Command } | ({ ok: false } & LineError) {
  const st = newState(tokens, table, options);
  try {
    for (st.i = 0; st.i < tokens.length; st.i++) readToken(st, tokens[st.i]);
    if (st.invert) fail(st.invert, "unexpected end of line after '!'");
    return { ok: true, command: finishCommand(st) };
  } catch (e) {
    if (e instanceof LineFailure) return { ok: false, column: e.column, message: e.message };
    throw e;
  }
}

function readToken(st: ParseState, tok: Token): void {
  if (tok.text === '!') {
    if (st.invert) fail(tok, 'multiple consecutive ! not allowed');
    st.invert = tok;
    return;
  }
  if (tok.text.startsWith('--') && tok.text.length > 2) longOption(st, tok);
  else if (/^-[A-Za-z0-9]$/.test(tok.text)) baseOption(st, tok, tok.text[1]);
  else fail(tok, `Bad argument \`${tok.text}'`);
  st.invert = undefined;
}

function longOption(st: ParseState, tok: Token): void {
  const name = tok.text.slice(2);
  let hit: Lookup = lookupOption(name, st.loaded, LONG_NAMES);
  if (hit && 'ambiguous' in hit) {
    const list = hit.ambiguous.map((o) => `'--${o}'`).join(' ');
    fail(tok, `option '${tok.text}' is ambiguous; possibilities: ${list}`);
  }
  if (!hit) {
    const base = expandBase(name, LONG_NAMES);
    if (base) return baseOption(st, tok, LONG[base]);
    if (loadProtocolMatch(st, tok)) hit = lookupOption(name, st.loaded, LONG_NAMES);
  }
  if (!hit || 'ambiguous' in hit) fail(tok, `unknown option "${tok.text}"`);
  extensionOption(st, tok, hit.found, hit.option);
}

/** load_proto: an option no loaded extension knows may belong to -p's own match. */
function loadProtocolMatch(st: ParseState, tok: Token): boolean {
  if (st.protoUsed || !st.proto || st.proto.invert) return false;
  const ext = protocolMatch(st.proto.proto);
  if (!ext) return false;
  st.protoUsed = true;
  st.loaded.push({ kind: 'match', ext, draft: ext.start(), used: new Set(), column: tok.column });
  return true;
}

function extensionOption(st: ParseState, tok: Token, loaded: Loaded, option: string): void {
  const { ext } = loaded;
  const spec = ext.options[option];
  if (st.invert && !spec.invert)
    fail(st.invert, `${ext.name}: option "--${option}" cannot be inverted.`);
  if (loaded.used.has(option))
    fail(tok, `${ext.name}: option "--${option}" can only be used once.`);
  loaded.used.add(option);
  st.ruleOption ??= tok;
  const args: Token[] = [];
  if (spec.args >= 1) args.push(takeArg(st, tok.text));
  if (spec.args === 2) {
    if (!hasOptionalArg(st)) fail(tok, `--${option} requires two args.`);
    args.push(st.tokens[++st.i]);
  }
  const err = ext.option(
    loaded.draft,
    option,
    args.map((a) => a.text),
    st.invert !== undefined,
    ruleContext(st),
  );
  if (err !== undefined) fail(args[args.length - 1] ?? tok, err);
}

function baseOption(st: ParseState, tok: Token, letter: string): void {
  switch (letter) {
    case 's':
    case 'd':
      return address(st, tok, letter);
    case 'i':
    case 'o':
      return iface(st, tok, letter);
    case 'p':
      return protocol(st, tok);
    case 'f':
      return fragment(st, tok);
    case 'm':
      return loadMatch(st, tok);
    case 'j':
    case 'g':
      return jump(st, tok, letter);
    case 'c':
      return setCounters(st, tok);
    case 't':
      return fail(tok, 'The -t option cannot be used in iptables-restore.');
    case 'A':
    case 'I':
    case 'D':
    case 'N':
    case 'X':
    case 'F':
    case 'Z':
    case 'P':
      return command(st, tok, letter);
    default:
      return fail(tok, `unknown option "${tok.text}"`);
  }
}

const OPS = {
  A: 'append',
  I: 'insert',
  D: 'delete',
  N: 'new-chain',
  X: 'delete-chain',
  F: 'flush',
  Z: 'zero',
  P: 'policy',
} as const;

function command(st: ParseState, tok: Token, letter: keyof typeof OPS): void {
  if (st.invert) fail(st.invert, "unexpected '!' flag");
  if (st.op) fail(tok, `Cannot use -${letter} with -${st.op.letter}`);
  const needsChain =
    letter === 'A' || letter === 'I' || letter === 'D' || letter === 'N' || letter === 'P';
  const chainTok = needsChain || hasOptionalArg(st) ? takeArg(st, tok.text) : undefined;
  const chain = chainTok?.text;
  let op: (typeof OPS)[keyof typeof OPS] | 'delete-num' = OPS[letter];
  let index: number | undefined;
  let policy: string | undefined;
  if ((letter === 'I' || letter === 'D') && hasOptionalArg(st)) {
    const num = st.tokens[++st.i];
    index = parseCUint(num.text, 1, 0x7fffffff);
    if (index === undefined) fail(num, `Invalid rule number \`${num.text}'`);
    if (letter === 'D') op = 'delete-num';
  }
  if (letter === 'P') {
    if (!hasOptionalArg(st)) fail(tok, '-P requires a chain and a policy');
    policy = st.tokens[++st.i].text;
  }
  st.op = {
    op,
    letter,
    chainColumn: chainTok?.column ?? tok.column,
    ...(chain !== undefined ? { chain } : {}),
    ...(index ? { index } : {}),
    ...(policy ? { policy } : {}),
  };
}
