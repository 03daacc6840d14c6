/**
 * Space plays/pauses, ← → step, Home/End jump, M shows or hides the full explanation, Esc leaves
 * presenter mode (which adds its own keys: PresenterView). Keys typed into a text field
 * stay there. A button focused by a mouse click does not swallow space: the
 * presenter clicked a tab, then expects space to play.
 */
import { useEffect } from 'react';
import { useStore } from '../state/store.ts';
import { exitPresenter } from '../ui/presenter.ts';
import { useNarrationMore } from './narrationMore.ts';

const typing = (el: Element | null) =>
  !!el &&
  (el instanceof HTMLTextAreaElement ||
    el instanceof HTMLSelectElement ||
    (el instanceof HTMLInputElement && el.type !== 'range' && el.type !== 'button') ||
    (el instanceof HTMLElement && el.isContentEditable));

export function useKeyboard(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
      const target = e.target instanceof Element ? e.target : null;
      if (typing(target)) return;
      const s = useStore.getState();
      if (e.key === 'Escape' && s.presenter) {
        exitPresenter();
      } else if (e.key === ' ') {
        if (target?.matches('button:focus-visible, a:focus-visible, summary:focus-visible')) return;
        if (target instanceof HTMLElement && target !== document.body) target.blur();
        e.preventDefault();
        s.togglePlay();
      } else if (e.key === 'ArrowRight' && !(target instanceof HTMLInputElement)) {
        e.preventDefault();
        s.stepForward();
      } else if (e.key === 'ArrowLeft' && !(target instanceof HTMLInputElement)) {
        e.preventDefault();
        s.stepBack();
      } else if (e.key === 'Home' && !(target instanceof HTMLInputElement)) {
        s.first();
      } else if (e.key === 'End' && !(target instanceof HTMLInputElement)) {
        s.last();
      } else if (e.key === 'm' || e.key === 'M') {
        useNarrationMore.getState().toggleMore();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
