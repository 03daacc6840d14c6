import { describe, expect, it } from 'vitest';
import { pointAlong, polylinePath } from './geometry.ts';

describe('pointAlong', () => {
  const path = [
    { x: 0, y: 0 },
    { x: 0, y: 10 },
    { x: 30, y: 10 },
  ];

  it('walks by length, not by segment count', () => {
    expect(pointAlong(path, 0)).toEqual({ x: 0, y: 0 });
    expect(pointAlong(path, 0.25)).toEqual({ x: 0, y: 10 });
    expect(pointAlong(path, 0.5)).toEqual({ x: 10, y: 10 });
    expect(pointAlong(path, 1)).toEqual({ x: 30, y: 10 });
  });

  it('clamps and handles degenerate paths', () => {
    expect(pointAlong(path, 2)).toEqual({ x: 30, y: 10 });
    expect(pointAlong([{ x: 4, y: 5 }], 0.5)).toEqual({ x: 4, y: 5 });
    expect(pointAlong([], 0.5)).toEqual({ x: 0, y: 0 });
  });

  it('draws a polyline as SVG path data', () => {
    expect(polylinePath(path)).toBe('M0,0L0,10L30,10');
  });
});
