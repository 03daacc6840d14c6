/**
 * The timeline's stop before a hop: in challenge mode the cursor does not move
 * onto a question's step until the student has answered it.
 */
import type { Simulation } from '@kubewire/sim-core';
import { answered, useChallenge } from './store.ts';
import { quizOf } from './quiz.ts';

export function challengeHolds(sim: Simulation | null, next: number): boolean {
  const { on, answers } = useChallenge.getState();
  return on && quizOf(sim).byStep.has(next) && !answered(answers.get(next));
}
