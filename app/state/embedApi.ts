/**
 * A small postMessage API for pages that embed Kubewire in an iframe:
 *   → {kubewire: 'seek', step}  {kubewire: 'play'}  {kubewire: 'pause'}
 *     {kubewire: 'next'}  {kubewire: 'prev'}  {kubewire: 'open', scenario, step?}
 *   ← {kubewire: 'step', scenario, step, count, summary} whenever the step changes.
 */
import { useStore } from './store.ts';
import { openScenario } from './boot.ts';

type Command =
  | { kubewire: 'seek'; step: number }
  | { kubewire: 'play' | 'pause' | 'next' | 'prev' }
  | { kubewire: 'open'; scenario: string; step?: number };

function isCommand(data: unknown): data is Command {
  return (
    typeof data === 'object' &&
    data !== null &&
    typeof (data as { kubewire?: unknown }).kubewire === 'string'
  );
}

export function startEmbedApi(): void {
  if (window.parent === window) return;
  window.addEventListener('message', (e: MessageEvent) => {
    if (!isCommand(e.data)) return;
    const s = useStore.getState();
    const cmd = e.data;
    if (cmd.kubewire === 'seek' && Number.isInteger(cmd.step)) s.seek(cmd.step);
    else if (cmd.kubewire === 'play') s.play();
    else if (cmd.kubewire === 'pause') s.pause();
    else if (cmd.kubewire === 'next') s.stepForward();
    else if (cmd.kubewire === 'prev') s.stepBack();
    else if (cmd.kubewire === 'open') void openScenario(cmd.scenario, cmd.step?.toString());
  });
  useStore.subscribe((s, prev) => {
    if (s.step === prev.step && s.sim === prev.sim) return;
    window.parent.postMessage(
      {
        kubewire: 'step',
        scenario: s.scenarioId,
        step: s.step,
        count: s.sim?.steps.length ?? 0,
        summary: s.sim?.steps[s.step]?.summary ?? '',
      },
      '*',
    );
  });
}
