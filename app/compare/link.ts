/**
 * `&compare=…&cstep=N` in the URL: what compare mode shows, restorable from a
 * link. A bad value never blocks: the scenario is shown alone (or the other
 * side follows the primary) and the returned notice says what was wrong.
 */
import { formatModeTarget, isModeError } from '@kubewire/sim-core';
import { useStore } from '../state/store.ts';
import type { CompareHash } from '../state/urlHash.ts';
import { compareReady, otherStep, useCompare } from './store.ts';
import { parseCompare, refusal, sameTarget } from './target.ts';

/** The other side's step from a link, or why it cannot be used. */
export function parseCstep(raw: string, count: number): number | string {
  if (!/^\d+$/.test(raw)) return `cstep "${raw}" in the link is not a number`;
  const n = Number(raw);
  if (n >= count) return `cstep ${n} in the link is past the other side's last step (${count - 1})`;
  return n;
}

/**
 * Make compare mode what the link says (after the scenario and its step are
 * shown). Resolves with a notice for a bad value, else undefined.
 */
export async function applyCompareLink(
  raw: string | undefined,
  rawCstep: string | undefined,
): Promise<string | undefined> {
  const compare = useCompare.getState();
  const sim = useStore.getState().sim;
  if (raw === undefined || raw === '') {
    if (compare.target) compare.leave();
    return rawCstep !== undefined ? 'cstep in the link means nothing without compare=' : undefined;
  }
  if (!sim) return undefined;
  const target = parseCompare(raw, sim.scenario);
  if (isModeError(target)) {
    compare.leave();
    return `compare "${raw}" in the link: ${target.message} (at character ${target.column}); the scenario is shown alone`;
  }
  const why = refusal(target, sim.scenario);
  if (why) {
    compare.leave();
    return `compare "${raw}" in the link: ${why}; the scenario is shown alone`;
  }
  const now = useCompare.getState();
  const open =
    now.target && sameTarget(now.target, target) && (compareReady(now) || now.simulating);
  if (!open && !(await useCompare.getState().open(target))) return undefined;
  if (useCompare.getState().simulating) return undefined;
  const c = useCompare.getState();
  if (!c.other || rawCstep === undefined) return undefined;
  const n = parseCstep(rawCstep, c.other.steps.length);
  if (typeof n === 'string') {
    c.setOwn(null);
    return `${n}; the ${formatModeTarget(target)} side follows the left`;
  }
  const step = useStore.getState().step;
  c.setOwn(n === otherStep({ ...c, own: null }, step) ? null : n);
  return undefined;
}

/** Compare mode's part of the hash, when it is on and ready. */
export function compareHash(): CompareHash | undefined {
  const c = useCompare.getState();
  if (!c.target || !compareReady(c)) return undefined;
  return {
    target: formatModeTarget(c.target),
    cstep: otherStep(c, useStore.getState().step),
  };
}
