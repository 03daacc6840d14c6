/**
 * The base options of a rule (iptables' do_parse in iptables/xshared.c):
 * -s -d -i -o -p -f, -m to load a match, -j/-g for the target, -c counters.
 * Messages are iptables' own.
 */
import { findMatch, findTarget, STANDARD_TARGETS } from './extensions.ts';
import { fail, once, takeArg, type ParseState } from './parse-state.ts';
import { protocolByName } from './protocols.ts';
import type { Token } from './tokenize.ts';
import { isAnyIface, parseAddressList, parseCUint, parseIfaceName } from './values.ts';

function invertFlag(st: ParseState): boolean {
  return st.invert !== undefined;
}

/** "-s ! x" is the old intrapositioned form iptables 1.8 no longer reads. */
function noIntraposition(st: ParseState, arg: Token, opt: string): void {
  if (arg.text !== '!') return;
  const next = st.tokens[st.i + 1];
  fail(
    next ?? arg,
    `Bad argument \`${next?.text ?? ''}' (write "! ${opt} ${next?.text ?? '...'}": the ! goes before the option)`,
  );
}

export function address(st: ParseState, tok: Token, letter: 's' | 'd'): void {
  once(st, tok, letter);
  const arg = takeArg(st, tok.text);
  noIntraposition(st, arg, `-${letter}`);
  const parsed = parseAddressList(arg.text);
  if ('error' in parsed) fail(arg, parsed.error);
  const list = { addrs: parsed.addrs, mask: parsed.mask, invert: invertFlag(st) };
  if (letter === 's') st.src = list;
  else st.dst = list;
}

export function iface(st: ParseState, tok: Token, letter: 'i' | 'o'): void {
  once(st, tok, letter);
  st.ifaceColumns[letter] = tok.column;
  const arg = takeArg(st, tok.text);
  noIntraposition(st, arg, `-${letter}`);
  const name = parseIfaceName(arg.text);
  if (typeof name !== 'string') fail(arg, name.error);
  if (isAnyIface(name)) return;
  const match = { name, invert: invertFlag(st) };
  if (letter === 'i') st.inIface = match;
  else st.outIface = match;
}

export function protocol(st: ParseState, tok: Token): void {
  once(st, tok, 'p');
  const arg = takeArg(st, tok.text);
  noIntraposition(st, arg, '-p');
  const proto = parseCUint(arg.text, 0, 255) ?? protocolByName(arg.text);
  if (proto === undefined) fail(arg, `unknown protocol "${arg.text}" specified`);
  if (proto === 0 && invertFlag(st)) fail(tok, 'rule would never match protocol');
  st.proto = { proto, invert: invertFlag(st) };
}

export function fragment(st: ParseState, tok: Token): void {
  once(st, tok, 'f');
  st.fragment = { invert: invertFlag(st) };
}

export function loadMatch(st: ParseState, tok: Token): void {
  if (st.invert) fail(st.invert, 'unexpected ! flag before --match');
  const arg = takeArg(st, tok.text);
  const ext = findMatch(arg.text);
  if (!ext) fail(arg, `Couldn't load match \`${arg.text}':No such file or directory`);
  st.ruleOption ??= tok;
  st.loaded.push({ kind: 'match', ext, draft: ext.start(), used: new Set(), column: tok.column });
}

export function jump(st: ParseState, tok: Token, letter: 'j' | 'g'): void {
  if (st.invert) fail(st.invert, `cannot have ! before -${letter}`);
  if (st.target) fail(tok, 'multiple -j flags not allowed');
  st.ruleOption ??= tok;
  const arg = takeArg(st, tok.text);
  const name = arg.text;
  if (name.length < 1) fail(arg, 'Invalid target name (too short)');
  if (name.length >= 29) fail(arg, `Invalid target name \`${name}' (28 chars max)`);
  if (/\s/.test(name)) fail(arg, `Invalid target name \`${name}'`);
  const ext = findTarget(name);
  const standard = (STANDARD_TARGETS as readonly string[]).includes(name);
  if (letter === 'g' && (ext || standard))
    fail(arg, `-g needs a user-defined chain, and \`${name}' is a target`);
  if (!ext) {
    st.target = { name, column: arg.column, goto: letter === 'g' };
    return;
  }
  const loaded = {
    kind: 'target' as const,
    ext,
    draft: ext.start(),
    used: new Set<string>(),
    column: tok.column,
  };
  st.loaded.push(loaded);
  st.target = { name, column: arg.column, goto: false, loaded, ext };
}

export function setCounters(st: ParseState, tok: Token): void {
  if (st.invert) fail(st.invert, 'cannot have ! before -c');
  once(st, tok, 'c');
  const p = takeArg(st, tok.text);
  const b = st.tokens[st.i + 1];
  if (!b) fail(tok, '-c requires packet and byte counter');
  st.i++;
  const packets = /^\d+$/.test(p.text) ? Number(p.text) : undefined;
  const bytes = /^\d+$/.test(b.text) ? Number(b.text) : undefined;
  if (packets === undefined) fail(p, '-c packet counter not numeric');
  if (bytes === undefined) fail(b, '-c byte counter not numeric');
  st.counters = { packets, bytes };
}
