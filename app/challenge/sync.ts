/**
 * Ties challenge mode to the app store: a new simulation starts a fresh round.
 * Not in store.ts: the cursor slice imports that module while the app store is
 * still being built, so it must not touch the app store at load.
 */
import { useStore } from '../state/store.ts';
import { useChallenge } from './store.ts';

let installed = false;

export function installChallengeSync(): void {
  if (installed) return;
  installed = true;
  useStore.subscribe((s, prev) => {
    if (s.sim !== prev.sim) useChallenge.getState().reset();
  });
}
