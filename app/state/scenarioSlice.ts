/**
 * Scenario text, the simulation built from it and the last good one. A bad
 * text never replaces the shown simulation: its errors are listed, the
 * user's own text stays in `draft` (and in IndexedDB), and a refused file or
 * saved scenario leaves the draft as it was.
 *
 * Simulating is asynchronous (a Web Worker, see simulate.ts): while it runs,
 * the last good simulation stays shown and interactive, `simulating` carries
 * the progress, and Cancel or a newer apply stops it; a stopped run changes
 * nothing but a notice. Edits typed while it runs are kept.
 */
import type { Diagnostic, Simulation, SimulationProgress } from '@kubewire/sim-core';
import type { SliceCreator } from './store.ts';
import { simulateAsync, type SimulationRun } from './simulate.ts';
import { loadDraft, saveCustom, saveDraft } from './persist.ts';

export interface CatalogEntry {
  readonly file: string;
  readonly title: string;
  /** What it teaches (sim-core's TOPICS ids), the first being the picker's group. */
  readonly topics?: readonly string[];
}

export const CUSTOM_ID = 'custom';

/** A simulation in progress: what it is for, when it started (performance.now()), how far it got. */
export interface SimulatingState {
  readonly id: string;
  readonly startedMs: number;
  readonly progress: SimulationProgress | null;
}

/** How an apply ended: shown, refused (errors listed), or stopped by Cancel or a newer apply. */
export type ApplyOutcome = 'ok' | 'refused' | 'cancelled' | 'superseded';

/** The notice after Cancel (what follows depends on whether a trace was shown before). */
export const CANCELLED_NOTICE = 'Simulation cancelled';

/** The run in flight (module state: a run is not data to render). */
let running: { readonly seq: number; readonly run: SimulationRun } | null = null;
let seq = 0;

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
   * The loader's located warnings for the shown simulation (kinds not
   * simulated, misspelt fields, defaults used): it loaded, but the user should
   * know. Emptied when dismissed.
   */
  warnings: readonly Diagnostic[];
  /**
   * A refused text that is not the editor's (an opened file, a saved custom
   * scenario that no longer loads): where it came from and the text itself,
   * so its errors can be shown and the user can still take it into the editor.
   * Null when the errors are the draft's.
   */
  refused: { readonly source: string; readonly text: string } | null;
  /** A simulation running in the background; null when none is. */
  simulating: SimulatingState | null;
  setCatalog(catalog: readonly CatalogEntry[]): void;
  /**
   * Build a simulation from text; on success show it at `step`, else keep the
   * last good one and list the errors. A refused text never touches the
   * editor's draft: `source` names where it came from (a file's name) when it
   * is not the draft.
   */
  applyText(id: string, text: string, step?: number, source?: string): Promise<boolean>;
  /** applyText, saying how it ended (a stopped run is neither success nor a refusal). */
  runText(id: string, text: string, step?: number, source?: string): Promise<ApplyOutcome>;
  /**
   * Run `text` as the custom scenario, an edit made for the user (a fault
   * button): on success it is the draft and the saved custom scenario, shown
   * at `land(sim)`; refused, its errors are listed as `source`'s and the
   * draft stays as it was.
   */
  applyEdit(text: string, land: (sim: Simulation) => number, source: string): Promise<ApplyOutcome>;
  /** Stop the running simulation; the shown one and the draft stay, with a notice. */
  cancelSimulation(): void;
  /** Put a refused file's text into the editor, to fix it there. */
  editRefused(): void;
  /** Apply the editor's draft (a changed built-in becomes 'custom'). */
  applyDraft(): Promise<boolean>;
  setDraft(text: string): void;
  revertDraft(): void;
  dismissErrors(): void;
  dismissWarnings(): void;
}

export const createScenarioSlice: SliceCreator<ScenarioSlice> = (set, get) => {
  /**
   * Simulates `text` as scenario `id` and, unless a newer run or Cancel stopped
   * it, shows it at `step` or lists its errors. `fromDraft`: the editor's text
   * is applied (it becomes the custom scenario, its pending draft is done).
   */
  async function run(
    id: string,
    text: string,
    step: number | ((sim: Simulation) => number),
    source: string | undefined,
    fromDraft: boolean,
  ): Promise<ApplyOutcome> {
    const mine = ++seq;
    const fromId = get().scenarioId;
    const draftAtStart = get().draft;
    const startedMs = performance.now();
    set({ simulating: { id, startedMs, progress: null } });
    const r = simulateAsync(text, (progress) => {
      if (running?.seq === mine) set({ simulating: { id, startedMs, progress } });
    });
    running = { seq: mine, run: r };
    const result = await r.promise;
    // A newer apply took over: this result is stale, and the newer run's progress is showing.
    if (running?.seq !== mine) return 'superseded';
    running = null;
    set({ simulating: null });
    if ('stopped' in result) {
      if (result.stopped === 'cancelled')
        get().showNotice(
          `${CANCELLED_NOTICE}. ${get().sim ? 'The previous scenario is still shown' : 'Pick a scenario or open a file'}; your edits are kept.`,
        );
      return result.stopped;
    }
    if (!result.ok) {
      set({ errors: result.errors, refused: source === undefined ? null : { source, text } });
      return 'refused';
    }
    const now = get();
    // Text typed into the editor while the simulation ran is the user's: it stays.
    const edited = now.draft !== draftAtStart;
    const draft =
      edited && (fromDraft || id === now.scenarioId)
        ? now.draft
        : fromDraft || id === now.scenarioId
          ? text
          : // Switching scenarios brings back that scenario's unapplied edits, if any.
            (loadDraft(id) ?? text);
    const last = Math.max(0, result.sim.steps.length - 1);
    set({
      sim: result.sim,
      scenarioId: id,
      sourceText: text,
      draft,
      errors: [],
      warnings: result.warnings,
      refused: null,
      step: Math.min(Math.max(0, typeof step === 'number' ? step : step(result.sim)), last),
      playing: false,
      progress: 1,
      hover: null,
      iptablesPick: null,
    });
    if (now.notice?.startsWith(CANCELLED_NOTICE)) get().showNotice(null);
    if (id === CUSTOM_ID) saveCustom(text);
    if (fromDraft) {
      // The edit is now the custom scenario; nothing is pending any more (but what was typed meanwhile).
      if (fromId) saveDraft(fromId, null);
      saveDraft(CUSTOM_ID, draft === text ? null : draft);
    }
    return 'ok';
  }

  return {
    catalog: [],
    scenarioId: null,
    sourceText: '',
    draft: '',
    sim: null,
    errors: [],
    warnings: [],
    refused: null,
    simulating: null,
    setCatalog: (catalog) => set({ catalog }),
    applyText: async (id, text, step, source) =>
      (await run(id, text, step ?? 0, source, false)) === 'ok',
    runText: (id, text, step, source) => run(id, text, step ?? 0, source, false),
    applyEdit: (text, land, source) => run(CUSTOM_ID, text, land, source, true),
    cancelSimulation: () => running?.run.cancel(),
    applyDraft: async () => {
      const { draft, sourceText } = get();
      if (draft === sourceText) {
        set({ errors: [] });
        return true;
      }
      return (await run(CUSTOM_ID, draft, 0, undefined, true)) === 'ok';
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
    dismissWarnings: () => set({ warnings: [] }),
  };
};
