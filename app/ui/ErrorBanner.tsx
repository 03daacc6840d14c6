/** A refused scenario: every error as line:column and message; a click puts the caret there. */
import { useStore } from '../state/store.ts';
import { Icon } from './Icon.tsx';

export function ErrorBanner() {
  const errors = useStore((s) => s.errors);
  const hasSim = useStore((s) => !!s.sim);
  const { goToLine, dismissErrors } = useStore.getState();
  if (!errors.length) return null;
  return (
    <section className="error-banner" role="alert" aria-label="Scenario errors">
      <div className="error-head">
        <Icon name="alert" />
        <strong>
          The scenario was not applied: {errors.length} error{errors.length > 1 ? 's' : ''}.
        </strong>
        <span className="muted">
          {hasSim
            ? 'Still showing the last good scenario; your text is kept in the editor.'
            : 'Fix the text in the editor.'}
        </span>
        <button
          type="button"
          className="icon-button"
          aria-label="Dismiss errors"
          onClick={dismissErrors}
        >
          <Icon name="close" size={18} />
        </button>
      </div>
      <ol className="error-list">
        {errors.map((e, i) => (
          <li key={i}>
            <button type="button" className="error-item" onClick={() => goToLine(e.line, e.column)}>
              <span className="error-pos">
                {e.line}:{e.column}
              </span>{' '}
              <span className="error-message">{e.message}</span>
              {e.path && <span className="muted"> ({e.path})</span>}
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}
