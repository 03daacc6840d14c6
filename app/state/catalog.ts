/** Built-in scenarios: public/scenarios/index.json and the YAML files it lists. */
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
      typeof e.title === 'string',
  );
}

export async function fetchScenarioText(file: string): Promise<string> {
  const response = await fetch(`./scenarios/${file}`);
  if (!response.ok) throw new Error(`scenarios/${file}: HTTP ${response.status}`);
  return response.text();
}
