/**
 * One side of a comparison: its mode, its step and milestone, the narration
 * headline and the topology. The primary side reads the app store as the
 * normal view does; the other side hands TopologyView its own (sim, step).
 */
import type { ReactNode } from 'react';
import { narrate, type Simulation } from '@kubewire/sim-core';
import { PaneContext } from '../state/selectors.ts';
import { TopologyView } from '../topology/TopologyView.tsx';
import { ErrorBoundary } from '../ui/ErrorBoundary.tsx';

interface Props {
  readonly side: 'primary' | 'other';
  readonly label: string;
  readonly sim: Simulation;
  readonly step: number;
  /** "leaves node-1" when the step is one of its packet's milestones. */
  readonly milestone?: string;
  /** How this side's step relates to the other's (the other side only). */
  readonly note?: ReactNode;
  /** Buttons in the pane's head (the other side's own stepping, leave). */
  readonly tools?: ReactNode;
}

export function ComparePane({ side, label, sim, step, milestone, note, tools }: Props) {
  const current = sim.steps[step];
  const headline = current ? narrate(current.facts).headline : 'This scenario has no steps.';
  const topology = (
    <ErrorBoundary region={`${label} topology`} resetKey={`${step}`}>
      <TopologyView />
    </ErrorBoundary>
  );
  return (
    <section className={`compare-pane compare-${side}`} aria-label={`${label} side`}>
      <div className="compare-pane-head">
        <h2 className="compare-mode" data-testid={`compare-${side}-mode`}>
          {label}
        </h2>
        <span className="compare-step" data-testid={`compare-${side}-step`}>
          step {step} of {Math.max(0, sim.steps.length - 1)}
        </span>
        {milestone && (
          <span className="compare-milestone" data-testid={`compare-${side}-milestone`}>
            {milestone}
          </span>
        )}
        {note && (
          <span className="compare-note" data-testid={`compare-${side}-note`}>
            {note}
          </span>
        )}
        {tools && <span className="compare-tools">{tools}</span>}
      </div>
      <p className="compare-headline" data-testid={`compare-${side}-headline`}>
        {current && <span className={`kind-badge kind-${current.kind}`}>{current.kind}</span>}{' '}
        {headline}
      </p>
      <div className="topology-frame">
        {side === 'other' ? (
          <PaneContext.Provider value={{ sim, step }}>{topology}</PaneContext.Provider>
        ) : (
          topology
        )}
      </div>
    </section>
  );
}
