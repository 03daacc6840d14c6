/**
 * Compare mode's stage: the stats strip over two panes, the shown scenario
 * on the left and the same scenario under the other mode on the right. The
 * timeline, step list and keys drive the left; the right follows at the
 * corresponding step (CMP3–4), so a milestone (sent, leaves a node, enters
 * one, reaches the pod) shows on both sides at once.
 */
import { useMemo } from 'react';
import { pathStats, statsAction, type Simulation } from '@kubewire/sim-core';
import { useStore } from '../state/store.ts';
import { actionLabel } from '../timeline/actions.ts';
import { ComparePane } from './ComparePane.tsx';
import { CompareStats } from './CompareStats.tsx';
import { otherStep, useCompare } from './store.ts';
import { ownLabel, targetLabel } from './target.ts';
import './compare.css';

/** The numbers for the action `step` belongs to (or the first action that sends a packet). */
function statsAt(sim: Simulation, action: number) {
  const at = statsAction(sim.steps, action);
  const last = sim.steps.findLastIndex((s) => s.action === at);
  return pathStats(sim.steps, at, sim.stateAt(Math.max(0, last)));
}

export function CompareView() {
  const sim = useStore((s) => s.sim);
  const step = useStore((s) => s.step);
  const compare = useCompare();
  const { target, other, corr, of } = compare;
  const right = otherStep(compare, step);
  const action = sim?.steps[step]?.action ?? -1;
  const shownAction = sim ? statsAction(sim.steps, action) : -1;
  const leftStats = useMemo(() => (of ? statsAt(of, action) : null), [of, action]);
  const rightStats = useMemo(() => (other ? statsAt(other, action) : null), [other, action]);
  if (!sim || !target) return null;
  const leftLabel = ownLabel(sim.scenario, target.layer);
  const rightLabel = targetLabel(target);
  const leave = (
    <button type="button" className="compare-leave" onClick={() => useCompare.getState().leave()}>
      Leave compare
    </button>
  );
  if (!other || !corr || of !== sim)
    return (
      <div className="compare" data-testid="compare-view">
        <div className="compare-bar">
          <p className="compare-waiting" role="status">
            Simulating the scenario under {rightLabel} in the background…
          </p>
          {leave}
        </div>
        <div className="compare-panes">
          <ComparePane side="primary" label={leftLabel} sim={sim} step={step} />
          <section className="compare-pane" aria-label={`${rightLabel} side`}>
            <div className="compare-pane-head">
              <h2 className="compare-mode">{rightLabel}</h2>
            </div>
            <div className="topology-frame topology-empty">Simulating…</div>
          </section>
        </div>
      </div>
    );
  const match = corr.toRight(step);
  const ownStep = compare.own !== null;
  const note = ownStep ? (
    <>Stepped on its own; step the left side to follow again.</>
  ) : match.kind === 'same' ? (
    <>The same step as on the left.</>
  ) : match.kind === 'milestone' ? (
    <>The same milestone as on the left, reached another way.</>
  ) : (
    <>
      {leftLabel}’s {sim.steps[step]?.kind ?? 'step'} has no counterpart in {rightLabel}: shown at
      the last step both have.
    </>
  );
  const lastRight = other.steps.length - 1;
  const setOwn = (n: number) => useCompare.getState().setOwn(Math.min(Math.max(0, n), lastRight));
  const tools = (
    <>
      <button
        type="button"
        onClick={() => setOwn(right - 1)}
        disabled={right <= 0}
        aria-label={`Step the ${rightLabel} side back on its own`}
        title="Step this side back on its own"
      >
        ‹
      </button>
      <button
        type="button"
        onClick={() => setOwn(right + 1)}
        disabled={right >= lastRight}
        aria-label={`Step the ${rightLabel} side forward on its own`}
        title="Step this side forward on its own"
      >
        ›
      </button>
    </>
  );
  return (
    <div className="compare" data-testid="compare-view">
      <div className="compare-bar">
        {leftStats && rightStats && (
          <CompareStats
            action={actionLabel(sim.scenario.scenario.actions[shownAction])}
            sides={[
              { label: leftLabel, stats: leftStats },
              { label: rightLabel, stats: rightStats },
            ]}
          />
        )}
        {leave}
      </div>
      <div className="compare-panes">
        <ComparePane
          side="primary"
          label={leftLabel}
          sim={sim}
          step={step}
          milestone={corr.left.label[step]}
        />
        <ComparePane
          side="other"
          label={rightLabel}
          sim={other}
          step={right}
          milestone={corr.right.label[right]}
          note={note}
          tools={tools}
        />
      </div>
    </div>
  );
}
