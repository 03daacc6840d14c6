/**
 * One packet through one hook of one table, as ipt_do_table runs it: rules in
 * order; a rule whose header and matches all hold counts the packet and runs
 * its target; -j pushes a return point, -g does not; RETURN or the end of a
 * user chain pops, and with nothing to pop the built-in's policy decides
 * (and counts). MARK, CT and LOG continue; ACCEPT, DROP, REJECT and the NAT
 * targets end the traversal. nf_tables refuses more than 16 nested jumps, so
 * a deeper stack (possible only in a hand-built state) drops the packet.
 *
 * Pure: the result carries the new state (counters, recent lists, nth
 * counters); `state` is untouched. env.random() is called once per statistic
 * match actually evaluated, and never otherwise.
 */
import { addCount, applyCounts, type Counts } from './counters.ts';
import type { EvalPacket, MatchEval } from './extension.ts';
import { matchExt } from './extensions.ts';
import { natRequest, type NatRequest } from './nat-request.ts';
import type { NfEnv, NfPacket } from './packet.ts';
import type { NfRule, NfTarget, RejectWith } from './rule.ts';
import {
  getChain,
  type NetfilterState,
  type NfChain,
  type NfTable,
  type RecentList,
} from './ruleset.ts';
import { isBuiltinChain, type Policy, type TableName } from './tables.ts';
import { ifaceMatches, ipU32 } from './values.ts';

export interface RuleHit {
  readonly chain: string;
  /** 1-based, as iptables -L --line-numbers counts. */
  readonly rule: number;
  /** What iptables -L shows as target: a chain name, "DNAT", "MARK", "" for none. */
  readonly target: string;
}

export interface LogLine {
  readonly chain: string;
  readonly rule: number;
  readonly prefix: string;
  readonly level: number;
}

export interface TraverseResult {
  readonly verdict: 'ACCEPT' | 'DROP' | 'REJECT';
  readonly rejectWith?: RejectWith;
  /** Set when the built-in chain's policy gave the verdict. */
  readonly policy?: Policy;
  readonly mark: number;
  /** -j NOTRACK / -j CT --notrack was hit (raw table). */
  readonly notrack: boolean;
  readonly ctZone?: number;
  readonly nat?: NatRequest;
  /** Every rule that matched, in order: jumps, RETURNs and MARKs included. */
  readonly hits: readonly RuleHit[];
  readonly logs: readonly LogLine[];
  readonly state: NetfilterState;
}

const MAX_STACK = 16;

type Verdict = Pick<TraverseResult, 'verdict'> &
  Partial<Pick<TraverseResult, 'rejectWith' | 'policy' | 'nat'>>;

/** The mutable bookkeeping of one traversal; never escapes traverse(). */
interface Walk {
  readonly table: NfTable;
  readonly start: NfChain;
  readonly pkt: EvalPacket & { mark: number };
  readonly ev: MatchEval;
  readonly setMatchKey: (key: string) => void;
  readonly counts: Counts;
  readonly hits: RuleHit[];
  readonly logs: LogLine[];
  readonly recent: Map<string, RecentList>;
  readonly nth: Map<string, number>;
  readonly stack: { readonly chain: NfChain; readonly next: number }[];
  notrack: boolean;
  ctZone?: number;
}

function ruleMatches(
  w: Walk,
  rule: NfRule,
  table: TableName,
  chain: string,
  index: number,
): boolean {
  const { pkt } = w;
  const { src, dst, inIface, outIface, protocol, fragment } = rule;
  if (src && ((pkt.srcU32 & src.mask) >>> 0 === src.addr) === src.invert) return false;
  if (dst && ((pkt.dstU32 & dst.mask) >>> 0 === dst.addr) === dst.invert) return false;
  if (inIface && ifaceMatches(inIface.name, pkt.inIface) === inIface.invert) return false;
  if (outIface && ifaceMatches(outIface.name, pkt.outIface) === outIface.invert) return false;
  if (protocol && (pkt.protocol === protocol.proto) === protocol.invert) return false;
  if (fragment && (pkt.fragment === true) === fragment.invert) return false;
  if (rule.matches.length === 0) return true;
  // Built only for a rule whose header matched: most rules of a long chain fail on -d.
  const key = `${table}/${chain}/${index}`;
  for (let i = 0; i < rule.matches.length; i++) {
    const m = rule.matches[i];
    w.setMatchKey(`${key}/${i}`);
    if (!matchExt(m).test(m, w.ev)) return false;
  }
  return true;
}

function hitLabel(t: NfTarget): string {
  if (t.kind === 'jump' || t.kind === 'goto') return t.chain;
  if (t.kind === 'none') return '';
  return t.kind === 'CT' && t.alias ? 'NOTRACK' : t.kind;
}

/** Where to go after a rule's target: a verdict, a chain to enter, or on (undefined). */
type Next = Verdict | { readonly enter: NfChain } | 'return' | undefined;

function runTarget(w: Walk, chain: NfChain, i: number): Next {
  const t = chain.rules[i].target;
  switch (t.kind) {
    case 'ACCEPT':
    case 'DROP':
      return { verdict: t.kind };
    case 'REJECT':
      return { verdict: 'REJECT', rejectWith: t.with };
    case 'DNAT':
    case 'SNAT':
    case 'MASQUERADE':
      return { verdict: 'ACCEPT', nat: natRequest(t) };
    case 'RETURN':
      return 'return';
    case 'jump':
    case 'goto': {
      const to = getChain(w.table, t.chain);
      if (!to || w.stack.length >= MAX_STACK) return { verdict: 'DROP' };
      if (t.kind === 'jump') w.stack.push({ chain, next: i + 1 });
      return { enter: to };
    }
    case 'MARK':
      w.pkt.mark = ((w.pkt.mark & ~t.mask) ^ t.value) >>> 0;
      return undefined;
    case 'CT':
      w.notrack ||= t.notrack;
      if (t.zone) w.ctZone = t.zone;
      return undefined;
    case 'LOG':
      w.logs.push({ chain: chain.name, rule: i + 1, prefix: t.prefix, level: t.level });
      return undefined;
    case 'none':
      return undefined;
  }
}

/** The policy of the built-in chain, counted (the kernel's underflow rule). */
function policyVerdict(w: Walk): Verdict {
  addCount(w.counts, w.start.name, -1);
  const p = w.start.policy ?? 'ACCEPT';
  return { verdict: p, policy: p };
}

function run(w: Walk, tableName: TableName): Verdict {
  let cur = w.start;
  let i = 0;
  for (;;) {
    if (i >= cur.rules.length) {
      const frame = w.stack.pop();
      if (!frame) return policyVerdict(w);
      cur = frame.chain;
      i = frame.next;
      continue;
    }
    if (!ruleMatches(w, cur.rules[i], tableName, cur.name, i)) {
      i++;
      continue;
    }
    addCount(w.counts, cur.name, i);
    w.hits.push({ chain: cur.name, rule: i + 1, target: hitLabel(cur.rules[i].target) });
    const next = runTarget(w, cur, i);
    if (next === 'return') i = cur.rules.length;
    else if (next === undefined) i++;
    else if ('enter' in next) {
      cur = next.enter;
      i = 0;
    } else return next;
  }
}

function newWalk(
  state: NetfilterState,
  table: NfTable,
  start: NfChain,
  pkt: NfPacket,
  env: NfEnv,
): Walk {
  const recent = new Map<string, RecentList>();
  const nth = new Map<string, number>();
  let matchKey = '';
  const live = { ...pkt, srcU32: ipU32(pkt.src), dstU32: ipU32(pkt.dst), mark: pkt.mark };
  const ev: MatchEval = {
    pkt: live,
    env,
    hook: start.name,
    get matchKey() {
      return matchKey;
    },
    recentList: (name) => recent.get(name) ?? state.recent.get(name) ?? new Map(),
    setRecentList: (name, list) => void recent.set(name, list),
    nthCount: (key) => nth.get(key) ?? state.nth.get(key),
    setNthCount: (key, n) => void nth.set(key, n),
  };
  const setMatchKey = (k: string) => void (matchKey = k);
  return {
    table,
    start,
    pkt: live,
    ev,
    setMatchKey,
    counts: new Map(),
    hits: [],
    logs: [],
    recent,
    nth,
    stack: [],
    notrack: false,
  };
}

export function traverse(
  state: NetfilterState,
  table: TableName,
  chain: string,
  pkt: NfPacket,
  env: NfEnv,
): TraverseResult {
  if (!isBuiltinChain(table, chain))
    throw new RangeError(`${table} has no built-in chain ${chain}`);
  const t = state.tables[table];
  const start = t && getChain(t, chain);
  // No such table in this netns: nothing is hooked, the packet passes.
  if (!t || !start)
    return { verdict: 'ACCEPT', mark: pkt.mark, notrack: false, hits: [], logs: [], state };
  const w = newWalk(state, t, start, pkt, env);
  const verdict = run(w, table);
  const next: NetfilterState = {
    tables: { ...state.tables, [table]: applyCounts(t, w.counts, pkt.length) },
    recent: w.recent.size ? new Map([...state.recent, ...w.recent]) : state.recent,
    nth: w.nth.size ? new Map([...state.nth, ...w.nth]) : state.nth,
  };
  const extra = w.ctZone ? { ctZone: w.ctZone } : {};
  return {
    ...verdict,
    mark: w.pkt.mark,
    notrack: w.notrack,
    ...extra,
    hits: w.hits,
    logs: w.logs,
    state: next,
  };
}
