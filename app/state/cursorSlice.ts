/**
 * The timeline cursor: which step is shown, whether it plays, how fast, and
 * how far the packet has travelled along the current hop (0→1). The picture
 * is a pure function of (step, progress), so scrubbing and stepping back
 * only ever set these two numbers.
 */
import type { SliceCreator } from './store.ts';
import { hopDurationMs } from './timing.ts';
import { challengeHolds } from '../challenge/gate.ts';

export const SPEEDS = [0.5, 1, 2, 4] as const;
export type Speed = (typeof SPEEDS)[number];

export interface CursorSlice {
  step: number;
  playing: boolean;
  speed: Speed;
  /** Animation progress of the current step's hop; 1 = arrived. Read it via subscribe. */
  progress: number;
  seek(step: number): void;
  stepForward(): void;
  stepBack(): void;
  first(): void;
  last(): void;
  play(): void;
  pause(): void;
  togglePlay(): void;
  setSpeed(speed: Speed): void;
  /** Advance the animation clock by dtMs of wall time (called once per frame). */
  advance(dtMs: number): void;
}

export const createCursorSlice: SliceCreator<CursorSlice> = (set, get) => {
  const lastIndex = () => Math.max(0, (get().sim?.steps.length ?? 1) - 1);
  const clamp = (i: number) => Math.min(Math.max(0, Math.trunc(i)), lastIndex());
  return {
    step: 0,
    playing: false,
    speed: 1,
    progress: 1,
    seek: (step) => set({ step: clamp(step), progress: 1, hover: null }),
    stepForward: () => {
      const { step } = get();
      if (step >= lastIndex()) return set({ playing: false, progress: 1 });
      // Challenge mode: the hop waits for the student's answer.
      if (challengeHolds(get().sim, step + 1)) return set({ playing: false, progress: 1 });
      // A manual step forward still shows the hop, once, from 0 to 1.
      set({ step: step + 1, progress: 0, playing: false, hover: null });
    },
    stepBack: () => set({ step: clamp(get().step - 1), progress: 1, playing: false, hover: null }),
    first: () => set({ step: 0, progress: 1, playing: false, hover: null }),
    last: () => set({ step: lastIndex(), progress: 1, playing: false, hover: null }),
    play: () => {
      const { step, progress } = get();
      if (!get().sim) return;
      if (step >= lastIndex() && progress >= 1) return set({ step: 0, progress: 0, playing: true });
      if (progress >= 1 && challengeHolds(get().sim, step + 1)) return;
      if (progress >= 1) return set({ step: step + 1, progress: 0, playing: true, hover: null });
      set({ playing: true });
    },
    pause: () => set({ playing: false }),
    togglePlay: () => (get().playing ? get().pause() : get().play()),
    setSpeed: (speed) => set({ speed }),
    advance: (dtMs) => {
      const { sim, step, progress, playing, speed } = get();
      if (!sim || (progress >= 1 && !playing)) return;
      const next = progress + (dtMs * speed) / hopDurationMs(sim.steps[step]);
      if (next < 1) return set({ progress: next });
      if (!playing) return set({ progress: 1 });
      if (step >= lastIndex()) return set({ progress: 1, playing: false });
      if (challengeHolds(sim, step + 1)) return set({ progress: 1, playing: false });
      set({ step: step + 1, progress: 0, hover: null });
    },
  };
};
