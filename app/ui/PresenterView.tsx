/**
 * Presenter mode for a projector (1280×720): the topology fills most of the screen, following
 * the packet at a scale where its smallest label is 18 px; the step's headline is the caption
 * (M adds the full explanation); one table beside it, large. Keys only: space, ←/→, Home/End
 * (useKeyboard), 1–9 pick the table, F full screen, M more, L the laser pointer, Esc leaves.
 * The leave button sits in the bottom bar, in the flow, so it never covers a table's rows.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { narrate } from '@kubewire/sim-core';
import { useStore } from '../state/store.ts';
import { selectStepCount, useCurrentStep } from '../state/selectors.ts';
import { shownTabs } from '../panels/PanelTabs.tsx';
import { MoreToggle } from '../timeline/MoreToggle.tsx';
import { useNarrationMore } from '../timeline/narrationMore.ts';
import { exitPresenter, toggleFullscreen } from './presenter.ts';
import { Laser } from './Laser.tsx';
import './presenter.css';

function Caption() {
  const step = useCurrentStep();
  const title = useStore((s) => s.sim?.scenario.scenario.title);
  const more = useNarrationMore((s) => s.more);
  const told = step ? narrate(step.facts) : null;
  return (
    <section className="presenter-caption" aria-label="Narration">
      <div className="presenter-headline-row">
        <p className="presenter-headline" aria-live="polite" data-testid="headline">
          {told?.headline ?? title}
        </p>
        {told && <MoreToggle controls="presenter-explanation" />}
      </div>
      {told && (
        <p
          className="presenter-explanation"
          id="presenter-explanation"
          data-testid="explanation"
          hidden={!more}
          // Focusable: a long explanation scrolls (axe: scrollable-region-focusable).
          tabIndex={more ? 0 : undefined}
        >
          {told.explanation}
        </p>
      )}
    </section>
  );
}

const KEYS: readonly [string, string][] = [
  ['Space', 'play'],
  ['← →', 'step'],
  ['1–9', 'table'],
  ['M', 'more'],
  ['L', 'laser'],
  ['F', 'full screen'],
];

function Bar() {
  const index = useStore((s) => s.step);
  const count = useStore(selectStepCount);
  const playing = useStore((s) => s.playing);
  return (
    <footer className="presenter-bar">
      <output className="presenter-count" aria-label="Current step">
        <strong>{count ? index : '–'}</strong> / {Math.max(0, count - 1)}
        {playing && <span className="presenter-playing"> · playing</span>}
      </output>
      <ul className="presenter-keys" aria-label="Keys">
        {KEYS.map(([key, what]) => (
          <li key={key}>
            <kbd>{key}</kbd> {what}
          </li>
        ))}
      </ul>
      <button type="button" className="presenter-exit" onClick={exitPresenter}>
        Leave presenter mode <kbd>Esc</kbd>
      </button>
    </footer>
  );
}

/** Presenter mode's own keys: the digits pick a table by its place in the strip, F and L. */
function usePresenterKeys(toggleLaser: () => void): void {
  const laser = useRef(toggleLaser);
  useEffect(() => {
    laser.current = toggleLaser;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
      const s = useStore.getState();
      if (/^[1-9]$/.test(e.key)) {
        const tab = shownTabs(s.sim)[Number(e.key) - 1];
        if (tab) s.selectPanel(tab.id);
      } else if (e.key === 'f' || e.key === 'F') toggleFullscreen();
      else if (e.key === 'l' || e.key === 'L') laser.current();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

export function PresenterView({
  topology,
  tables,
}: {
  readonly topology: ReactNode;
  readonly tables: ReactNode;
}) {
  const [laser, setLaser] = useState(true);
  usePresenterKeys(() => setLaser((on) => !on));
  return (
    <main className={`presenter-main${laser ? ' laser-on' : ''}`}>
      <div className="topology-frame">{topology}</div>
      <aside className="presenter-table" aria-label="Table">
        {tables}
      </aside>
      <Caption />
      <Bar />
      {laser && <Laser />}
    </main>
  );
}
