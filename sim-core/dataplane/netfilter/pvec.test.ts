import { describe, expect, it } from 'vitest';
import {
  CHUNK_SIZE,
  pvecFill,
  pvecFrom,
  pvecGet,
  pvecLeaves,
  pvecSet,
  pvecToArray,
} from './pvec.ts';

describe('pvec', () => {
  it.each([0, 1, 31, 32, 33, 1024, 1025, 33000])('holds %i items in order', (n) => {
    const items = Array.from({ length: n }, (_, i) => i * 3);
    const v = pvecFrom(items);
    expect(v.size).toBe(n);
    expect(pvecToArray(v)).toEqual(items);
    if (n > 0) expect(pvecGet(v, n - 1)).toBe((n - 1) * 3);
    expect(pvecLeaves(v).every((leaf) => leaf.length <= CHUNK_SIZE)).toBe(true);
  });

  it('set copies only the path to one chunk and leaves the old vector alone', () => {
    const v = pvecFill(5000, 0);
    const w = pvecSet(v, 4097, 7);
    expect(pvecGet(w, 4097)).toBe(7);
    expect(pvecGet(v, 4097)).toBe(0);
    const [before, after] = [pvecLeaves(v), pvecLeaves(w)];
    const changed = after.filter((leaf, i) => leaf !== before[i]);
    expect(changed).toHaveLength(1);
    expect(after.indexOf(changed[0])).toBe(Math.floor(4097 / CHUNK_SIZE));
  });

  it('setting an equal value returns the same vector', () => {
    const v = pvecFrom([1, 2, 3]);
    expect(pvecSet(v, 1, 2)).toBe(v);
  });

  it('refuses indices outside the vector', () => {
    const v = pvecFrom([1]);
    expect(() => pvecGet(v, 1)).toThrow(RangeError);
    expect(() => pvecSet(v, -1, 0)).toThrow(RangeError);
    expect(() => pvecGet(v, 0.5)).toThrow(RangeError);
  });
});
