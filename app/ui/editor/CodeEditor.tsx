/**
 * The scenario's YAML in CodeMirror 6: highlighting, line numbers, undo and
 * redo, search (Ctrl+F), and `kubewire validate`'s diagnostics inline as you
 * type (checked in a worker, validateAsync, a moment after the last key).
 *
 * This module is a lazy chunk (EditorPanel imports it when the editor first
 * opens), so CodeMirror costs the first paint nothing.
 *
 * The document is CodeMirror's; the store's `draft` follows it a moment after
 * the last change (and at once before Run, on blur and when the page hides),
 * so a keystroke in a 5 MB file does not copy 5 MB. A draft changed from
 * outside (Revert, Edit it, another scenario) replaces the document.
 */
import { useEffect, useRef } from 'react';
import { Annotation, EditorState, type Extension } from '@codemirror/state';
import {
  EditorView,
  crosshairCursor,
  drawSelection,
  dropCursor,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
  rectangularSelection,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import {
  bracketMatching,
  defaultHighlightStyle,
  foldGutter,
  foldKeymap,
  indentOnInput,
  syntaxHighlighting,
} from '@codemirror/language';
import { yaml } from '@codemirror/lang-yaml';
import { linter, lintGutter, lintKeymap } from '@codemirror/lint';
import { highlightSelectionMatches, search, searchKeymap } from '@codemirror/search';
import { useStore } from '../../state/store.ts';
import { validateAsync } from '../../state/simulate.ts';
import { offsetOf, toCmDiagnostics } from './lint.ts';
import './codeEditor.css';

/** The store's draft follows the document this long after the last change. */
const SYNC_MS = 300;
/** Diagnostics are asked for this long after the last change. */
const LINT_MS = 400;

/** Marks the transaction that loads a draft changed outside the editor (not the user's typing). */
const external = Annotation.define<boolean>();

const validation = linter(
  async (view) => {
    const doc = view.state.doc;
    const result = await validateAsync(doc.toString());
    // Null: a newer text is being checked; CodeMirror drops results for an old document anyway.
    return result ? toCmDiagnostics(doc, result.errors, result.warnings) : [];
  },
  { delay: LINT_MS },
);

export interface CodeEditorProps {
  /** Ctrl/Cmd+Enter. */
  readonly onRun: () => void;
  /** Escape with no search or lint panel to close. */
  readonly onEscape: () => void;
  /** Called with a function that pushes the document into the store now (Run calls it first). */
  readonly bindFlush: (flush: () => void) => void;
}

export default function CodeEditor({ onRun, onEscape, bindFlush }: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const handlers = useRef({ onRun, onEscape });
  handlers.current = { onRun, onEscape };

  useEffect(() => {
    const parent = host.current;
    if (!parent) return;
    /** The text last pushed to (or taken from) the store: a draft equal to it is ours. */
    let synced = useStore.getState().draft;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let dirty = false;
    const flush = () => {
      clearTimeout(timer);
      timer = undefined;
      if (!dirty) return;
      dirty = false;
      synced = view.state.doc.toString();
      useStore.getState().setDraft(synced);
    };

    const extensions: Extension[] = [
      lineNumbers(),
      foldGutter(),
      lintGutter(),
      highlightActiveLineGutter(),
      highlightSpecialChars(),
      history(),
      drawSelection(),
      dropCursor(),
      EditorState.tabSize.of(2),
      indentOnInput(),
      syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
      bracketMatching(),
      rectangularSelection(),
      crosshairCursor(),
      highlightActiveLine(),
      highlightSelectionMatches(),
      search({ top: true }),
      yaml(),
      validation,
      keymap.of([
        {
          key: 'Mod-Enter',
          preventDefault: true,
          run: () => (handlers.current.onRun(), true),
        },
        ...searchKeymap,
        ...lintKeymap,
        {
          key: 'Escape',
          run: () => (handlers.current.onEscape(), true),
        },
        ...defaultKeymap,
        ...historyKeymap,
        ...foldKeymap,
        indentWithTab,
      ]),
      EditorView.contentAttributes.of({
        'aria-label': 'Scenario YAML',
        // Already a tab stop (contenteditable); said so, for tools that count only tabindex (axe).
        tabindex: '0',
        'aria-multiline': 'true',
        spellcheck: 'false',
        autocorrect: 'off',
        autocapitalize: 'off',
      }),
      EditorView.updateListener.of((u) => {
        if (u.docChanged && !u.transactions.some((t) => t.annotation(external))) {
          dirty = true;
          clearTimeout(timer);
          timer = setTimeout(flush, SYNC_MS);
        }
        if (u.focusChanged && !u.view.hasFocus) flush();
      }),
    ];
    const view = new EditorView({
      parent,
      state: EditorState.create({ doc: synced, extensions }),
    });
    bindFlush(flush);

    const goTo = (line: number, column: number) => {
      const at = offsetOf(view.state.doc, line, column);
      view.dispatch({ selection: { anchor: at }, scrollIntoView: true });
      view.focus();
    };
    const caret = useStore.getState().caret;
    if (caret) goTo(caret.line, caret.column);
    else view.focus();

    const unsubscribe = useStore.subscribe((s, prev) => {
      if (s.caret && s.caret !== prev.caret) goTo(s.caret.line, s.caret.column);
      if (s.draft === prev.draft || s.draft === synced) return;
      // Changed from outside the editor: the store's text wins (typing in between is flushed first).
      clearTimeout(timer);
      dirty = false;
      synced = s.draft;
      // Another scenario is another document: its own undo history.
      if (s.scenarioId !== prev.scenarioId)
        view.setState(EditorState.create({ doc: synced, extensions }));
      else
        view.dispatch({
          changes: { from: 0, to: view.state.doc.length, insert: synced },
          annotations: external.of(true),
        });
    });
    const onHide = () => flush();
    window.addEventListener('pagehide', onHide);
    return () => {
      window.removeEventListener('pagehide', onHide);
      unsubscribe();
      flush();
      bindFlush(() => {});
      view.destroy();
    };
  }, [bindFlush]);

  return <div className="code-editor" ref={host} />;
}
