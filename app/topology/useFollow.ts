/**
 * "Follow the packet": while on, each step's hop is brought into view at a
 * legible scale. The view moves only when the hop is not already well inside
 * it, so stepping within one node keeps the picture still (and cheap: a new
 * zoom repaints the whole drawing). Presenter mode follows at a scale of its own (`minScale`,
 * screen px per user unit), so that the drawing's smallest label reads at 18 px on a projector.
 */
import { useEffect, useRef } from 'react';
import type { Hop } from './hop.ts';
import { hopRegion } from './hop.ts';
import { DETAIL_SCALE, contains, fitScale, visibleRegion, type View } from './detail.ts';
import type { Rect } from './geometry.ts';

/** About two pods by one: the hop with enough around it to read where it is. */
const AROUND = { w: 1100, h: 700 };

/**
 * The region to zoom to so the view shows `scale` px per unit: zoomTo fits the region into the
 * viewBox, which `meet` fits into the frame, so both sides carry the frame's fit. Centred on the
 * hop when it fits, else on where the packet arrives; no hop (a setup step): where the view is.
 */
function presentRegion(hop: Hop, v: View, scale: number): Rect {
  const fit = fitScale(v);
  const w = (v.box.w * fit) / scale;
  const h = (v.box.h * fit) / scale;
  const bounds = hopRegion(hop, { w: 0, h: 0 });
  const last = hop.paths.at(-1)?.at(-1);
  const seen = visibleRegion(v, 0);
  const fits =
    bounds && bounds.w <= 0.8 * (v.width / scale) && bounds.h <= 0.8 * (v.height / scale);
  const centre =
    bounds && fits
      ? { x: bounds.x + bounds.w / 2, y: bounds.y + bounds.h / 2 }
      : (last ?? { x: seen.x + seen.w / 2, y: seen.y + seen.h / 2 });
  // Kept over the drawing: no empty margin beyond its edge where the drawing could fill the view.
  const clamp = (c: number, lo: number, size: number, seen: number) =>
    seen >= size ? lo + size / 2 : Math.min(Math.max(c, lo + seen / 2), lo + size - seen / 2);
  const x = clamp(centre.x, v.box.x, v.box.w, v.width / scale);
  const y = clamp(centre.y, v.box.y, v.box.h, v.height / scale);
  return { x: x - w / 2, y: y - h / 2, w, h };
}

export function useFollow(
  following: boolean,
  hop: Hop | null,
  view: View | null,
  zoomTo: (region: Rect) => void,
  /** Follow at this scale (presenter mode) instead of about two pods by one. */
  minScale?: number,
): void {
  const latest = useRef(view);
  useEffect(() => {
    latest.current = view;
  });
  useEffect(() => {
    if (!following || !hop) return;
    const v = latest.current;
    const bounds = hopRegion(hop, { w: 0, h: 0 });
    const scale = v && fitScale(v) * v.k;
    if (minScale && v && scale) {
      // At the scale (a float's worth below it too), with the hop in view or no hop to show.
      const legible = Math.abs(scale - minScale) < 1e-3;
      if (legible && (!bounds || contains(visibleRegion(v, -0.05), bounds))) return;
      zoomTo(presentRegion(hop, v, minScale));
      return;
    }
    const legible = scale && scale >= DETAIL_SCALE;
    if (v && bounds && legible && contains(visibleRegion(v, -0.1), bounds)) return;
    const region = hopRegion(hop, AROUND);
    if (region) zoomTo(region);
  }, [following, hop, zoomTo, minScale, view?.width, view?.height]);
}
