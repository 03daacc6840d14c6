/**
 * Writing one traversal's counter increments back into a table without
 * copying it: each touched chain gets new counter chunks only where a rule
 * counted, and the table a new path to that chain; everything else is shared.
 */
import { pvecGet, pvecSet } from './pvec.ts';
import { getChain, type Counter, type NfChain, type NfTable } from './ruleset.ts';

/** Chain name → rule index (-1 for the policy) → packets counted. */
export type Counts = Map<string, Map<number, number>>;

export function addCount(counts: Counts, chain: string, index: number): void {
  const perChain = counts.get(chain) ?? new Map<number, number>();
  perChain.set(index, (perChain.get(index) ?? 0) + 1);
  counts.set(chain, perChain);
}

function bump(k: Counter, packets: number, length: number): Counter {
  return { packets: k.packets + packets, bytes: k.bytes + packets * length };
}

function bumpChain(c: NfChain, perRule: ReadonlyMap<number, number>, length: number): NfChain {
  let counters = c.counters;
  let policyCounter = c.policyCounter;
  for (const [i, n] of perRule) {
    if (i < 0) policyCounter = bump(policyCounter, n, length);
    else counters = pvecSet(counters, i, bump(pvecGet(counters, i), n, length));
  }
  return { ...c, counters, policyCounter };
}

/** The table with every count in `counts` added, `length` bytes per packet. */
export function applyCounts(table: NfTable, counts: Counts, length: number): NfTable {
  if (counts.size === 0) return table;
  let chains = table.chains;
  for (const [name, perRule] of counts) {
    const index = table.chainIndex.get(name);
    const c = getChain(table, name);
    if (index === undefined || !c) continue;
    chains = pvecSet(chains, index, bumpChain(c, perRule, length));
  }
  return { ...table, chains };
}
