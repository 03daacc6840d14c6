import { describe, expect, it } from 'vitest';
import {
  hamtBranches,
  hamtDelete,
  hamtDiff,
  hamtEmpty,
  hamtEntries,
  hamtGet,
  hamtHash,
  hamtSet,
  type Hamt,
} from './hamt.ts';

function build(keys: readonly string[]): Hamt<number> {
  return keys.reduce((m, k, i) => hamtSet(m, k, i), hamtEmpty<number>());
}

/** Two keys whose 32-bit hashes are equal, found by a birthday search. */
function collidingPair(): [string, string] {
  const seen = new Map<number, string>();
  for (let i = 0; ; i++) {
    const k = `k${i}`;
    const h = hamtHash(k);
    const other = seen.get(h);
    if (other !== undefined) return [other, k];
    seen.set(h, k);
  }
}

describe('hamt', () => {
  const keys = Array.from({ length: 5000 }, (_, i) => `key-${i}`);

  it('gets what was set, and nothing else', () => {
    const m = build(keys);
    expect(m.size).toBe(5000);
    expect(keys.every((k, i) => hamtGet(m, k) === i)).toBe(true);
    expect(hamtGet(m, 'absent')).toBeUndefined();
  });

  it('returns the same map when nothing changes', () => {
    const m = build(keys);
    expect(hamtSet(m, 'key-7', 7)).toBe(m);
    expect(hamtDelete(m, 'absent')).toBe(m);
  });

  it('replaces a value without changing the size', () => {
    const m = hamtSet(build(keys), 'key-7', -1);
    expect([m.size, hamtGet(m, 'key-7')]).toEqual([5000, -1]);
  });

  it('deletes, and old versions keep their bindings', () => {
    const m = build(keys);
    const d = keys.slice(0, 2500).reduce((acc, k) => hamtDelete(acc, k), m);
    expect(d.size).toBe(2500);
    expect(hamtGet(d, 'key-10')).toBeUndefined();
    expect(hamtGet(d, 'key-4000')).toBe(4000);
    expect(hamtGet(m, 'key-10')).toBe(10);
  });

  it('has a shape that depends only on its keys', () => {
    const forward = build(keys);
    const backward = build([...keys].reverse());
    const order = (m: Hamt<number>) => [...hamtEntries(m)].map(([k]) => k);
    expect(order(backward)).toEqual(order(forward));
    const shrunk = keys.slice(100).reduce((m, k) => hamtDelete(m, k), forward);
    expect(order(shrunk)).toEqual(order(build(keys.slice(0, 100))));
    expect([...hamtBranches(shrunk)].length).toBe(
      [...hamtBranches(build(keys.slice(0, 100)))].length,
    );
  });

  it('copies only the path of a change', () => {
    const m = build(keys);
    const before = new Set(hamtBranches(m));
    const after = [...hamtBranches(hamtSet(m, 'one-more', 1))];
    expect(after.filter((b) => !before.has(b)).length).toBeLessThanOrEqual(7);
  });

  it('keeps keys with equal hashes apart', () => {
    const [a, b] = collidingPair();
    expect(hamtHash(a)).toBe(hamtHash(b));
    let m = hamtSet(hamtSet(build(keys.slice(0, 50)), a, 1), b, 2);
    expect([hamtGet(m, a), hamtGet(m, b), m.size]).toEqual([1, 2, 52]);
    m = hamtDelete(m, a);
    expect([hamtGet(m, a), hamtGet(m, b), m.size]).toEqual([undefined, 2, 51]);
  });
});

describe('hamtDiff', () => {
  const base = build(Array.from({ length: 3000 }, (_, i) => `k${i}`));
  const changes = (a: Hamt<number>, b: Hamt<number>) => {
    const out: string[] = [];
    hamtDiff(a, b, (k, x, y) =>
      out.push(x === undefined ? `+${k}` : y === undefined ? `-${k}` : `~${k}`),
    );
    return out.sort();
  };

  it('reports exactly the keys added, removed and replaced', () => {
    let next = hamtSet(base, 'new', 1);
    next = hamtDelete(next, 'k7');
    next = hamtSet(next, 'k42', -1);
    expect(changes(base, next)).toEqual(['+new', '-k7', '~k42']);
    expect(changes(next, base)).toEqual(['+k7', '-new', '~k42']);
    expect(changes(base, base)).toEqual([]);
  });

  it('agrees with a full comparison on random edits, collisions included', () => {
    const [c1, c2] = collidingPair();
    const a = hamtSet(base, c1, 1);
    let b = a;
    const expected = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const k = `k${(i * 7919) % 4000}`;
      if (i % 3 === 0) b = hamtDelete(b, k);
      else b = hamtSet(b, k, 10_000 + i);
    }
    b = hamtSet(b, c2, 2);
    const full = new Map(hamtEntries(a));
    for (const [k, v] of hamtEntries(b)) {
      if (!full.has(k)) expected.add(`+${k}`);
      else if (full.get(k) !== v) expected.add(`~${k}`);
      full.delete(k);
    }
    for (const k of full.keys()) expected.add(`-${k}`);
    expect(expected.size).toBeGreaterThan(150);
    expect(changes(a, b)).toEqual([...expected].sort());
  });
});
