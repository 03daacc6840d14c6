/**
 * Zoom and pan for the topology: d3-zoom owns the gesture behind one ref and
 * one effect, and writes the transform onto one <g>. The wheel zooms only
 * with Ctrl/⌘ (or a pinch), so a page that embeds Kubewire still scrolls;
 * drag pans; double-click resets. Changing `resetKey` (a new scenario) resets.
 */
import { useCallback, useEffect, useRef, type RefObject } from 'react';
import { select, zoom, zoomIdentity, type ZoomBehavior } from 'd3';

export interface ZoomHandle {
  readonly zoomBy: (factor: number) => void;
  readonly reset: () => void;
}

export function useZoom(
  svg: RefObject<SVGSVGElement | null>,
  layer: RefObject<SVGGElement | null>,
  resetKey: unknown,
  /** False while the svg is not mounted yet (nothing to attach to). */
  mounted: boolean,
): ZoomHandle {
  const behaviour = useRef<ZoomBehavior<SVGSVGElement, unknown> | null>(null);

  useEffect(() => {
    const el = svg.current;
    if (!el) return;
    const z = zoom<SVGSVGElement, unknown>()
      .scaleExtent([0.6, 8])
      .filter((e: Event) =>
        e.type === 'wheel'
          ? (e as WheelEvent).ctrlKey || (e as WheelEvent).metaKey
          : e.type !== 'dblclick' && !(e as MouseEvent).button,
      )
      .on('zoom', (e: { transform: { toString(): string } }) =>
        layer.current?.setAttribute('transform', e.transform.toString()),
      );
    const selection = select(el).call(z);
    selection.on('dblclick.reset', () => selection.call(z.transform, zoomIdentity));
    behaviour.current = z;
    return () => {
      selection.on('.zoom', null).on('dblclick.reset', null);
      behaviour.current = null;
    };
  }, [svg, layer, mounted]);

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
  return { zoomBy, reset };
}
