/**
 * Challenge mode's questions for a whole trace: each decision point once
 * (a route, a bridge's port, VXLAN encap and decap, a NAT), with the right
 * device and row and up to three alternatives each from the same tables,
 * shuffled by a stream of the scenario's seed. Pure: same trace, same seed,
 * same questions.
 */
import type { Snapshot, Step } from '../model.ts';
import { createRng, type Rng } from '../engine/rng.ts';
import { DROPPED, draftAt, type Draft } from './drafts.ts';
import { isArp } from './places.ts';
import type { Question, ReasonRow } from './types.ts';

/** What the questions are built from: a Simulation, or anything with its steps and states. */
export interface ChallengeTrace {
  readonly steps: readonly Step[];
  stateAt(index: number): Snapshot;
}

/** At most this many choices per part (keys 1–4). */
export const CHOICES = 4;

function shuffle<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** The right one and up to n − 1 distinct others, the first `keep` of the others always in. */
function pick<T>(rng: Rng, right: T, others: readonly T[], key: (t: T) => string, keep = 0): T[] {
  const seen = new Set([key(right)]);
  const distinct = others.filter((o) => !seen.has(key(o)) && seen.add(key(o)));
  const kept = distinct.slice(0, keep);
  const rest = shuffle(rng, distinct.slice(keep)).slice(0, CHOICES - 1 - kept.length);
  return shuffle(rng, [right, ...kept, ...rest]);
}

function finish(step: number, d: Draft, rng: Rng): Question {
  // "dropped" is always on offer: a packet can always die at a hop.
  const devices = pick(rng, d.device, [DROPPED, ...d.devices], (s) => s, 1);
  // Rows of the deciding table first; other tables' rows only fill up a short one.
  const same = d.reasons.filter((r) => r.table === d.reason.table);
  const rowKey = (r: ReasonRow) => `${r.table} ${r.row}`;
  const samePick = pick(rng, d.reason, same, rowKey);
  const reasons =
    samePick.length >= CHOICES
      ? samePick
      : pick(
          rng,
          d.reason,
          [...same, ...d.reasons.filter((r) => r.table !== d.reason.table)],
          rowKey,
          same.length - 1,
        );
  return {
    step,
    kind: d.kind,
    netns: d.netns,
    prompt: d.prompt,
    devices,
    device: devices.indexOf(d.device),
    reasons,
    reason: reasons.findIndex((r) => rowKey(r) === rowKey(d.reason)),
    why: d.why,
  };
}

/**
 * The questions of a trace, in step order. Setup steps and ARP are not asked;
 * a decision already asked (same place, same row, same answer) is not asked again.
 */
export function challengeQuestions(trace: ChallengeTrace, seed: number): Question[] {
  const rng = createRng(seed).fork('challenge');
  const asked = new Set<string>();
  const out: Question[] = [];
  for (const step of trace.steps) {
    if (step.action < 0 || step.index === 0 || isArp(step.frame)) continue;
    const draft = draftAt(step, trace.stateAt(step.index - 1));
    if (!draft || asked.has(draft.key)) continue;
    asked.add(draft.key);
    out.push(finish(step.index, draft, rng.fork(`q${step.index}`)));
  }
  return out;
}
