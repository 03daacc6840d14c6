/**
 * Start-up and the URL hash: the default scenario opens with no click, and
 * `#scenario=…&step=…` restores exactly what a user saw. A bad hash never
 * blocks: it yields a notice and the nearest sensible view.
 */
import { useStore } from './store.ts';
import { CUSTOM_ID } from './scenarioSlice.ts';
import {
  FALLBACK_CATALOG,
  fetchCatalog,
  fetchScenarioText,
  prefetchCatalog,
  scenarioStem,
} from './catalog.ts';
import { formatHash, parseHash, parseStep } from './urlHash.ts';
import { loadCustom, openPersistence } from './persist.ts';
import { useChallenge } from '../challenge/store.ts';
import { useCompare } from '../compare/store.ts';
import { applyCompareLink, compareHash } from '../compare/link.ts';
import { installCompareSync } from '../compare/sync.ts';

const describe = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Where the traffic starts: the first action's first step (every pod is set up and visible), else 0. */
export const firstActionStep = (steps: readonly { readonly action: number }[]): number =>
  Math.max(
    0,
    steps.findIndex((s) => s.action >= 0),
  );

/** Open a file's text as the custom scenario, at its first action as a built-in opens. */
export async function openFileText(text: string, fileName: string): Promise<void> {
  const opened = await useStore.getState().applyText(CUSTOM_ID, text, 0, fileName);
  if (opened) useStore.getState().seek(firstActionStep(useStore.getState().sim?.steps ?? []));
}

/** Load a scenario by id (built-in stem or 'custom') and seek to the raw step from a link. */
export async function openScenario(id: string | undefined, rawStep?: string): Promise<void> {
  const store = useStore.getState();
  const notices: string[] = [];
  let chosen = id;
  let text = id === CUSTOM_ID ? loadCustom() : null;
  if (id === CUSTOM_ID && text === null)
    notices.push('No custom scenario is saved in this browser');
  if (text === null) {
    const entry = store.catalog.find((e) => scenarioStem(e.file) === id) ?? store.catalog[0];
    if (id && id !== CUSTOM_ID && scenarioStem(entry?.file ?? '') !== id)
      notices.push(`There is no scenario "${id}"`);
    if (!entry) {
      store.showNotice([...notices, 'no built-in scenarios were found'].join('; ') + '.');
      return;
    }
    chosen = scenarioStem(entry.file);
    try {
      text = await fetchScenarioText(entry.file);
    } catch (e) {
      store.showNotice(`Could not load ${entry.file}: ${describe(e)}`);
      return;
    }
  }
  const outcome = await store.runText(
    chosen ?? CUSTOM_ID,
    text,
    0,
    id === CUSTOM_ID ? SAVED : undefined,
  );
  // Cancelled (the notice says so) or a newer choice took over: nothing more to do here.
  if (outcome === 'cancelled' || outcome === 'superseded') return;
  if (outcome === 'refused') {
    // A saved custom scenario this version refuses: open the default beside its errors, keep it.
    if (id === CUSTOM_ID && chosen === CUSTOM_ID) return openSavedFallback();
    if (!useStore.getState().sim) store.showNotice(`The scenario "${chosen}" could not be opened.`);
    return;
  }
  const steps = useStore.getState().sim?.steps ?? [];
  // With no step asked for, open where the traffic starts: every pod is set up and visible.
  const start = rawStep === undefined ? firstActionStep(steps) : 0;
  const step = notices.length
    ? 0
    : rawStep === undefined
      ? start
      : parseStep(rawStep, steps.length);
  if (typeof step === 'number') useStore.getState().seek(step);
  else notices.push(`${step}; showing step 0`);
  if (notices.length) {
    store.showNotice(notices.join('; ') + '.');
    showInUrl();
  } else if (useStore.getState().notice?.match(LINK_NOTICE)) store.showNotice(null);
}

/** Notices about a link: a later good link makes them stale. */
const LINK_NOTICE = /in the link|There is no scenario|No custom scenario is saved/;

/** The hash for what is on screen now: scenario, step, challenge mode, the comparison. */
export function hashNow(): string {
  const { scenarioId, step } = useStore.getState();
  if (!scenarioId) return '';
  return formatHash(scenarioId, step, useChallenge.getState().on, compareHash());
}

/** The URL says what is on screen, not the bad link that led there (step=1e12 while step 0 shows). */
/**
 * The hash the app last put in the URL. Another one came from outside (a
 * link, the user editing it): a write still queued from an earlier step must
 * not replace it before its hashchange is handled, or that navigation is lost.
 */
let written: string | undefined;

function replaceHash(hash: string): void {
  written = hash;
  window.history.replaceState(null, '', hash);
}

function showInUrl(): void {
  const hash = hashNow();
  if (hash) replaceHash(hash);
}

/** After the scenario and step: compare mode as the link says, or a notice why not. */
async function followCompare(raw: string | undefined, cstep: string | undefined): Promise<void> {
  const notice = await applyCompareLink(raw, cstep);
  if (!notice) return;
  const shown = useStore.getState().notice;
  useStore.getState().showNotice(shown?.match(LINK_NOTICE) ? `${shown} ${notice}.` : `${notice}.`);
  showInUrl();
}

/** How the error banner names a saved custom scenario that no longer loads. */
const SAVED = 'Your saved custom scenario';

async function openSavedFallback(): Promise<void> {
  const { refused, errors } = useStore.getState();
  const entry = useStore.getState().catalog[0];
  if (entry) await openScenario(scenarioStem(entry.file));
  // The default opened (or not): the saved text and its errors stay on screen, nothing is deleted.
  useStore.setState({ refused, errors });
  useStore
    .getState()
    .showNotice(
      'Your saved custom scenario could not be opened, so the default is shown. It is kept: “Edit it” takes it into the editor.',
    );
}

function applyHash(): void {
  written = window.location.hash; // followed from here on: the app's next writes may replace it
  const { scenario, step: rawStep, challenge, compare, cstep } = parseHash(window.location.hash);
  useChallenge.getState().setOn(!!challenge);
  const state = useStore.getState();
  if (scenario && scenario !== state.scenarioId) {
    void openScenario(scenario, rawStep).then(() => followCompare(compare, cstep));
    return;
  }
  const step = parseStep(rawStep, state.sim?.steps.length ?? 0);
  if (typeof step === 'number') {
    if (step !== state.step) state.seek(step);
    if (state.notice?.match(LINK_NOTICE)) state.showNotice(null);
  } else {
    state.seek(0);
    state.showNotice(`${step}; showing step 0.`);
    showInUrl();
  }
  void followCompare(compare, cstep);
}

/** Runs `f` once after the next frame is painted (a task queued from its rAF callback). */
function afterPaint(f: () => void): void {
  requestAnimationFrame(() => setTimeout(f, 0));
}

/** Steps closer together than this are one burst (a held key): its hash is written at its end. */
const HELD_MS = 100;

/**
 * Keep the hash in step with the store, and follow hand-edited hashes. While
 * the trace plays, writes are coalesced (history.replaceState costs most of a
 * millisecond, a frame's budget is 16); a step by hand or a pause writes as
 * soon as the step is on screen (a burst of held-key steps, when it ends): in a
 * task after the next frame, not in the key handler before React renders
 * (1.5 ms of a step's work at 1,000 pods).
 */
function syncHash(): void {
  let pending: ReturnType<typeof setTimeout> | undefined;
  let lastMove = -Infinity;
  const write = () => {
    clearTimeout(pending);
    pending = undefined;
    const hash = hashNow();
    if (written !== undefined && window.location.hash !== written) return; // its hashchange is coming
    if (hash && window.location.hash !== hash) replaceHash(hash);
  };
  write();
  useStore.subscribe((s, prev) => {
    const moved = s.scenarioId !== prev.scenarioId || s.step !== prev.step;
    if (!moved && !(prev.playing && !s.playing)) return;
    // A step after a rest is written at once (a reload right after it keeps it); a held →
    // (a step every ~33 ms) is written when it rests: replaceState took 1–9 ms a step at the
    // Services bench, in the task after each painted step.
    if (!s.playing) {
      const now = performance.now();
      clearTimeout(pending);
      if (now - lastMove > HELD_MS) afterPaint(write);
      else pending = setTimeout(() => afterPaint(write), HELD_MS);
      lastMove = now;
    } else pending ??= setTimeout(write, 250);
  });
  useChallenge.subscribe((c, prev) => {
    if (c.on !== prev.on) afterPaint(write);
  });
  useCompare.subscribe((c, prev) => {
    if (c.target !== prev.target || c.other !== prev.other || c.own !== prev.own) afterPaint(write);
  });
  window.addEventListener('hashchange', applyHash);
}

export async function boot(): Promise<void> {
  const store = useStore.getState();
  store.setEmbed(new URLSearchParams(window.location.search).get('embed') === '1');
  // An embedded view is not edited: no drafts to keep, and a third-party frame's storage is often denied.
  // The database opens while the catalog is fetched; the scenario waits for it (its draft may be there).
  const persistence = useStore.getState().embed
    ? Promise.resolve()
    : openPersistence((message) => useStore.getState().showNotice(message));
  try {
    const catalog = await fetchCatalog();
    store.setCatalog(catalog.length ? catalog : FALLBACK_CATALOG);
  } catch {
    // No index.json (a partial deployment): the default scenario still opens.
    store.setCatalog(FALLBACK_CATALOG);
  }
  const { scenario, step, challenge, compare, cstep } = parseHash(window.location.hash);
  useChallenge.getState().setOn(!!challenge);
  installCompareSync();
  await persistence;
  await openScenario(scenario, step);
  await followCompare(compare, cstep);
  syncHash();
  // The full app works offline once loaded; an embed on a docs page fetches only what it shows.
  if (!useStore.getState().embed)
    setTimeout(() => void prefetchCatalog(useStore.getState().catalog), 1000);
}
