/**
 * Zoom and pan for the topology: d3-zoom owns the gesture behind one ref and
 * one effect, and writes the transform onto one <g>. The wheel zooms only
 * with Ctrl/⌘ (or a pinch), so a page that embeds Kubewire still scrolls;
 * drag pans; double-click resets. Changing `resetKey` (a new scenario) resets.
 * A big cluster may be zoomed in further, until a pod is as legible as a
 * small cluster's at 1×.
 */
import { useCallback, useEffect, useRef, type RefObject } from 'react';
import { select, zoom, zoomIdentity, type ZoomBehavior, type ZoomTransform } from 'd3';
import type { Rect } from './geometry.ts';

export interface ZoomHandle {
  readonly zoomBy: (factor: number) => void;
  readonly reset: () => void;
  /** Centre a region of the drawing (user units) and scale it to fit the view. */
  readonly zoomTo: (region: Rect) => void;
}

/** The drawing's size in user units (the viewBox without its padding). */
interface Extent {
  readonly width: number;
  readonly height: number;
}

/** A 2-node cluster is about 1 100 units wide and legible at 1×; allow as much for any cluster. */
const maxScale = (extent: Extent | null) =>
  extent ? Math.max(8, (1.5 * extent.width) / 1100, (1.5 * extent.height) / 700) : 8;

export function useZoom(
  svg: RefObject<SVGSVGElement | null>,
  layer: RefObject<SVGGElement | null>,
  resetKey: unknown,
  /** False while the svg is not mounted yet (nothing to attach to). */
  mounted: boolean,
  extent: Extent | null,
  /** Called when the user pans or zooms by hand (not by zoomBy/zoomTo/reset). */
  onGesture?: () => void,
  /** Called with the transform at most once per animation frame while it changes. */
  onTransform?: (transform: ZoomTransform) => void,
  /** A second drawing laid over the first, transformed with it. */
  overlay?: RefObject<SVGGElement | null>,
): ZoomHandle {
  const behaviour = useRef<ZoomBehavior<SVGSVGElement, unknown> | null>(null);
  const gesture = useRef(onGesture);
  const transform = useRef(onTransform);
  useEffect(() => {
    gesture.current = onGesture;
    transform.current = onTransform;
  }, [onGesture, onTransform]);
  const kMax = maxScale(extent);

  useEffect(() => {
    const el = svg.current;
    if (!el) return;
    let frame = 0;
    let latest = zoomIdentity;
    const report = () => {
      frame = 0;
      transform.current?.(latest);
    };
    const z = zoom<SVGSVGElement, unknown>()
      .scaleExtent([0.6, kMax])
      .filter((e: Event) =>
        e.type === 'wheel'
          ? (e as WheelEvent).ctrlKey || (e as WheelEvent).metaKey
          : e.type !== 'dblclick' && !(e as MouseEvent).button,
      )
      .on('zoom', (e: { transform: ZoomTransform; sourceEvent: unknown }) => {
        const t = e.transform.toString();
        layer.current?.setAttribute('transform', t);
        overlay?.current?.setAttribute('transform', t);
        if (e.sourceEvent) gesture.current?.();
        latest = e.transform;
        frame ||= requestAnimationFrame(report);
      });
    const selection = select(el).call(z);
    selection.on('dblclick.reset', () => selection.call(z.transform, zoomIdentity));
    behaviour.current = z;
    return () => {
      cancelAnimationFrame(frame);
      selection.on('.zoom', null).on('dblclick.reset', null);
      behaviour.current = null;
    };
  }, [svg, layer, overlay, mounted, kMax]);

  useEffect(() => {
    if (svg.current && behaviour.current)
      select(svg.current).call(behaviour.current.transform, zoomIdentity);
  }, [svg, resetKey]);

  const zoomBy = useCallback(
    (factor: number) => {
      if (svg.current && behaviour.current)
        select(svg.current).call(behaviour.current.scaleBy, factor);
    },
    [svg],
  );
  const reset = useCallback(() => {
    if (svg.current && behaviour.current)
      select(svg.current).call(behaviour.current.transform, zoomIdentity);
  }, [svg]);
  const zoomTo = useCallback(
    (region: Rect) => {
      const el = svg.current;
      if (!el || !behaviour.current) return;
      const view = el.viewBox.baseVal;
      const k = Math.min(kMax, view.width / region.w, view.height / region.h);
      const cx = view.x + view.width / 2;
      const cy = view.y + view.height / 2;
      const t = zoomIdentity
        .translate(cx - k * (region.x + region.w / 2), cy - k * (region.y + region.h / 2))
        .scale(k);
      select(el).call(behaviour.current.transform, t);
    },
    [svg, kMax],
  );
  return { zoomBy, reset, zoomTo };
}
