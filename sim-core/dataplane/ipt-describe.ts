/**
 * The path a packet took through a table, short enough to read aloud:
 * each chain it entered and the rule number that sent it on, then the
 * verdict (`KUBE-SERVICES 1 → KUBE-SVC-CDGGSHYLG3RE2FKL 3 → KUBE-SEP-TCD3IFXQZW3ZEZQU 2 DNAT`).
 * The rules themselves are in the iptables panel and `iptables-save`.
 */
import type { NetfilterState, RuleHit, TableName } from './netfilter/index.ts';

export function describeHits(
  _state: NetfilterState,
  _table: TableName,
  hits: readonly RuleHit[],
): string {
  return hits
    .map((h) => `${h.chain} ${h.rule}${h.target && !isChainJump(h, hits) ? ` ${h.target}` : ''}`)
    .join(' → ');
}

/** A hit whose target is the next hit's chain is a jump: the next item says where it went. */
function isChainJump(h: RuleHit, hits: readonly RuleHit[]): boolean {
  const next = hits[hits.indexOf(h) + 1];
  return next !== undefined && next.chain === h.target;
}
