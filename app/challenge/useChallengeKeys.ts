/**
 * The open question's keys: 1–4 answer it, and on a verdict →, Space or Enter go
 * on to the next question. Listened for before the app's own keys (capture
 * phase) and marked handled, so a digit never also switches a panel.
 */
import { useEffect, useRef } from 'react';

export interface ChallengeKeys {
  /** Choices open to the number keys (0: none). */
  readonly count: number;
  readonly pick?: (index: number) => void;
  /** On a verdict with the next question waiting: go on to it. */
  readonly next?: () => void;
}

const typing = (t: EventTarget | null) =>
  t instanceof HTMLInputElement ||
  t instanceof HTMLTextAreaElement ||
  t instanceof HTMLSelectElement ||
  (t instanceof HTMLElement && t.isContentEditable);

export function useChallengeKeys(keys: ChallengeKeys): void {
  const latest = useRef(keys);
  useEffect(() => {
    latest.current = keys;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const { count, pick, next } = latest.current;
      if (e.altKey || e.ctrlKey || e.metaKey || typing(e.target)) return;
      const i = Number(e.key) - 1;
      if (pick && /^[1-9]$/.test(e.key) && i < count) pick(i);
      else if (next && (e.key === 'ArrowRight' || e.key === ' ' || e.key === 'Enter')) {
        if (e.key === 'Enter' && e.target instanceof HTMLButtonElement) return; // the button's own click
        next();
      } else return;
      e.preventDefault();
      e.stopPropagation();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
}
