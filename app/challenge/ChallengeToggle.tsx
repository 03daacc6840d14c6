/** The header's Challenge button: predict the next hop (also `#…&challenge=1` in the URL). */
import { Icon } from '../ui/Icon.tsx';
import { useChallenge } from './store.ts';

export function ChallengeToggle({ disabled }: { disabled?: boolean }) {
  const on = useChallenge((s) => s.on);
  return (
    <button
      type="button"
      aria-pressed={on}
      disabled={disabled}
      onClick={() => useChallenge.getState().setOn(!on)}
      title="Challenge mode: predict where the packet goes next, and which row decides"
      data-testid="challenge-toggle"
    >
      <Icon name="quiz" /> <span className="label">Challenge</span>
    </button>
  );
}
