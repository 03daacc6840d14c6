/**
 * The card frame shared by the pod, node and node-network cards over the
 * topology: a titled region that takes focus when it opens, closes on Esc or ×,
 * and hands focus back to the object that opened it.
 */
import { useEffect, useRef, type ReactNode } from 'react';
import './podCard.css';

interface Props {
  readonly label: string;
  readonly title: ReactNode;
  readonly testId: string;
  /** What the close button says it closes ("the pod card"). */
  readonly noun: string;
  readonly onClose: () => void;
  readonly children: ReactNode;
}

export function CardShell({ label, title, testId, noun, onClose, children }: Props) {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    const opener = document.activeElement instanceof SVGElement ? document.activeElement : null;
    ref.current?.focus();
    return () => {
      if (opener?.isConnected && !document.activeElement?.closest('.pod-card')) opener.focus();
    };
  }, [label]);
  return (
    <section
      className="pod-card"
      aria-label={label}
      data-testid={testId}
      tabIndex={-1}
      ref={ref}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <header>
        <h3>{title}</h3>
        <button
          type="button"
          className="pod-card-close"
          aria-label={`Close ${noun}`}
          title="Close (Esc)"
          onClick={onClose}
        >
          ×
        </button>
      </header>
      {children}
    </section>
  );
}

/** A fault button: what it does in words, the action it writes in its title. */
export function FaultButton({
  children,
  onPress,
  disabled,
  title,
}: {
  readonly children: ReactNode;
  readonly onPress: () => void;
  readonly disabled?: boolean;
  readonly title: string;
}) {
  return (
    <button
      type="button"
      className="fault-button"
      disabled={disabled}
      title={title}
      onClick={onPress}
    >
      {children}
    </button>
  );
}
