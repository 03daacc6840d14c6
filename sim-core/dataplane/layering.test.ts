/**
 * The kernel's files import each other in one direction only: stages reach
 * each other through dp.ops (kernel.ts wires them), so there is no import
 * cycle inside dataplane/ — the rule the kernel issue set.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = dirname(fileURLToPath(import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return f.endsWith('.ts') && !f.endsWith('.test.ts') ? [p] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gms)) {
    const target = resolve(dirname(file), m[1]);
    if (target.startsWith(root)) out.push(target);
  }
  return out;
}

/** Every cycle's files, found by depth-first search over the import graph. */
function findCycles(files: string[], edges: (f: string) => string[] = imports): string[][] {
  const graph = new Map(files.map((f) => [f, edges(f)]));
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string) => {
    state.set(f, 'open');
    stack.push(f);
    for (const g of graph.get(f) ?? []) {
      if (state.get(g) === 'open')
        cycles.push(stack.slice(stack.indexOf(g)).map((x) => relative(root, x)));
      else if (!state.has(g)) visit(g);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of files) if (!state.has(f)) visit(f);
  return cycles;
}

describe('dataplane layering', () => {
  it('has no import cycle', () => {
    expect(findCycles(sources(root))).toEqual([]);
  });

  it('the cycle finder reports a cycle when there is one', () => {
    const a = join(root, 'ip-input.ts');
    const b = join(root, 'ip-output.ts');
    expect(findCycles([a, b], (f) => (f === a ? [b] : [a]))).toEqual([
      ['ip-input.ts', 'ip-output.ts'],
    ]);
    expect(findCycles([a, b], (f) => (f === a ? [b] : []))).toEqual([]);
  });
});
