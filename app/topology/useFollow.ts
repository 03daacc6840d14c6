/**
 * "Follow the packet": while on, each step's hop is brought into view at a
 * legible scale. The view moves only when the hop is not already well inside
 * it, so stepping within one node keeps the picture still (and cheap: a new
 * zoom repaints the whole drawing).
 */
import { useEffect, useRef } from 'react';
import type { Hop } from './hop.ts';
import { hopRegion } from './hop.ts';
import { DETAIL_SCALE, contains, fitScale, visibleRegion, type View } from './detail.ts';
import type { Rect } from './geometry.ts';

/** About two pods by one: the hop with enough around it to read where it is. */
const AROUND = { w: 1100, h: 700 };

export function useFollow(
  following: boolean,
  hop: Hop | null,
  view: View | null,
  zoomTo: (region: Rect) => void,
): void {
  const latest = useRef(view);
  useEffect(() => {
    latest.current = view;
  });
  useEffect(() => {
    if (!following || !hop) return;
    const v = latest.current;
    const bounds = hopRegion(hop, { w: 0, h: 0 });
    const legible = v && fitScale(v) * v.k >= DETAIL_SCALE;
    if (v && bounds && legible && contains(visibleRegion(v, -0.1), bounds)) return;
    const region = hopRegion(hop, AROUND);
    if (region) zoomTo(region);
  }, [following, hop, zoomTo]);
}
