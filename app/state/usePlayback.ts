/**
 * Drives the animation clock: one requestAnimationFrame loop that runs only
 * while something moves (playing, or a manual step still animating) and
 * feeds wall time to the store's `advance` action.
 */
import { useEffect } from 'react';
import { useStore } from './store.ts';

/** One MediaQueryList, read at every frame (matchMedia parses its query at each call). */
let motionQuery: MediaQueryList | undefined;
const reducedMotion = () => {
  if (typeof window.matchMedia !== 'function') return false;
  motionQuery ??= window.matchMedia('(prefers-reduced-motion: reduce)');
  return motionQuery.matches;
};

export function usePlayback(): void {
  useEffect(() => {
    let raf = 0;
    let last = 0;
    const moving = () => {
      const s = useStore.getState();
      return s.playing || s.progress < 1;
    };
    const frame = (now: number) => {
      raf = -1; // inside a frame: the subscription must not schedule another
      const s = useStore.getState();
      // Without motion a manual step lands at once; playback keeps its pace.
      const dt = !s.playing && reducedMotion() ? Infinity : last ? now - last : 16;
      last = now;
      s.advance(Math.min(dt, s.playing ? 100 : Infinity));
      if (moving()) raf = requestAnimationFrame(frame);
      else {
        raf = 0;
        last = 0;
      }
    };
    const unsubscribe = useStore.subscribe(() => {
      if (!raf && moving()) raf = requestAnimationFrame(frame);
    });
    if (moving()) raf = requestAnimationFrame(frame);
    return () => {
      unsubscribe();
      if (raf > 0) cancelAnimationFrame(raf);
    };
  }, []);
}
