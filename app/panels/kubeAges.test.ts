/**
 * The key a kubectl table is kept by between steps: it must change exactly when an AGE cell
 * of the printed table would (kubectl's HumanDuration: "59s", then "60s" … "2m"), or the
 * panel would show a stale AGE or re-print 2,000 rows at every step.
 */
import { describe, expect, it } from 'vitest';
import { agesOf } from './kubeRows.ts';

const s = 1e6;
const list = [{ createdUs: 0 }, { createdUs: 0 }, { createdUs: 30 * s }, {}].map((d) => ({
  object: null,
  ...d,
}));

describe('agesOf', () => {
  it('is the same between two steps microseconds apart', () => {
    expect(agesOf(list, 90 * s)).toBe(agesOf(list, 90 * s + 400));
  });
  it('changes when any row’s AGE changes', () => {
    // 0 → 119 s reads "119s"; 120 s reads "2m": the first two rows change.
    expect(agesOf(list, 119 * s)).not.toBe(agesOf(list, 120 * s));
    // A second's boundary: the third row (created at 30 s) reads "29s" at 59.5 s, "30s" at 60 s.
    expect(agesOf(list, 59.5 * s)).not.toBe(agesOf(list, 60 * s));
  });
  it('tells apart the same ages in other rows', () => {
    const swapped = [list[2], list[0], list[1], list[3]];
    expect(agesOf(swapped, 90 * s)).not.toBe(agesOf(list, 90 * s));
  });
});
