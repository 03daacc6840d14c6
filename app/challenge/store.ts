/**
 * Challenge mode's own little store: on or off, and the student's answers by
 * question step. Kept apart from the app store so the other slices do not
 * grow; the cursor asks `holds` (gate.ts) before it moves onto a question's step.
 * Answers belong to one simulation: a new trace starts a fresh round (sync.ts).
 */
import { create } from 'zustand';

export interface Answer {
  readonly device?: number;
  readonly reason?: number;
}

export type Part = 'device' | 'reason';

export interface ChallengeState {
  on: boolean;
  /** By the question's step. */
  answers: ReadonlyMap<number, Answer>;
  /** Questions whose verdict the student has read and moved on from, by step. */
  seen: ReadonlySet<number>;
  setOn(on: boolean): void;
  /** The verdict of the question at `step` was read: show the next question. */
  moveOn(step: number): void;
  choose(step: number, part: Part, index: number): void;
  reset(): void;
}

export const useChallenge = create<ChallengeState>()((set, get) => ({
  on: false,
  answers: new Map(),
  seen: new Set(),
  setOn: (on) => set({ on }),
  moveOn: (step) => set({ seen: new Set(get().seen).add(step) }),
  choose: (step, part, index) => {
    const answers = new Map(get().answers);
    answers.set(step, { ...answers.get(step), [part]: index });
    set({ answers });
  },
  reset: () => set({ answers: new Map(), seen: new Set() }),
}));

/** Both parts answered: the hop may be shown. */
export const answered = (a: Answer | undefined): boolean =>
  a?.device !== undefined && a.reason !== undefined;
