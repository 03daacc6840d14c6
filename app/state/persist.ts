/**
 * The user's own text, kept in IndexedDB (idb-keyval): drafts per scenario and
 * the last applied custom scenario. localStorage's 5 MB quota made big saves
 * fail silently; IndexedDB's limit is a share of the disk.
 *
 * Reads are synchronous from a cache filled once at start-up (`openPersistence`),
 * so the store stays synchronous; writes go to the cache at once and to
 * IndexedDB in order, at most one in flight per key (a burst of keystrokes
 * writes the first and the last text, not every one). A write or a start-up
 * that fails is reported through `onIssue`, once per cause, so the user learns
 * that an edit lives only in this tab. Texts saved by older versions in
 * localStorage are moved over on the first start.
 */
import { createStore, del, entries, set, type UseStore } from 'idb-keyval';

const DRAFT = 'kubewire:draft:';
const CUSTOM = 'kubewire:custom';
/**
 * A browser whose IndexedDB is slow to answer (a loaded machine) or never
 * answers (some private modes) must not hold up the page: after this long the
 * scenario opens without saved drafts, and the database is adopted when it answers.
 */
const OPEN_WAIT_MS = 4000;

const cache = new Map<string, string>();
let db: UseStore | null = null;
let report: (message: string) => void = () => {};
let reported = '';
const inFlight = new Set<string>();
const pending = new Map<string, string | null>();

const describe = (e: unknown) =>
  e instanceof DOMException && e.name === 'QuotaExceededError'
    ? 'the browser’s storage for this site is full'
    : e instanceof Error
      ? e.message || e.name
      : String(e);

function issue(message: string): void {
  if (message === reported) return;
  reported = message;
  report(message);
}

/** Moves kubewire:* texts an older version left in localStorage into the cache (and IndexedDB). */
function adoptLocalStorage(): string[] {
  const moved: string[] = [];
  try {
    const ls = window.localStorage;
    for (let i = ls.length - 1; i >= 0; i--) {
      const key = ls.key(i);
      if (!key?.startsWith('kubewire:')) continue;
      const value = ls.getItem(key);
      if (value !== null && !cache.has(key)) {
        cache.set(key, value);
        moved.push(key);
      }
    }
  } catch {
    // No localStorage (a sandboxed iframe): nothing to adopt.
  }
  return moved;
}

/**
 * Opens the database and reads every saved text into the cache. Never throws:
 * without IndexedDB the app works from memory and says so.
 */
export async function openPersistence(onIssue: (message: string) => void): Promise<void> {
  report = onIssue;
  const opened = (async () => {
    try {
      if (typeof indexedDB === 'undefined') throw new Error('IndexedDB is not available');
      const store = createStore('kubewire', 'texts');
      const all = await entries<string, unknown>(store);
      // Written while we waited (a slow database): the newer text in the cache wins.
      for (const [key, value] of all)
        if (typeof value === 'string' && !pending.has(key)) cache.set(key, value);
      db = store;
      for (const key of pending.keys()) flush(key);
    } catch (e) {
      db = null;
      issue(
        `Edits can’t be saved in this browser (${describe(e)}): they last until this tab closes.`,
      );
    }
  })();
  await Promise.race([opened, new Promise((r) => setTimeout(r, OPEN_WAIT_MS))]);
  if (!db) {
    // Not answered yet: adopt the old texts now; they are written when (if) it opens.
    void opened.then(() => migrate(adoptLocalStorage()));
    return;
  }
  migrate(adoptLocalStorage());
}

function migrate(moved: readonly string[]): void {
  if (!db) return;
  for (const key of moved) write(key, cache.get(key) ?? null);
  try {
    for (const key of moved) window.localStorage.removeItem(key);
  } catch {
    // Left in localStorage: harmless, the cache already holds them.
  }
}

function flush(key: string): void {
  if (!db || inFlight.has(key) || !pending.has(key)) return;
  const value = pending.get(key)!;
  pending.delete(key);
  inFlight.add(key);
  const op = value === null ? del(key, db) : set(key, value, db);
  op.then(
    () => {
      if (reported.startsWith('Your edit could not be saved')) reported = '';
    },
    (e: unknown) =>
      issue(
        `Your edit could not be saved in this browser (${describe(e)}). It stays here until this tab closes: copy it from the editor to keep it.`,
      ),
  ).finally(() => {
    inFlight.delete(key);
    flush(key);
  });
}

function write(key: string, value: string | null): void {
  if (value === null) cache.delete(key);
  else cache.set(key, value);
  pending.set(key, value);
  flush(key);
}

/** Resolves once every write asked for so far has reached IndexedDB (or failed). For tests. */
export async function persisted(): Promise<void> {
  while (inFlight.size || (db && pending.size)) await new Promise((r) => setTimeout(r, 10));
}

const read = (key: string): string | null => cache.get(key) ?? null;

export const loadDraft = (scenarioId: string): string | null => read(DRAFT + scenarioId);
export const saveDraft = (scenarioId: string, text: string | null): void =>
  write(DRAFT + scenarioId, text);
export const loadCustom = (): string | null => read(CUSTOM);
export const saveCustom = (text: string): void => write(CUSTOM, text);
