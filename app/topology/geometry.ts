/** Plain geometry for the topology: points, polylines, and walking along them. */
import { line } from 'd3';

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

const toPath = line<Point>(
  (p) => p.x,
  (p) => p.y,
);

/** SVG path data for a polyline. */
export const polylinePath = (points: readonly Point[]): string => toPath([...points]) ?? '';

export const center = (r: Rect): Point => ({ x: r.x + r.w / 2, y: r.y + r.h / 2 });

const distance = (a: Point, b: Point) => Math.hypot(b.x - a.x, b.y - a.y);

/** The point at fraction t (0..1) of a polyline's length. */
export function pointAlong(points: readonly Point[], t: number): Point {
  if (points.length === 0) return { x: 0, y: 0 };
  if (points.length === 1 || t <= 0) return points[0];
  const lengths = points.slice(1).map((p, i) => distance(points[i], p));
  let remaining = Math.min(1, t) * lengths.reduce((a, b) => a + b, 0);
  for (let i = 0; i < lengths.length; i++) {
    if (remaining <= lengths[i] && lengths[i] > 0) {
      const f = remaining / lengths[i];
      const a = points[i];
      const b = points[i + 1];
      return { x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f };
    }
    remaining -= lengths[i];
  }
  return points[points.length - 1];
}
