import { describe, expect, it } from 'vitest';
import { createRng } from './rng.ts';
import {
  omapDelete,
  omapEmpty,
  omapGet,
  omapOrder,
  omapSet,
  omapValues,
  type OrderedMap,
} from './ordered-map.ts';

/** What World's groups were before: an object rebuilt by spread, its key order ECMA-262's. */
function spreadPut(o: Record<string, number>, key: string, value: number | undefined) {
  const { [key]: _old, ...rest } = o;
  return value === undefined ? rest : { ...rest, [key]: value };
}

describe('ordered map (World groups)', () => {
  it('[LIM7] lists its keys in the order an object rebuilt by spread would, through 20 000 random sets and deletes', () => {
    const rng = createRng(7);
    const keys = ['node-1', '7', '0', 'node-1/default/a', 'node-1/default/b', '12', 'x', 'y', 'z'];
    for (let i = 0; i < 40; i++) keys.push(`node-1/default/p${i}`);
    let o: Record<string, number> = {};
    let m: OrderedMap<number> = omapEmpty();
    const versions: [OrderedMap<number>, string[]][] = [];
    for (let i = 0; i < 20_000; i++) {
      const key = keys[rng.int(0, keys.length - 1)];
      const value = rng.int(0, 3) === 0 ? undefined : i;
      o = spreadPut(o, key, value);
      m = value === undefined ? omapDelete(m, key) : omapSet(m, key, value);
      if (i % 997 === 0) versions.push([m, Object.keys(o)]);
      expect(omapGet(m, key)).toBe(o[key]);
    }
    expect(omapValues(m)).toEqual(Object.values(o));
    expect(omapOrder(m, ['z', 'node-1', '0', 'missing', '12'])).toEqual(
      Object.keys(o).filter((k) => ['z', 'node-1', '0', '12'].includes(k)),
    );
    // Old versions still list what they held (persistence), after compactions of later ones.
    for (const [v, order] of versions) expect(omapOrder(v, keys)).toEqual(order);
  });
});
