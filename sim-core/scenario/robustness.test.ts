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

describe('[VAL3] what the user wrote, read as they see it', () => {
  const text = lines.join('\n');

  it('a file with old Mac line ends (lone CR) loads as the same lines, not 33 bogus errors', () => {
    const lf = loadScenario(text);
    const cr = loadScenario(text.replace(/\n/g, '\r'));
    expect(lf.ok).toBe(true);
    expect(cr.ok).toBe(true);
    // An error in a CR file is reported on the line the user sees.
    const bad = lines.map((l) => l.replace(/^(\s*)seed: .*/, '$1seed: many')).join('\r');
    const badLine = lines.findIndex((l) => /^\s*seed:/.test(l)) + 1;
    const r = loadScenario(bad);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.line)).toEqual([badLine]);
  });

  it('seed: 1.0 is refused as a float, as the API server refuses 1.0 for an integer field', () => {
    const r = loadScenario(text.replace(/seed: .*/, 'seed: 1.0'));
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors[0].message).toMatch(/seed must be a whole number, not a number \(1\.0\)/);
    expect(loadScenario(text.replace(/seed: .*/, 'seed: 7')).ok).toBe(true);
  });

  it('a 10,000-character name is not echoed in full: the message stays one readable line', () => {
    const long = 'a'.repeat(10_000);
    const r = loadScenario(text.replace(/name: client\b/, `name: ${long}`));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      for (const e of r.errors) expect(e.message.length).toBeLessThan(400);
      expect(r.errors.some((e) => /a{40}… \(10000 characters\)/.test(e.message))).toBe(true);
    }
  });
});
