/** What the instructor reads out: the current step's explanation, with the scenario's title and goal. */
import { narrate } from '@kubewire/sim-core';
import { useStore } from '../state/store.ts';
import { useCurrentStep } from '../state/selectors.ts';
import { actionLabel } from './actions.ts';
import { placeLabel } from '../ui/text.ts';
import { hookLabel } from '../topology/hook.ts';

export function Narration() {
  const scenario = useStore((s) => s.sim?.scenario.scenario);
  const step = useCurrentStep();
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
          <p className="headline" aria-live="polite" data-testid="headline">
            {told.headline}
          </p>
          <p className="explanation" data-testid="explanation">
            {told.explanation}
          </p>
        </div>
      ) : (
        <p className="explanation muted">This scenario has no steps.</p>
      )}
    </section>
  );
}
