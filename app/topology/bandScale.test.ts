import { describe, expect, it } from 'vitest';
import { bandScale } from './layout.ts';
import { DETAIL_FROM_PODS } from './detail.ts';

/** A badge's 13-unit text on screen when the whole drawing fits a topology `px` wide. */
const textPx = (width: number, pods: number, px: number) =>
  13 * bandScale(width, pods) * (px / width);

describe('the Services band at the map zoom of a big cluster', () => {
  it('a badge reads at about 10 px on a 770 px topology, however wide the drawing', () => {
    for (const width of [3_000, 8_700, 20_000])
      expect(textPx(width, 1_000, 770)).toBeGreaterThan(9.5);
  });

  it('a small cluster is drawn at its own size (its badges are not blown up)', () => {
    expect(bandScale(8_700, DETAIL_FROM_PODS)).toBe(1);
    expect(bandScale(900, 1_000)).toBe(1);
  });
});
