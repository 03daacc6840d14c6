/**
 * Presenter mode: full screen, large type, no chrome, keyboard only
 * (space, ←, →). Esc, or leaving full screen, ends it.
 */
import { useStore } from '../state/store.ts';

export function enterPresenter(): void {
  useStore.getState().setPresenter(true);
  const root = document.documentElement;
  if (!document.fullscreenElement && root.requestFullscreen) {
    root
      .requestFullscreen()
      .then(() => {
        const onChange = () => {
          if (document.fullscreenElement) return;
          document.removeEventListener('fullscreenchange', onChange);
          useStore.getState().setPresenter(false);
        };
        document.addEventListener('fullscreenchange', onChange);
      })
      .catch(() => undefined); // Not allowed (iframe, headless): large type without full screen.
  }
}

export function exitPresenter(): void {
  useStore.getState().setPresenter(false);
  if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
}
