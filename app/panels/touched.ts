/** Matching the current step's TableRefs to table rows. */
import type { TableRef } from '@kubewire/sim-core';

/** The strongest change the step made to one row (a write outranks a read). */
export function changeOf(
  touched: readonly TableRef[],
  netns: string,
  key: string,
): TableRef['change'] | undefined {
  const refs = touched.filter((t) => t.netns === netns && t.key === key);
  const order: TableRef['change'][] = ['removed', 'added', 'updated', 'read'];
  return order.find((c) => refs.some((r) => r.change === c));
}

/** Keys the step removed from one netns's table (to show them as ghosts). */
export const removedKeys = (touched: readonly TableRef[], netns: string): string[] =>
  touched.filter((t) => t.netns === netns && t.change === 'removed').map((t) => t.key);

const NONE: readonly TableRef[] = [];

/** The refs grouped by netns; a netns with none gets one shared empty list (stable for memo). */
export function touchedByNetns(
  touched: readonly TableRef[],
): (netns: string) => readonly TableRef[] {
  const groups = new Map<string, TableRef[]>();
  for (const t of touched) groups.set(t.netns, [...(groups.get(t.netns) ?? []), t]);
  return (netns) => groups.get(netns) ?? NONE;
}
