/**
 * Challenge mode in the side column: before a decision point, the question
 * (where does the packet go next, and which row decides); on the hop, the
 * verdict and why; elsewhere the step's narration under the running score.
 */
import type { Question } from '@kubewire/sim-core';
import { useStore } from '../state/store.ts';
import { Narration } from '../timeline/Narration.tsx';
import { answered, useChallenge, type Answer, type Part } from './store.ts';
import { quizOf } from './quiz.ts';
import { scoreOf } from './score.ts';
import { installChallengeSync } from './sync.ts';
import { useChallengeKeys } from './useChallengeKeys.ts';
import { Choices } from './Choices.tsx';
import { Reason } from './Reason.tsx';
import { WithCode } from './Code.tsx';
import { ScoreLine } from './ScoreLine.tsx';
import './challenge.css';

installChallengeSync();

/** The netns as the questions name it: node-1, pod-a, the switch. */
const whoOf = (netns: string) =>
  netns === '@network' ? 'the switch' : (netns.split('/').pop() ?? netns);

/** Record a pick; with both parts picked, the hop is shown at once. */
function choose(q: Question, part: Part, index: number): void {
  const c = useChallenge.getState();
  c.choose(q.step, part, index);
  if (answered(useChallenge.getState().answers.get(q.step))) useStore.getState().stepForward();
}

/**
 * The verdict comes into view inside a card that scrolls (a projector, a short window); the page
 * itself is not scrolled (a narrow window stacks the card above the map, which shows the hop).
 */
const showWhy = (el: HTMLDivElement | null) => {
  const card = el?.closest<HTMLElement>('.challenge');
  if (card && card.scrollHeight > card.clientHeight) card.scrollTop = card.scrollHeight;
};

function QuestionView(props: { q: Question; answer?: Answer; next?: () => void }) {
  const { q, answer, next } = props;
  const done = answered(answer);
  const part: Part = answer?.device === undefined ? 'device' : 'reason';
  const count = part === 'device' ? q.devices.length : q.reasons.length;
  useChallengeKeys({
    count: done ? 0 : count,
    pick: done ? undefined : (i) => choose(q, part, i),
    next: done ? next : undefined,
  });
  return (
    <>
      <p className="challenge-prompt" data-testid="challenge-prompt">
        {q.prompt}
      </p>
      <Choices
        legend={q.kind === 'nat' ? 'What happens to the packet?' : 'Where does it go next?'}
        items={q.devices}
        picked={answer?.device}
        right={done ? q.device : undefined}
        active={!done && part === 'device'}
        onPick={(i) => choose(q, 'device', i)}
        testId="challenge-devices"
      />
      <Choices
        legend="Which row decides it?"
        items={q.reasons.map((r, i) => (
          <Reason key={i} row={r} who={whoOf(r.netns)} />
        ))}
        picked={answer?.reason}
        right={done ? q.reason : undefined}
        active={!done && part === 'reason'}
        onPick={(i) => choose(q, 'reason', i)}
        testId="challenge-reasons"
      />
      {done ? (
        <div className="challenge-why" data-testid="challenge-why" ref={showWhy}>
          <p className="challenge-verdict">
            <span className={answer!.device === q.device ? 'ok' : 'bad'}>
              Device {answer!.device === q.device ? '✓ right' : '✗ wrong'}
            </span>
            <span className={answer!.reason === q.reason ? 'ok' : 'bad'}>
              Row {answer!.reason === q.reason ? '✓ right' : '✗ wrong'}
            </span>
          </p>
          <p>
            <WithCode text={q.why} />
          </p>
          {next ? (
            <button type="button" className="challenge-next" onClick={next}>
              Next question <kbd>→</kbd>
            </button>
          ) : (
            <p className="challenge-hint">
              <kbd>→</kbd> or <kbd>Space</kbd> plays on to the next question.
            </p>
          )}
        </div>
      ) : (
        <p className="challenge-hint">
          Pick the {part === 'device' ? 'device' : 'row'}: <kbd>1</kbd>–<kbd>{count}</kbd> or a
          click. The hop is shown once both are picked.
        </p>
      )}
    </>
  );
}

export function ChallengeCard() {
  const sim = useStore((s) => s.sim);
  const step = useStore((s) => s.step);
  const answers = useChallenge((s) => s.answers);
  const seen = useChallenge((s) => s.seen);
  const quiz = quizOf(sim);
  const score = scoreOf(quiz.questions, answers, step);
  const here = quiz.byStep.get(step);
  const ahead = quiz.byStep.get(step + 1);
  const asking = ahead && !answered(answers.get(ahead.step)) ? ahead : undefined;
  const verdict =
    here && answered(answers.get(here.step)) && !seen.has(here.step) ? here : undefined;
  const q = verdict ?? asking;
  if (!q)
    return (
      <div className="challenge-idle">
        <ScoreLine score={score} />
        <Narration />
      </div>
    );
  const next = verdict && asking ? () => useChallenge.getState().moveOn(verdict.step) : undefined;
  return (
    <section
      className="narration challenge"
      aria-label="Challenge question"
      data-testid="challenge"
    >
      <ScoreLine score={score} />
      <QuestionView key={q.step} q={q} answer={answers.get(q.step)} next={next} />
    </section>
  );
}
