/**
 * A long list drawn a window at a time: rows of one fixed height, only those in view (and a
 * few either side) in the DOM, in a box that scrolls on its own. 20,000 iptables rules
 * scroll as smoothly as 20. `scrollTo` brings a row to the box's middle.
 */
import {
  forwardRef,
  useEffect,
  useImperativeHandle,
  useRef,
  useState,
  type ReactNode,
} from 'react';

export interface VirtualRowsHandle {
  scrollTo(index: number): void;
}

interface Props {
  readonly count: number;
  readonly rowHeight: number;
  /** The box's height in px at most; a shorter list makes a shorter box. */
  readonly maxHeight: number;
  /** The content's width (the longest line), so the box scrolls sideways. */
  readonly width: string;
  readonly row: (index: number) => ReactNode;
  readonly label: string;
  readonly testId?: string;
}

const OVERSCAN = 12;

/**
 * Nothing here reads the box's geometry during React's commit: a read of scrollTop or
 * clientHeight there forces a layout of the whole page, and at every scrolled frame that
 * cost more than the rows themselves (profile.ts, 27,518 rows: ~6 ms a frame). The scroll
 * position comes from the scroll event, the box's height from a ResizeObserver.
 */
export const VirtualRows = forwardRef<VirtualRowsHandle, Props>(function VirtualRows(props, ref) {
  const { count, rowHeight, maxHeight, width, row, label, testId } = props;
  const box = useRef<HTMLDivElement>(null);
  // The first row in view: a scroll within one row draws nothing new.
  const [top, setTop] = useState(0);
  // The box is at most maxHeight, and at most about half the window (CSS max-height).
  const [view, setView] = useState(maxHeight);
  const height = Math.min(maxHeight, count * rowHeight);
  const rowAt = (y: number) => Math.floor(y / rowHeight);
  useImperativeHandle(ref, () => ({
    scrollTo(index: number) {
      const el = box.current;
      if (!el) return;
      const y = Math.max(0, index * rowHeight - el.clientHeight / 2 + rowHeight / 2);
      el.scrollTop = y;
      setTop(rowAt(y));
    },
  }));
  useEffect(() => {
    const el = box.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    // Called after layout: reading clientHeight here costs nothing.
    const observer = new ResizeObserver(() => {
      if (el.clientHeight) setView(el.clientHeight);
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  // A shorter list (a chain closed): the window stays inside it until the browser's clamped
  // scroll arrives as a scroll event.
  const bottom = rowAt(Math.max(0, count * rowHeight - Math.min(height, view)));
  const first = Math.max(0, Math.min(top, bottom) - OVERSCAN);
  const last = Math.min(count, Math.min(top, bottom) + Math.ceil(view / rowHeight) + 1 + OVERSCAN);
  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) rows.push(row(i));
  return (
    <div
      className="vrows"
      ref={box}
      style={{ height }}
      onScroll={(e) => setTop(rowAt(e.currentTarget.scrollTop))}
      role="list"
      aria-label={label}
      data-testid={testId}
      tabIndex={0}
    >
      <div className="vrows-inner" style={{ height: count * rowHeight, width }}>
        <div style={{ transform: `translateY(${first * rowHeight}px)` }}>{rows}</div>
      </div>
    </div>
  );
});
