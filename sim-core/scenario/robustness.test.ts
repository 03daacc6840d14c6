/**
 * loadScenario must never throw, whatever a student types: every mutation of
 * a valid file below either loads or yields positioned errors.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenario } from './load.ts';

const lines = readFileSync(new URL('./testdata/classroom.yaml', import.meta.url), 'utf8').split(
  '\n',
);

function check(text: string): void {
  const r = loadScenario(text);
  if (r.ok) return;
  expect(r.errors.length).toBeGreaterThan(0);
  for (const e of r.errors) {
    expect(e.line).toBeGreaterThanOrEqual(1);
    expect(e.line).toBeLessThanOrEqual(text.split('\n').length + 1);
    expect(e.column).toBeGreaterThanOrEqual(1);
    expect(e.message).not.toMatch(/\n|undefined|\[object/);
  }
}

describe('robustness', () => {
  it('survives deleting any one line', () => {
    for (let i = 0; i < lines.length; i++) check(lines.filter((_, j) => j !== i).join('\n'));
  });

  it('survives duplicating any one line', () => {
    for (let i = 0; i < lines.length; i++)
      check([...lines.slice(0, i + 1), ...lines.slice(i)].join('\n'));
  });

  it('survives replacing any value with a value of another type', () => {
    const replacements = [
      '[]',
      '{}',
      '~',
      '0',
      '-5',
      '"x"',
      'true',
      '[a, b]',
      '{a: 1}',
      '*nowhere',
      '""',
    ];
    for (let i = 0; i < lines.length; i++) {
      const m = /^(\s*(?:- )?[A-Za-z]+: )(.+)$/.exec(lines[i]);
      if (!m) continue;
      for (const r of replacements) {
        check([...lines.slice(0, i), m[1] + r, ...lines.slice(i + 1)].join('\n'));
      }
    }
  });

  it('survives truncation at any line', () => {
    for (let i = 0; i <= lines.length; i++) check(lines.slice(0, i).join('\n'));
  });
});
