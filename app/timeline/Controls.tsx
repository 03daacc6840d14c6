/** Transport controls (first, back, play/pause, forward, last), the step counter and the speed. */
import type { MouseEvent, ReactNode } from 'react';
import { useStore } from '../state/store.ts';
import { selectStepCount } from '../state/selectors.ts';
import { SPEEDS } from '../state/cursorSlice.ts';
import { Icon, type IconName } from '../ui/Icon.tsx';

// Clicking a transport button must not move focus onto it: space stays play/pause.
const keepFocus = (e: MouseEvent) => e.preventDefault();

function TransportButton(props: {
  readonly icon: IconName;
  readonly label: string;
  readonly onClick: () => void;
  readonly disabled?: boolean;
  readonly primary?: boolean;
}): ReactNode {
  return (
    <button
      type="button"
      className={`transport${props.primary ? ' primary' : ''}`}
      aria-label={props.label}
      title={props.label}
      onMouseDown={keepFocus}
      onClick={props.onClick}
      disabled={props.disabled}
    >
      <Icon name={props.icon} size={props.primary ? 26 : 20} />
    </button>
  );
}

export function Transport() {
  const step = useStore((s) => s.step);
  const count = useStore(selectStepCount);
  const playing = useStore((s) => s.playing);
  const { first, stepBack, togglePlay, stepForward, last } = useStore.getState();
  const atStart = step <= 0;
  const atEnd = step >= count - 1;
  return (
    <div className="controls" role="toolbar" aria-label="Timeline">
      <TransportButton icon="first" label="First step (Home)" onClick={first} disabled={atStart} />
      <TransportButton icon="back" label="Step back (←)" onClick={stepBack} disabled={atStart} />
      <TransportButton
        icon={playing ? 'pause' : 'play'}
        label={playing ? 'Pause (space)' : 'Play (space)'}
        onClick={togglePlay}
        disabled={!count}
        primary
      />
      <TransportButton
        icon="forward"
        label="Step forward (→)"
        onClick={stepForward}
        disabled={atEnd}
      />
      <TransportButton icon="last" label="Last step (End)" onClick={last} disabled={atEnd} />
    </div>
  );
}

/** The step counter and the playback speed. */
export function PlaybackOptions() {
  const step = useStore((s) => s.step);
  const count = useStore(selectStepCount);
  const speed = useStore((s) => s.speed);
  const setSpeed = useStore((s) => s.setSpeed);
  return (
    <div className="playback-options">
      <output className="step-counter" aria-live="polite" aria-label="Current step">
        <strong>{count ? step : '–'}</strong>
        <span className="muted"> / {Math.max(0, count - 1)}</span>
      </output>
      <div className="speed" role="radiogroup" aria-label="Playback speed">
        {SPEEDS.map((s) => (
          <button
            key={s}
            type="button"
            role="radio"
            aria-checked={s === speed}
            className={s === speed ? 'selected' : ''}
            onMouseDown={keepFocus}
            onClick={() => setSpeed(s)}
          >
            {s}×
          </button>
        ))}
      </div>
    </div>
  );
}
