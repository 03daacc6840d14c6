/**
 * The scenario's YAML, editable. Apply rebuilds the simulation; a refused
 * text leaves the last good scenario on screen and the text here, saved.
 */
import { useEffect, useRef, type KeyboardEvent } from 'react';
import { useStore } from '../state/store.ts';
import { placeCaret } from './caret.ts';
import { Icon } from './Icon.tsx';

export function EditorPanel() {
  const open = useStore((s) => s.editorOpen);
  const draft = useStore((s) => s.draft);
  const modified = useStore((s) => s.draft !== s.sourceText);
  const errors = useStore((s) => s.errors);
  const caret = useStore((s) => s.caret);
  const { setDraft, applyDraft, revertDraft, openEditor } = useStore.getState();
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (open && caret && area.current) placeCaret(area.current, caret.line, caret.column);
  }, [open, caret]);

  if (!open) return null;
  const errorLines = new Set(errors.map((e) => e.line));
  const lineCount = draft.split('\n').length;
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void applyDraft();
    } else if (e.key === 'Escape') openEditor(false);
  };
  return (
    <aside className="editor" aria-label="Scenario editor">
      <header className="editor-head">
        <h2>Scenario YAML</h2>
        <span className={`editor-status${modified ? ' modified' : ''}`}>
          {modified ? 'modified · not applied' : 'applied'}
        </span>
        <button
          type="button"
          className="icon-button"
          aria-label="Close editor"
          onClick={() => openEditor(false)}
        >
          <Icon name="close" size={18} />
        </button>
      </header>
      <div className="editor-body">
        <div className="gutter" ref={gutter} aria-hidden="true">
          {Array.from({ length: lineCount }, (_, i) => (
            <div key={i} className={errorLines.has(i + 1) ? 'error-line' : undefined}>
              {i + 1}
            </div>
          ))}
        </div>
        <textarea
          ref={area}
          value={draft}
          spellCheck={false}
          aria-label="Scenario YAML"
          wrap="off"
          onChange={(e) => setDraft(e.target.value)}
          onScroll={(e) => {
            if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
          }}
          onKeyDown={onKeyDown}
        />
      </div>
      <footer className="editor-actions">
        <button type="button" className="primary" onClick={() => void applyDraft()}>
          Apply <kbd>Ctrl</kbd>+<kbd>Enter</kbd>
        </button>
        <button type="button" onClick={revertDraft} disabled={!modified}>
          Revert
        </button>
      </footer>
    </aside>
  );
}
