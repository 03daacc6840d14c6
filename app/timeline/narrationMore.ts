/**
 * "More": whether the narration shows the step's full explanation under its
 * headline. Off by default (a projector reads the headline); the choice is
 * remembered in localStorage, and M toggles it (useKeyboard).
 */
import { create } from 'zustand';

// Not "kubewire:…": persist.ts moves those keys into IndexedDB; this one is read at start.
export const NARRATION_MORE_KEY = 'kubewire-pref.narration-more';

function stored(): boolean {
  try {
    return window.localStorage.getItem(NARRATION_MORE_KEY) === 'true';
  } catch {
    return false; // no storage (a sandboxed iframe): the default
  }
}

interface NarrationMore {
  more: boolean;
  setMore(more: boolean): void;
  toggleMore(): void;
}

export const useNarrationMore = create<NarrationMore>()((set, get) => ({
  more: stored(),
  setMore(more) {
    try {
      window.localStorage.setItem(NARRATION_MORE_KEY, String(more));
    } catch {
      // Not remembered; still shown for this visit.
    }
    set({ more });
  },
  toggleMore: () => get().setMore(!get().more),
}));
