/**
 * Light or dark. The stylesheet follows the system (`color-scheme: light dark`,
 * every colour a `light-dark()` pair); a choice made with the toggle sets
 * `data-theme` on <html> and is remembered in localStorage. Choosing what the
 * system already shows forgets the choice, so the page follows the system again.
 */
import { useSyncExternalStore } from 'react';

export type Theme = 'light' | 'dark';

// Not "kubewire:…": persist.ts moves those keys into IndexedDB, and this is read before first paint.
const KEY = 'kubewire.theme';
const QUERY = '(prefers-color-scheme: dark)';
const listeners = new Set<() => void>();

const media = (): MediaQueryList | undefined =>
  typeof window.matchMedia === 'function' ? window.matchMedia(QUERY) : undefined;

export const systemTheme = (): Theme => (media()?.matches ? 'dark' : 'light');

export function storedTheme(): Theme | null {
  try {
    const v = window.localStorage.getItem(KEY);
    return v === 'dark' || v === 'light' ? v : null;
  } catch {
    return null; // no storage (a sandboxed iframe): follow the system
  }
}

export const currentTheme = (): Theme => storedTheme() ?? systemTheme();

/** Sets <html data-theme> from the remembered choice (none: the system decides). */
export function applyTheme(): void {
  const root = document.documentElement;
  const chosen = storedTheme();
  if (chosen) root.dataset.theme = chosen;
  else delete root.dataset.theme;
}

export function setTheme(theme: Theme): void {
  try {
    if (theme === systemTheme()) window.localStorage.removeItem(KEY);
    else window.localStorage.setItem(KEY, theme);
  } catch {
    // Not remembered, but this page still switches.
  }
  const root = document.documentElement;
  root.dataset.theme = theme;
  if (storedTheme() === null && theme === systemTheme()) delete root.dataset.theme;
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  const m = media();
  m?.addEventListener('change', listener);
  return () => {
    listeners.delete(listener);
    m?.removeEventListener('change', listener);
  };
}

/** The theme on screen; re-renders when the system's preference or the choice changes. */
export const useTheme = (): Theme => useSyncExternalStore(subscribe, currentTheme);
