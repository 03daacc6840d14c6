/**
 * Virtual scrolling for a long step list: which rows to render, and keeping
 * the current step's row in view. Rows have one height (measured, not
 * assumed), so row i sits at i · height below the header.
 *
 * Scrolling is the costly part of a step: writing scrollTop forces a layout
 * of the whole page, and a scrolled list is laid out and painted again. So a
 * row that leaves the view at the bottom scrolls to the top of it, like a
 * pager, and the write waits for the next frame's callbacks (the frame lays
 * out anyway). Until it lands, the rows of both positions are rendered, so
 * no frame shows a gap.
 */
import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';

/** Rows rendered above and below the visible ones, so a scroll does not show blank space. */
const OVERSCAN = 4;

/** The scroller's height and the measured row and header heights, in px. */
interface Box {
  readonly height: number;
  readonly row: number;
  readonly head: number;
}

/** The scroll position that shows row `index`, starting from `top`. */
function scrollToShow(top: number, index: number, box: Box): number {
  const rowTop = index * box.row;
  // A px to spare: the row heights are a mean, the first row's collapsed border is thinner.
  const view = box.height - box.head - 2;
  if (rowTop < top) return rowTop;
  // Below the view: to its top, one row of context above.
  if (rowTop + box.row > top + view) return Math.max(rowTop - box.row, rowTop + box.row - view);
  return top;
}

export interface RowWindow {
  /** Rows [first, end) are rendered; spacers of `row` px per row stand for the rest. */
  readonly first: number;
  readonly end: number;
  readonly row: number;
  readonly onScroll: () => void;
}

export function useRowWindow(
  scroller: RefObject<HTMLElement | null>,
  count: number,
  current: number,
  /** False: nothing to do (a short list renders every row). */
  enabled: boolean,
  /** A new value (a new trace) measures the rows again. */
  resetKey: unknown,
): RowWindow {
  const [box, setBox] = useState<Box>({ height: 600, row: 24, head: 26 });
  /** Where the list should be scrolled to, and the step it was last brought to. */
  const [want, setWant] = useState({ top: 0, step: -1 });
  /** Where the list is scrolled to, as last written or reported. */
  const [at, setAt] = useState(0);
  /** The same, without a render, so scrollTop is never read (a read forces a layout too). */
  const domTop = useRef(0);

  // A new step brings its row into view: derived during render, so it costs no second render.
  if (enabled && want.step !== current)
    setWant({ top: Math.max(0, scrollToShow(want.top, current, box)), step: current });

  // Measure once per trace and whenever the list is resized; the row height is the font's.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || !enabled) return;
    const measure = () => {
      // The mean over the rendered rows, fractional: an error of a rounded px (or of the first
      // row's collapsed border) per row would add up over thousands of rows.
      const rows = el.querySelectorAll('tbody tr[aria-selected]');
      const top = rows[0]?.getBoundingClientRect().top ?? 0;
      const bottom = rows[rows.length - 1]?.getBoundingClientRect().bottom ?? 0;
      const row = rows.length > 1 ? (bottom - top) / rows.length : 24;
      const head = el.querySelector('thead')?.getBoundingClientRect().height ?? 26;
      setBox({ height: el.clientHeight, row, head });
      setWant((w) => ({ ...w, step: -1 })); // bring the current row into view again
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [scroller, enabled, resetKey]);

  useEffect(() => {
    const el = scroller.current;
    if (!el || !enabled || Math.abs(domTop.current - want.top) < 1) return;
    const frame = requestAnimationFrame(() => {
      el.scrollTop = want.top;
      domTop.current = want.top;
      setAt(want.top);
    });
    return () => cancelAnimationFrame(frame);
  }, [scroller, enabled, want.top]);

  const onScroll = () => {
    const top = scroller.current?.scrollTop ?? 0;
    domTop.current = top;
    setAt(top);
    setWant((w) => (Math.abs(w.top - top) < 1 ? w : { ...w, top }));
  };

  if (!enabled) return { first: 0, end: count, row: box.row, onScroll };
  const from = (top: number) => Math.max(0, Math.floor(top / box.row) - OVERSCAN);
  const to = (top: number) => Math.min(count, Math.ceil((top + box.height) / box.row) + OVERSCAN);
  // Both positions' rows while a scroll is pending; a long jump shows only where it lands.
  const near = Math.abs(want.top - at) <= 2 * box.height;
  return {
    first: near ? Math.min(from(want.top), from(at)) : from(want.top),
    end: near ? Math.max(to(want.top), to(at)) : to(want.top),
    row: box.row,
    onScroll,
  };
}
