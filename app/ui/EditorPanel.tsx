/**
 * The scenario's YAML, editable. Run rebuilds the simulation; a refused text
 * leaves the last good scenario on screen and the text here, saved.
 *
 * The editor itself (CodeMirror) is a lazy chunk, fetched when the panel
 * first opens: the page's first paint does not wait for it.
 */
import { lazy, Suspense, useCallback, useRef } from 'react';
import { useStore } from '../state/store.ts';
import { Icon } from './Icon.tsx';
import './editor/editorPanel.css';

const CodeEditor = lazy(() => import('./editor/CodeEditor.tsx'));

export function EditorPanel() {
  const open = useStore((s) => s.editorOpen);
  const modified = useStore((s) => s.draft !== s.sourceText);
  const running = useStore((s) => s.simulating !== null);
  const { revertDraft, openEditor } = useStore.getState();
  const flushRef = useRef<() => void>(() => {});
  const bindFlush = useCallback((f: () => void) => (flushRef.current = f), []);
  const run = useCallback(() => {
    flushRef.current();
    void useStore.getState().applyDraft();
  }, []);
  const close = useCallback(() => {
    flushRef.current();
    useStore.getState().openEditor(false);
  }, []);

  if (!open) return null;
  return (
    <aside className="editor" aria-label="Scenario editor">
      <header className="editor-head">
        <h2>Scenario YAML</h2>
        <span className={`editor-status${modified ? ' modified' : ''}`}>
          {running ? 'running…' : modified ? 'modified · not run' : 'running on screen'}
        </span>
        <button type="button" className="icon-button" aria-label="Close editor" onClick={close}>
          <Icon name="close" size={18} />
        </button>
      </header>
      <div className="editor-body">
        <Suspense fallback={<p className="editor-loading">Loading the editor…</p>}>
          <CodeEditor onRun={run} onEscape={() => openEditor(false)} bindFlush={bindFlush} />
        </Suspense>
      </div>
      <footer className="editor-actions">
        <button type="button" className="primary" onClick={run}>
          Run <kbd>Ctrl</kbd>+<kbd>Enter</kbd>
        </button>
        <button
          type="button"
          onClick={() => {
            flushRef.current();
            revertDraft();
          }}
          disabled={!modified}
        >
          Revert
        </button>
        <span className="editor-hint">
          Checked as you type, like <code>kubewire validate</code> · <kbd>Ctrl</kbd>+<kbd>F</kbd>{' '}
          search · <kbd>Ctrl</kbd>+<kbd>Z</kbd> undo
        </span>
      </footer>
    </aside>
  );
}
