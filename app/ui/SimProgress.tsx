/**
 * The simulation running in its worker: steps simulated, pods started,
 * actions done, seconds elapsed, and Cancel. Over the shown trace while a new
 * one is built (the old one stays usable underneath), or in place of the
 * empty stage on the first load.
 */
import { useEffect, useState } from 'react';
import { useStore } from '../state/store.ts';
import { CUSTOM_ID } from '../state/scenarioSlice.ts';
import { scenarioStem } from '../state/catalog.ts';
import './SimProgress.css';

const count = (n: number) => n.toLocaleString('en-US');

/** Seconds since `startedMs`, re-rendered four times a second while mounted. */
function useElapsed(startedMs: number): number {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    const t = setInterval(() => setNow(performance.now()), 250);
    return () => clearInterval(t);
  }, []);
  return Math.max(0, now - startedMs) / 1000;
}

/** `over`: the bar floats over a shown trace; otherwise it fills the empty stage (first load). */
export function SimProgress({ over }: { over: boolean }) {
  const simulating = useStore((s) => s.simulating);
  const shown = useStore((s) => s.sim !== null);
  if (!simulating || shown !== over) return null;
  return <ProgressCard key={simulating.startedMs} over={over} />;
}

function ProgressCard({ over }: { over: boolean }) {
  const simulating = useStore((s) => s.simulating)!;
  const title = useStore(
    (s) =>
      s.catalog.find((c) => scenarioStem(c.file) === s.simulating?.id)?.title ??
      (s.simulating?.id === CUSTOM_ID ? 'your scenario' : s.simulating?.id),
  );
  const cancel = useStore((s) => s.cancelSimulation);
  const elapsed = useElapsed(simulating.startedMs);
  const p = simulating.progress;
  // Starting the pods and playing the actions, each counted as one unit of work.
  const total = p ? p.podsTotal + p.actionsTotal : 0;
  const done = p ? p.pods + p.actions : 0;
  const fraction = total ? done / total : 0;
  return (
    <div
      className={`sim-progress${over ? ' over' : ''}`}
      role="region"
      aria-label="Simulation progress"
    >
      <div className="sim-progress-head">
        <span className="sim-progress-title">
          Simulating {title}
          <span className="sim-progress-dots" aria-hidden="true">
            …
          </span>
        </span>
        <button type="button" className="sim-progress-cancel" onClick={cancel}>
          Cancel
        </button>
      </div>
      <div
        className="sim-progress-bar"
        role="progressbar"
        aria-label="Pods started and actions played"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(fraction * 100)}
      >
        <div style={{ width: `${(fraction * 100).toFixed(1)}%` }} />
      </div>
      <dl className="sim-progress-figures">
        <div>
          <dt>steps</dt>
          <dd data-testid="sim-progress-steps">{count(p?.steps ?? 0)}</dd>
        </div>
        <div>
          <dt>pods</dt>
          <dd>{p ? `${count(p.pods)} / ${count(p.podsTotal)}` : '…'}</dd>
        </div>
        <div>
          <dt>actions</dt>
          <dd>{p ? `${count(p.actions)} / ${count(p.actionsTotal)}` : '…'}</dd>
        </div>
        <div>
          <dt>elapsed</dt>
          <dd>{elapsed.toFixed(1)} s</dd>
        </div>
      </dl>
      {over && (
        <p className="sim-progress-note">
          The trace below stays yours to explore until the new one is ready.
        </p>
      )}
    </div>
  );
}
