/**
 * The running score: a point for the right device and a point for the right row,
 * per question. A question the cursor passed without an answer (a link or a
 * scrub past it) is passed by: the round ends when every question is answered or passed.
 */
import type { Question } from '@kubewire/sim-core';
import { answered, type Answer } from './store.ts';

export interface Score {
  readonly total: number;
  readonly answered: number;
  readonly passed: number;
  readonly devices: number;
  readonly reasons: number;
  readonly done: boolean;
}

export function scoreOf(
  questions: readonly Question[],
  answers: ReadonlyMap<number, Answer>,
  step: number,
): Score {
  let done = 0;
  let passed = 0;
  let devices = 0;
  let reasons = 0;
  for (const q of questions) {
    const a = answers.get(q.step);
    if (!answered(a)) {
      if (q.step <= step) passed++;
      continue;
    }
    done++;
    if (a!.device === q.device) devices++;
    if (a!.reason === q.reason) reasons++;
  }
  const total = questions.length;
  return {
    total,
    answered: done,
    passed,
    devices,
    reasons,
    done: total > 0 && done + passed === total,
  };
}
