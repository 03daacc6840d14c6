/** Built-in scenarios: public/scenarios/index.json and the YAML files it lists. */
import { TOPICS, topicById } from '@kubewire/sim-core';
import type { CatalogEntry } from './scenarioSlice.ts';

export const scenarioStem = (file: string) => file.replace(/\.ya?ml$/i, '');

/** Used when index.json cannot be read: the documented default scenario. */
export const FALLBACK_CATALOG: readonly CatalogEntry[] = [
  { file: 'same-node.yaml', title: 'Two pods on one node' },
];

export async function fetchCatalog(): Promise<CatalogEntry[]> {
  const response = await fetch('./scenarios/index.json');
  if (!response.ok) throw new Error(`scenarios/index.json: HTTP ${response.status}`);
  const entries: unknown = await response.json();
  if (!Array.isArray(entries)) throw new Error('scenarios/index.json is not a list');
  return entries.filter(
    (e): e is CatalogEntry =>
      typeof e === 'object' &&
      e !== null &&
      typeof e.file === 'string' &&
      typeof e.title === 'string' &&
      (e.topics === undefined ||
        (Array.isArray(e.topics) && e.topics.every((t: unknown) => typeof t === 'string'))),
  );
}

export interface CatalogGroup {
  readonly label: string;
  readonly entries: readonly CatalogEntry[];
}

/**
 * The picker's groups: each built-in under its first topic, in the order a
 * course teaches them (sim-core's TOPICS); one without a known topic last.
 */
export function groupCatalog(entries: readonly CatalogEntry[]): CatalogGroup[] {
  const groups: CatalogGroup[] = TOPICS.map((t) => ({
    label: t.title,
    entries: entries.filter((e) => e.topics?.[0] === t.id),
  }));
  const rest = entries.filter((e) => !topicById(e.topics?.[0] ?? ''));
  if (rest.length) groups.push({ label: 'More scenarios', entries: rest });
  return groups.filter((g) => g.entries.length > 0);
}

/** Built-in texts fetched so far: once the page is loaded, switching scenarios needs no network. */
const texts = new Map<string, Promise<string>>();

async function download(file: string): Promise<string> {
  const response = await fetch(`./scenarios/${file}`);
  if (!response.ok) throw new Error(`scenarios/${file}: HTTP ${response.status}`);
  return response.text();
}

export function fetchScenarioText(file: string): Promise<string> {
  let text = texts.get(file);
  if (!text) {
    text = download(file);
    texts.set(file, text);
    // A failed fetch is not kept: the next try asks again.
    text.catch(() => texts.delete(file));
  }
  return text;
}

/**
 * Fetches every built-in once the page is idle (a few hundred KB from our own
 * origin), so the picker keeps working offline. One at a time, never blocking.
 */
export async function prefetchCatalog(entries: readonly CatalogEntry[]): Promise<void> {
  for (const e of entries) {
    await new Promise((r) => setTimeout(r, 50));
    await fetchScenarioText(e.file).catch(() => undefined);
  }
}
