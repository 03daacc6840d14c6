/**
 * Presenter mode: full screen, large type, no chrome, keyboard only (PresenterView lists the
 * keys). Esc leaves it; so does leaving full screen by the browser's own Esc, but not F, which
 * only toggles full screen.
 */
import { useStore } from '../state/store.ts';

/** True while F is leaving full screen: presenter mode stays. */
let leavingByKey = false;

const onFullscreenChange = () => {
  if (document.fullscreenElement) return;
  if (leavingByKey) {
    leavingByKey = false;
    return;
  }
  document.removeEventListener('fullscreenchange', onFullscreenChange);
  useStore.getState().setPresenter(false);
};

function requestFullscreen(): void {
  const root = document.documentElement;
  if (document.fullscreenElement || !root.requestFullscreen) return;
  root
    .requestFullscreen()
    .then(() => {
      document.removeEventListener('fullscreenchange', onFullscreenChange);
      document.addEventListener('fullscreenchange', onFullscreenChange);
    })
    .catch(() => undefined); // Not allowed (iframe, headless): large type without full screen.
}

export function enterPresenter(): void {
  useStore.getState().setPresenter(true);
  requestFullscreen();
}

/** F in presenter mode: full screen on or off, presenter mode either way. */
export function toggleFullscreen(): void {
  if (!document.fullscreenElement) return requestFullscreen();
  leavingByKey = true;
  void document.exitFullscreen().catch(() => (leavingByKey = false));
}

export function exitPresenter(): void {
  document.removeEventListener('fullscreenchange', onFullscreenChange);
  useStore.getState().setPresenter(false);
  if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
}
