/**
 * One iptables table as lines of the real tools' output — `iptables -t nat -L -v -n`
 * and `iptables-save -c -t nat`, printed by sim-core — each line labelled with what
 * the current step did to it: a rule the packet matched (the step's 'iptables' refs,
 * "nat/KUBE-SVC-…/2"), counters that moved since the step before, a chain the packet
 * entered at its hook or jumped to. Pure: (state, state before, refs) → rows.
 */
import {
  formatCount,
  getChain,
  iptablesList,
  iptablesSave,
  ruleCounter,
  tableChains,
  type Counter,
  type NetfilterState,
  type NfChain,
  type TableName,
} from '@kubewire/sim-core';

export type IptLineKind = 'chain' | 'columns' | 'rule' | 'blank' | 'table';

export interface IptLine {
  /** The rule's ref key ("nat/KUBE-SERVICES/1"), or "chain nat/KUBE-SERVICES", …. */
  readonly key: string;
  readonly kind: IptLineKind;
  readonly text: string;
  /** The characters of `text` that print packet and byte counts. */
  readonly counter?: readonly [number, number];
  /** Those counts differ from the step before's. */
  readonly counted?: boolean;
  /** A rule the step's packet matched. */
  readonly matched?: boolean;
  /** A chain the packet walked: entered at its hook, or jumped (or went) to. */
  readonly walked?: 'hook' | 'jump';
}

const same = (a: Counter | undefined, b: Counter | undefined) =>
  (a?.packets ?? 0) === (b?.packets ?? 0) && (a?.bytes ?? 0) === (b?.bytes ?? 0);

export const ruleKey = (table: string, chain: string, index: number) =>
  `${table}/${chain}/${index + 1}`;

/** What the step did to one table's chains, for both views. */
interface Walk {
  readonly chains: readonly NfChain[];
  readonly matched: ReadonlySet<string>;
  /** Rule keys and chain names whose counters moved. */
  readonly counted: ReadonlySet<string>;
  readonly walked: ReadonlyMap<string, 'hook' | 'jump'>;
}

function walkOf(
  state: NetfilterState,
  table: TableName,
  before: NetfilterState | undefined,
  matched: ReadonlySet<string>,
): Walk {
  const t = state.tables[table];
  const chains = t ? tableChains(t) : [];
  const old = before?.tables[table];
  const counted = new Set<string>();
  const walked = new Map<string, 'hook' | 'jump'>();
  for (const c of chains) {
    const prev = old && getChain(old, c.name);
    // Persistent chains: an untouched chain is the same object as the step before's.
    if (prev !== c) {
      if (!same(c.policyCounter, prev?.policyCounter)) counted.add(c.name);
      c.rules.forEach((_, i) => {
        const now = ruleCounter(state, table, c.name, i);
        const was = before && ruleCounter(before, table, c.name, i);
        if (!same(now, was)) counted.add(ruleKey(table, c.name, i));
      });
    }
    c.rules.forEach((rule, i) => {
      const key = ruleKey(table, c.name, i);
      if (!matched.has(key) && !counted.has(key)) return;
      const hook = c.policy !== undefined;
      if (!walked.has(c.name)) walked.set(c.name, hook ? 'hook' : 'jump');
      const target = rule.target;
      if (target.kind === 'jump' || target.kind === 'goto') walked.set(target.chain, 'jump');
    });
    if (c.policy !== undefined && counted.has(c.name)) walked.set(c.name, 'hook');
  }
  return { chains, matched, counted, walked };
}

/** The counts' characters in a rule line of -L -v: two formatCount columns at its start. */
function countWidth(c: Counter | undefined): number {
  return formatCount(c?.packets ?? 0, false).length + formatCount(c?.bytes ?? 0, false).length;
}

/** "(policy ACCEPT 1 packets, 60 bytes)": the span from the first count to "bytes". */
function policySpan(text: string): readonly [number, number] | undefined {
  const m = /\(policy \S+ (.*bytes)\)$/.exec(text);
  return m ? [m.index + m[0].length - 1 - m[1].length, m.index + m[0].length - 1] : undefined;
}

/** `iptables -t TABLE -L -v -n`, line by line. */
export function listLines(
  state: NetfilterState,
  table: TableName,
  before: NetfilterState | undefined,
  matched: ReadonlySet<string>,
): IptLine[] {
  const walk = walkOf(state, table, before, matched);
  const text = iptablesList(state, table, { verbose: true, numeric: true }).split('\n');
  const out: IptLine[] = [];
  let at = 0;
  walk.chains.forEach((c, ci) => {
    if (ci > 0) out.push({ key: `blank ${table}/${c.name}`, kind: 'blank', text: text[at++] });
    const head = text[at++];
    out.push({
      key: `chain ${table}/${c.name}`,
      kind: 'chain',
      text: head,
      counter: c.policy ? policySpan(head) : undefined,
      counted: walk.counted.has(c.name),
      walked: walk.walked.get(c.name),
    });
    out.push({ key: `columns ${table}/${c.name}`, kind: 'columns', text: text[at++] });
    c.rules.forEach((_, i) => {
      const key = ruleKey(table, c.name, i);
      out.push({
        key,
        kind: 'rule',
        text: text[at++],
        counter: [0, countWidth(ruleCounter(state, table, c.name, i))],
        counted: walk.counted.has(key),
        matched: walk.matched.has(key),
      });
    });
  });
  return out;
}

/** `iptables-save -c -t TABLE`, line by line: "*nat", the chain lines, the rules, COMMIT. */
export function saveLines(
  state: NetfilterState,
  table: TableName,
  before: NetfilterState | undefined,
  matched: ReadonlySet<string>,
): IptLine[] {
  const walk = walkOf(state, table, before, matched);
  const text = iptablesSave(state, { tables: [table], counters: true }).split('\n');
  const brackets = (line: string): readonly [number, number] => {
    const start = line.indexOf('[');
    return [start, line.indexOf(']', start) + 1];
  };
  let at = 0;
  const out: IptLine[] = [{ key: `table ${table}`, kind: 'table', text: text[at++] }];
  for (const c of walk.chains) {
    const line = text[at++];
    out.push({
      key: `chain ${table}/${c.name}`,
      kind: 'chain',
      text: line,
      counter: c.policy ? brackets(line) : undefined,
      counted: walk.counted.has(c.name),
      walked: walk.walked.get(c.name),
    });
  }
  for (const c of walk.chains) {
    c.rules.forEach((_, i) => {
      const key = ruleKey(table, c.name, i);
      const line = text[at++];
      out.push({
        key,
        kind: 'rule',
        text: line,
        counter: brackets(line),
        counted: walk.counted.has(key),
        matched: walk.matched.has(key),
      });
    });
  }
  out.push({ key: `commit ${table}`, kind: 'table', text: text[at++] });
  return out;
}

export interface PathStep {
  /** The rule's ref key ("nat/KUBE-SVC-…/2"). */
  readonly key: string;
  readonly chain: string;
  /** 1-based, as -L --line-numbers and the narration count. */
  readonly rule: number;
  /** What the rule decided when it does not jump on: DNAT, RETURN, MARK … */
  readonly verdict?: string;
}

/** The rules the packet matched, in the order it met them (the step's refs are in that order). */
export function matchedPath(
  state: NetfilterState,
  table: TableName,
  keys: readonly string[],
): PathStep[] {
  const t = state.tables[table];
  return keys.flatMap((key) => {
    const [, chain, n] = /^[^/]+\/(.+)\/(\d+)$/.exec(key) ?? [];
    const rule = t && chain ? getChain(t, chain)?.rules[Number(n) - 1] : undefined;
    if (!rule) return [];
    const target = rule.target.kind;
    const jumps = target === 'jump' || target === 'goto' || target === 'none';
    return [{ key, chain, rule: Number(n), ...(jumps ? {} : { verdict: target }) }];
  });
}
