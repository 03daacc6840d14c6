/**
 * The rules a packet matched, in words a student can hold against
 * `iptables-save`: each hit as its chain, its position and its rule text.
 */
import {
  getChain,
  saveRule,
  type NetfilterState,
  type RuleHit,
  type TableName,
} from './netfilter/index.ts';

export function describeHits(
  state: NetfilterState,
  table: TableName,
  hits: readonly RuleHit[],
): string {
  const t = state.tables[table];
  return hits
    .map((h) => {
      const rule = t && getChain(t, h.chain)?.rules[h.rule - 1];
      return `${h.chain} rule ${h.rule}${rule ? ` (${`-A ${h.chain}${saveRule(rule)}`.trim()})` : ''}`;
    })
    .join(' → ');
}
