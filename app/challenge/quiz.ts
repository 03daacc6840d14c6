/** The questions of a simulation, built once per trace (a WeakMap on the Simulation object). */
import { challengeQuestions, type Question, type Simulation } from '@kubewire/sim-core';

export interface Quiz {
  readonly questions: readonly Question[];
  readonly byStep: ReadonlyMap<number, Question>;
}

const EMPTY: Quiz = { questions: [], byStep: new Map() };
const built = new WeakMap<Simulation, Quiz>();

export function quizOf(sim: Simulation | null): Quiz {
  if (!sim) return EMPTY;
  let quiz = built.get(sim);
  if (!quiz) {
    let questions: readonly Question[] = [];
    try {
      questions = challengeQuestions(sim, sim.scenario.cluster.seed);
    } catch (e) {
      // A sim-core bug must not take the page down: the round simply has no questions.
      console.error('challenge questions failed', e);
    }
    quiz = { questions, byStep: new Map(questions.map((q) => [q.step, q])) };
    built.set(sim, quiz);
  }
  return quiz;
}
