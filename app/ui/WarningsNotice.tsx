/**
 * The loader's warnings for the scenario on screen (a kind Kubewire does not
 * simulate, a misspelt field, a default used): the file loaded, and these say
 * what was not taken from it, each at its line:column. A click puts the
 * editor's caret there; the editor also marks them inline.
 */
import { useStore } from '../state/store.ts';
import { Icon } from './Icon.tsx';
import './warningsNotice.css';

/** More than this many are counted, not listed (the editor's lint lists every one). */
const SHOWN = 5;

export function WarningsNotice() {
  const warnings = useStore((s) => s.warnings);
  const { goToLine, dismissWarnings } = useStore.getState();
  if (!warnings.length) return null;
  const n = warnings.length;
  return (
    <section className="warnings-notice" aria-label="Scenario warnings">
      <div className="warnings-head">
        <Icon name="info" />
        <strong>
          The scenario loaded with {n} warning{n > 1 ? 's' : ''}:
        </strong>
        <button
          type="button"
          className="icon-button"
          aria-label="Dismiss warnings"
          onClick={dismissWarnings}
        >
          <Icon name="close" size={18} />
        </button>
      </div>
      <ul className="warnings-list">
        {warnings.slice(0, SHOWN).map((w, i) => (
          <li key={i}>
            <button
              type="button"
              className="warning-item"
              onClick={() => goToLine(w.line, w.column)}
            >
              <span className="error-pos">
                {w.line}:{w.column}
              </span>{' '}
              {w.message}
            </button>
          </li>
        ))}
        {n > SHOWN && <li className="muted">and {n - SHOWN} more, marked in the editor</li>}
      </ul>
    </section>
  );
}
