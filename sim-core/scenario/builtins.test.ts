/**
 * Every built-in scenario in public/scenarios must load: the app and the CLI
 * read the same files, and a student should never meet a broken built-in.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatDiagnostics } from './format.ts';
import { loadScenario } from './load.ts';

const dir = new URL('../../public/scenarios/', import.meta.url);
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));

describe('built-in scenarios', () => {
  it('exist', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s loads without errors', (file) => {
    const r = loadScenario(readFileSync(new URL(file, dir), 'utf8'));
    expect(r.ok ? '' : formatDiagnostics(r.errors, file)).toBe('');
  });
});
