/**
 * What the instructor reads out: the current step's one-line headline, large, and on demand
 * ("More", key M) the full explanation, with the scenario's title and goal.
 */
import { narrate } from '@kubewire/sim-core';
import { useStore } from '../state/store.ts';
import { useCurrentStep } from '../state/selectors.ts';
import { actionLabel } from './actions.ts';
import { placeLabel } from '../ui/text.ts';
import { hookLabel } from '../topology/hook.ts';
import { MoreToggle } from './MoreToggle.tsx';
import { useNarrationMore } from './narrationMore.ts';
import './narration.css';

export function Narration() {
  const scenario = useStore((s) => s.sim?.scenario.scenario);
  const step = useCurrentStep();
  const more = useNarrationMore((s) => s.more);
  if (!scenario) return <section className="narration" aria-label="Narration" />;
  const told = step ? narrate(step.facts) : undefined;
  return (
    // Focusable: a hook step's explanation (every rule the packet walked) can outgrow the box.
    <section className="narration" aria-label="Narration" tabIndex={0}>
      <div className="narration-meta">
        <h1 className="scenario-title">{scenario.title || scenario.name}</h1>
        {scenario.goal && <p className="scenario-goal">{scenario.goal}</p>}
      </div>
      {step && told ? (
        <div className="narration-step">
          <div className="narration-where">
            <span className={`kind-badge kind-${step.kind}`}>{hookLabel(step) ?? step.kind}</span>
            <span className="where">{placeLabel(step.place)}</span>
            <span className="muted">· {actionLabel(scenario.actions[step.action])}</span>
          </div>
          <div className="headline-row">
            <p className="headline" aria-live="polite" data-testid="headline">
              {told.headline}
            </p>
            <MoreToggle controls="narration-explanation" />
          </div>
          {/* In the DOM while hidden: "More" reveals it without a re-render of the words. */}
          <p
            className="explanation"
            id="narration-explanation"
            data-testid="explanation"
            hidden={!more}
          >
            {told.explanation}
          </p>
        </div>
      ) : (
        <p className="explanation muted">This scenario has no steps.</p>
      )}
    </section>
  );
}
