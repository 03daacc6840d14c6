/**
 * A refused scenario: every error as line:column and message. For the
 * editor's text a click puts the caret there; for an opened file or a saved
 * scenario (not in the editor) "Edit it" takes the text into the editor first.
 */
import { useStore } from '../state/store.ts';
import { Icon } from './Icon.tsx';

export function ErrorBanner() {
  const errors = useStore((s) => s.errors);
  const hasSim = useStore((s) => !!s.sim);
  const refused = useStore((s) => s.refused);
  const { goToLine, dismissErrors, editRefused } = useStore.getState();
  if (!errors.length) return null;
  const count = `${errors.length} error${errors.length > 1 ? 's' : ''}`;
  const where = (e: (typeof errors)[number]) => (
    <>
      <span className="error-pos">
        {e.line}:{e.column}
      </span>{' '}
      <span className="error-message">{e.message}</span>
      {e.path && <span className="muted"> ({e.path})</span>}
    </>
  );
  return (
    <section className="error-banner" role="alert" aria-label="Scenario errors">
      <div className="error-head">
        <Icon name="alert" />
        {refused ? (
          <>
            <strong>
              {refused.source} was not opened: {count}.
            </strong>
            <span className="muted">
              Nothing was changed: {hasSim ? 'the scenario on screen and ' : ''}your editor text are
              as you left them.
            </span>
            <button type="button" className="error-edit" onClick={editRefused}>
              Edit it
            </button>
          </>
        ) : (
          <>
            <strong>The scenario was not applied: {count}.</strong>
            <span className="muted">
              {hasSim
                ? 'Still showing the last good scenario; your text is kept in the editor.'
                : 'Fix the text in the editor.'}
            </span>
          </>
        )}
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
            {refused ? (
              // The text is not in the editor: its places are shown, not linked.
              <span className="error-item">{where(e)}</span>
            ) : (
              <button
                type="button"
                className="error-item"
                onClick={() => goToLine(e.line, e.column)}
              >
                {where(e)}
              </button>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
