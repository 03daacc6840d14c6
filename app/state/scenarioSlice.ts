/**
 * Scenario text, the simulation built from it and the last good one. A bad
 * text never replaces the shown simulation: its errors are listed, the
 * user's own text stays in `draft` (and in IndexedDB), and a refused file or
 * saved scenario leaves the draft as it was.
 */
import type { Diagnostic, Simulation } from '@kubewire/sim-core';
import type { SliceCreator } from './store.ts';
import { simulate } from './simulate.ts';
import { loadDraft, saveCustom, saveDraft } from './persist.ts';

export interface CatalogEntry {
  readonly file: string;
  readonly title: string;
}

export const CUSTOM_ID = 'custom';

export interface ScenarioSlice {
  catalog: readonly CatalogEntry[];
  /** Id of the shown simulation: a built-in file's stem or 'custom'. */
  scenarioId: string | null;
  /** Text the shown simulation was built from. */
  sourceText: string;
  /** The editor's text; may differ from sourceText and may not parse. */
  draft: string;
  /** The last good simulation; null only before the first success. */
  sim: Simulation | null;
  /** Errors of the last refused text (empty when the last apply succeeded). */
  errors: readonly Diagnostic[];
  /**
   * A refused text that is not the editor's (an opened file, a saved custom
   * scenario that no longer loads): where it came from and the text itself,
   * so its errors can be shown and the user can still take it into the editor.
   * Null when the errors are the draft's.
   */
  refused: { readonly source: string; readonly text: string } | null;
  setCatalog(catalog: readonly CatalogEntry[]): void;
  /**
   * Build a simulation from text; on success show it at `step`, else keep the
   * last good one and list the errors. A refused text never touches the
   * editor's draft: `source` names where it came from (a file's name) when it
   * is not the draft.
   */
  applyText(id: string, text: string, step?: number, source?: string): boolean;
  /** Put a refused file's text into the editor, to fix it there. */
  editRefused(): void;
  /** Apply the editor's draft (a changed built-in becomes 'custom'). */
  applyDraft(): boolean;
  setDraft(text: string): void;
  revertDraft(): void;
  dismissErrors(): void;
}

export const createScenarioSlice: SliceCreator<ScenarioSlice> = (set, get) => ({
  catalog: [],
  scenarioId: null,
  sourceText: '',
  draft: '',
  sim: null,
  errors: [],
  refused: null,
  setCatalog: (catalog) => set({ catalog }),
  applyText: (id, text, step = 0, source) => {
    const result = simulate(text);
    const shownId = get().scenarioId;
    if (!result.ok) {
      set({ errors: result.errors, refused: source === undefined ? null : { source, text } });
      return false;
    }
    // Switching scenarios brings back that scenario's unapplied edits, if any.
    const pending = id === shownId ? null : loadDraft(id);
    const last = Math.max(0, result.sim.steps.length - 1);
    set({
      sim: result.sim,
      scenarioId: id,
      sourceText: text,
      draft: pending ?? text,
      errors: [],
      refused: null,
      step: Math.min(Math.max(0, step), last),
      playing: false,
      progress: 1,
      hover: null,
      iptablesPick: null,
    });
    if (id === CUSTOM_ID) saveCustom(text);
    return true;
  },
  applyDraft: () => {
    const { draft, sourceText, scenarioId } = get();
    if (draft === sourceText) {
      set({ errors: [] });
      return true;
    }
    const ok = get().applyText(CUSTOM_ID, draft);
    if (ok) {
      // The edit is now the custom scenario; nothing is pending any more.
      if (scenarioId) saveDraft(scenarioId, null);
      saveDraft(CUSTOM_ID, null);
      set({ draft: get().sourceText });
    }
    return ok;
  },
  editRefused: () => {
    const { refused } = get();
    if (!refused) return;
    get().setDraft(refused.text);
    set({ refused: null, editorOpen: true });
  },
  setDraft: (text) => {
    set({ draft: text });
    saveDraft(get().scenarioId ?? CUSTOM_ID, text);
  },
  revertDraft: () => {
    set({ draft: get().sourceText, errors: [], refused: null });
    saveDraft(get().scenarioId ?? CUSTOM_ID, null);
  },
  dismissErrors: () => set({ errors: [], refused: null }),
});
