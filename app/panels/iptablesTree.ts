/**
 * One iptables table as a tree of `iptables -L -v -n` lines: a heading per chain
 * ("Chain KUBE-SERVICES (2 references)") that opens and closes, its column header and
 * rules under it when open. A rule that jumps (or goes) to a user chain names it as the
 * target column: that span is a link that opens the chain. Each rule carries its fate in
 * the step's walk (iptablesWalk.ts): matched, or tested and not matched. Pure.
 */
import type { NetfilterState, NfChain, TableName } from '@kubewire/sim-core';
import { getChain, tableChains } from '@kubewire/sim-core';
import type { IptLine } from './iptablesRows.ts';
import type { RuleFate, TableWalk } from './iptablesWalk.ts';

export interface TreeRow {
  readonly key: string;
  readonly kind: 'chain' | 'columns' | 'rule' | 'table';
  readonly chain: string;
  readonly line: IptLine;
  /** A chain heading: the chain is open. */
  readonly open?: boolean;
  /** A chain heading: how many rules it holds. */
  readonly rules?: number;
  /** A rule that jumps or goes to a user chain: that chain and where the line names it. */
  readonly jump?: { readonly chain: string; readonly from: number; readonly to: number };
  readonly fate?: RuleFate;
}

/** Where `chain` appears as the target column of an -L line (after the two counts). */
function targetSpan(text: string, chain: string, after: number): [number, number] | undefined {
  const re = new RegExp(`(^|\\s)${chain.replace(/[-/\\^$*+?.()|[\]{}]/g, '\\$&')}(?=\\s|$)`, 'g');
  re.lastIndex = Math.max(0, after - 1); // the space before the target column
  const m = re.exec(text);
  if (!m) return undefined;
  const from = m.index + m[1].length;
  return [from, from + chain.length];
}

const parseKey = (key: string) => /^[^/]+\/(.+)\/(\d+)$/.exec(key);

/**
 * The rows to show: every chain heading, and the lines of the open chains. `lines` are
 * listLines' (the blank lines between chains are dropped: a tree spaces its headings).
 */
export function treeRows(
  lines: readonly IptLine[],
  state: NetfilterState,
  table: TableName,
  isOpen: (chain: string) => boolean,
  walk: TableWalk | undefined,
): TreeRow[] {
  const t = state.tables[table];
  const chainOf = (name: string): NfChain | undefined => (t ? getChain(t, name) : undefined);
  const out: TreeRow[] = [];
  let chain = '';
  let open = false;
  for (const line of lines) {
    if (line.kind === 'blank') continue;
    if (line.kind === 'chain') {
      chain = line.key.slice(line.key.indexOf('/') + 1);
      open = isOpen(chain);
      out.push({
        key: line.key,
        kind: 'chain',
        chain,
        line,
        open,
        rules: chainOf(chain)?.rules.length ?? 0,
      });
      continue;
    }
    if (!open) continue;
    if (line.kind !== 'rule') {
      out.push({ key: line.key, kind: line.kind === 'columns' ? 'columns' : 'table', chain, line });
      continue;
    }
    const m = parseKey(line.key);
    const n = m ? Number(m[2]) : 0;
    const target = chainOf(chain)?.rules[n - 1]?.target;
    const to =
      target && (target.kind === 'jump' || target.kind === 'goto') ? target.chain : undefined;
    const span = to ? targetSpan(line.text, to, line.counter?.[1] ?? 0) : undefined;
    const fate = walk?.fates.get(chain)?.get(n);
    out.push({
      key: line.key,
      kind: 'rule',
      chain,
      line,
      ...(to && span ? { jump: { chain: to, from: span[0], to: span[1] } } : {}),
      ...(fate ? { fate } : {}),
    });
  }
  return out;
}

/** A table with at most this many rules opens every chain; a bigger one folds. */
export const OPEN_ALL_UP_TO = 120;

/**
 * The chains open by default: all of a small table's; in a big one (kube-proxy's, with a
 * KUBE-SEP- chain per endpoint) the built-in ones and those the step's packet entered.
 */
export function defaultOpen(
  state: NetfilterState,
  table: TableName,
  walk: TableWalk | undefined,
): Set<string> {
  const t = state.tables[table];
  const open = new Set<string>(walk?.entered ?? []);
  const chains = t ? tableChains(t) : [];
  if (chains.reduce((n, c) => n + c.rules.length, 0) <= OPEN_ALL_UP_TO)
    return new Set(chains.map((c) => c.name));
  if (t)
    for (const name of ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'])
      if (getChain(t, name)) open.add(name);
  return open;
}
