/**
 * [LIB1] The built-in library covers every section of the source material:
 * each heading belongs to exactly one topic, each topic is taught by at least
 * one built-in, every built-in names its topics in index.json, and the
 * README's coverage table lists exactly those built-ins for each topic.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TOPICS } from './topics.ts';

const scenarios = new URL('../../public/scenarios/', import.meta.url);
const seed = readFileSync(
  new URL('../test/fixtures/seed-kubernetes-networking.txt', import.meta.url),
  'utf8',
).split('\n');
const index = JSON.parse(readFileSync(new URL('index.json', scenarios), 'utf8')) as {
  file: string;
  title: string;
  topics?: string[];
}[];

/** The source's headings: short lines that are not a table row, a numbered step or a sentence. */
const headings = seed.filter((l) => l && l.length < 60 && !/^[|\d]/.test(l) && !/[.:]/.test(l));

describe('[LIB1] the library and the source material', () => {
  it('reads 35 headings from the source material (the fixture is the whole file)', () => {
    expect(headings).toHaveLength(35);
    expect(headings[0]).toBe('Three Non-Overlapping IP Ranges');
    expect(headings.at(-1)).toBe('TLS Termination');
  });

  it('puts every heading of the source in exactly one topic, and names no heading the source lacks', () => {
    const claimed = TOPICS.flatMap((t) => t.sections);
    for (const h of headings)
      expect(
        claimed.filter((c) => c === h),
        h,
      ).toHaveLength(1);
    for (const c of claimed)
      expect(
        seed.some((l) => l.startsWith(c)),
        c,
      ).toBe(true);
  });

  it('lists every built-in file in index.json once, with known topics', () => {
    const files = readdirSync(scenarios).filter((f) => /\.ya?ml$/.test(f));
    expect(index.map((e) => e.file).sort()).toEqual(files.sort());
    const ids = new Set(TOPICS.map((t) => t.id));
    for (const e of index) {
      expect(e.topics?.length ?? 0, e.file).toBeGreaterThan(0);
      for (const t of e.topics ?? []) expect(ids.has(t as never), `${e.file}: ${t}`).toBe(true);
    }
  });

  it('teaches every topic in at least one built-in', () => {
    for (const t of TOPICS) {
      expect(
        index.filter((e) => e.topics?.includes(t.id)).map((e) => e.file),
        t.id,
      ).not.toEqual([]);
    }
  });

  it("matches the README's coverage table: each topic's row lists exactly its built-ins", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.split('### What each topic is shown by')[1]?.split('\n## ')[0] ?? '';
    const rows = new Map(
      section
        .split('\n')
        .filter((l) => l.startsWith('| **'))
        .map((l) => {
          const [topic, shown] = l.split('|').slice(1, 3);
          return [topic.trim().replace(/\*\*/g, ''), shown.trim()] as const;
        }),
    );
    expect([...rows.keys()]).toEqual(TOPICS.map((t) => t.title));
    for (const t of TOPICS) {
      const listed = (rows.get(t.title) ?? '').split(/,\s*/).map((s) => s.replace(/`/g, ''));
      const want = index
        .filter((e) => e.topics?.includes(t.id))
        .map((e) => e.file.replace(/\.yaml$/, ''));
      expect(listed.sort(), t.title).toEqual(want.sort());
    }
  });
});
