/**
 * Level of detail for a big cluster. Zoomed out, a 1000-pod cluster is a map:
 * a pod is a few pixels wide and its text unreadable, so each node is drawn
 * as a tile (outline, name, a square per pod). Zoomed in, the nodes in view
 * are drawn in full and the rest stay tiles. A small cluster is always drawn
 * in full. Thirty thousand SVG elements cost tens of milliseconds to paint
 * on every step; the few hundred of a map do not.
 */
import type { Rect } from './geometry.ts';

/** Clusters with more pods than this get levels of detail. */
export const DETAIL_FROM_PODS = 60;
/** Screen px per user unit from which a node is drawn in full (13 px text shows at about 4 px). */
export const DETAIL_SCALE = 0.3;

export interface View {
  /** The svg's size in px. */
  readonly width: number;
  readonly height: number;
  /** The viewBox. */
  readonly box: Rect;
  /** The zoom transform on the drawing: user point p is drawn at k·p + (x, y). */
  readonly k: number;
  readonly x: number;
  readonly y: number;
}

/** Px per user unit of the viewBox at zoom 1 (preserveAspectRatio meet). */
export const fitScale = (v: View) => Math.min(v.width / v.box.w, v.height / v.box.h);

/** The drawing's region in view, in user units, grown by `margin` of its size on each side. */
export function visibleRegion(v: View, margin: number): Rect {
  const s = fitScale(v);
  // meet: the viewBox is centred, so the view shows a little more than it along one axis.
  const w = v.width / s;
  const h = v.height / s;
  const x0 = v.box.x + v.box.w / 2 - w / 2;
  const y0 = v.box.y + v.box.h / 2 - h / 2;
  const x = (x0 - v.x) / v.k;
  const y = (y0 - v.y) / v.k;
  return {
    x: x - (margin * w) / v.k,
    y: y - (margin * h) / v.k,
    w: ((1 + 2 * margin) * w) / v.k,
    h: ((1 + 2 * margin) * h) / v.k,
  };
}

export const intersects = (a: Rect, b: Rect) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

export const contains = (outer: Rect, inner: Rect) =>
  inner.x >= outer.x &&
  inner.y >= outer.y &&
  inner.x + inner.w <= outer.x + outer.w &&
  inner.y + inner.h <= outer.y + outer.h;
