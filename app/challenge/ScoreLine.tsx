/** The running score, and the final one once every question is answered (or passed by). */
import type { Score } from './score.ts';

export function ScoreLine({ score }: { score: Score }) {
  const { done, answered, passed, total, devices, reasons } = score;
  const points = devices + reasons;
  const counted = done && !passed ? `All ${total} answered` : `${answered} of ${total} answered`;
  return (
    <p
      className={`challenge-score${done ? ' final' : ''}`}
      data-testid="challenge-score"
      data-answered={answered}
      data-passed={passed}
      data-total={total}
      data-devices={devices}
      data-reasons={reasons}
      data-done={done}
    >
      <span className="challenge-badge">{done ? 'Final score' : 'Challenge'}</span>
      <span>
        {total === 0
          ? 'No decision points to predict in this trace.'
          : `${counted}${passed ? ` (${passed} passed by)` : ''} · device ${devices} · row ${reasons} · ${points} ${answered ? `of ${2 * answered} ` : ''}points`}
      </span>
    </p>
  );
}
