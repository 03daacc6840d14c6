/** One part of a question: up to four choices, keys 1–4; after the answer, the right one and the pick marked. */
import type { ReactNode } from 'react';

export function Choices(props: {
  readonly legend: string;
  readonly items: readonly ReactNode[];
  /** The student's pick, if any. */
  readonly picked?: number;
  /** Shown once the question is answered: the right one. */
  readonly right?: number;
  /** The part the number keys answer now. */
  readonly active: boolean;
  readonly onPick?: (i: number) => void;
  readonly testId: string;
}) {
  const { legend, items, picked, right, active, onPick, testId } = props;
  const revealed = right !== undefined;
  return (
    <fieldset className={`challenge-part${active ? ' active' : ''}`} data-testid={testId}>
      <legend>
        {legend}
        {active && <span className="challenge-keys"> · keys 1–{items.length}</span>}
      </legend>
      <ol className="challenge-choices">
        {items.map((item, i) => {
          // After the answer only the right one and the pick stay: room for the why.
          if (revealed && i !== right && i !== picked) return null;
          const mark = !revealed ? '' : i === right ? ' right' : i === picked ? ' wrong' : ' other';
          return (
            <li key={i}>
              <button
                type="button"
                className={`challenge-choice${i === picked ? ' picked' : ''}${mark}`}
                aria-pressed={i === picked}
                disabled={revealed}
                onClick={() => onPick?.(i)}
                data-choice={i + 1}
              >
                <kbd aria-hidden="true">{i + 1}</kbd>
                <span className="challenge-choice-text">{item}</span>
                {revealed && i === right && <span className="challenge-tag">right</span>}
                {revealed && i === picked && i !== right && (
                  <span className="challenge-tag">your pick</span>
                )}
              </button>
            </li>
          );
        })}
      </ol>
    </fieldset>
  );
}
