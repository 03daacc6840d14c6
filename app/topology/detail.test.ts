import { describe, expect, it } from 'vitest';
import { fitScale, intersects, visibleRegion, type View } from './detail.ts';

// A 1000 × 500 drawing in an 800 × 800 px view: it fits the width (0.8 px per unit), with
// 250 units above and below it in view.
const view: View = {
  width: 800,
  height: 800,
  box: { x: 0, y: 0, w: 1000, h: 500 },
  k: 1,
  x: 0,
  y: 0,
};

describe('levels of detail', () => {
  it('at zoom 1 the view shows the whole viewBox, centred', () => {
    expect(fitScale(view)).toBe(0.8);
    expect(visibleRegion(view, 0)).toEqual({ x: 0, y: -250, w: 1000, h: 1000 });
  });

  it('zoomed in twice on the middle, a quarter of it is in view', () => {
    const zoomed = { ...view, k: 2, x: -500, y: -250 };
    expect(visibleRegion(zoomed, 0)).toEqual({ x: 250, y: 0, w: 500, h: 500 });
    const region = visibleRegion(zoomed, 0);
    expect(intersects({ x: 0, y: 0, w: 240, h: 100 }, region)).toBe(false);
    expect(intersects({ x: 700, y: 400, w: 100, h: 100 }, region)).toBe(true);
  });
});
