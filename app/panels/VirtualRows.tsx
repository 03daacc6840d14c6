/**
 * A long list drawn a window at a time: rows of one fixed height, only those in view (and a
 * few either side) in the DOM, in a box that scrolls on its own. 20,000 iptables rules
 * scroll as smoothly as 20. `scrollTo` brings a row to the box's middle.
 */
import {
  forwardRef,
  useImperativeHandle,
  useLayoutEffect,
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

export const VirtualRows = forwardRef<VirtualRowsHandle, Props>(function VirtualRows(props, ref) {
  const { count, rowHeight, maxHeight, width, row, label, testId } = props;
  const box = useRef<HTMLDivElement>(null);
  const [top, setTop] = useState(0);
  // The box is at most maxHeight, and at most about half the window (CSS max-height).
  const [view, setView] = useState(maxHeight);
  const height = Math.min(maxHeight, count * rowHeight);
  useImperativeHandle(ref, () => ({
    scrollTo(index: number) {
      const el = box.current;
      if (!el) return;
      const y = Math.max(0, index * rowHeight - el.clientHeight / 2 + rowHeight / 2);
      el.scrollTop = y;
      setTop(y);
    },
  }));
  // A shorter list (a chain closed): keep the window inside it.
  useLayoutEffect(() => {
    const el = box.current;
    if (el && el.scrollTop !== top) setTop(el.scrollTop);
    if (el && el.clientHeight && el.clientHeight !== view) setView(el.clientHeight);
  }, [count, top, view]);
  const first = Math.max(0, Math.floor(top / rowHeight) - OVERSCAN);
  const last = Math.min(count, Math.ceil((top + Math.min(height, view)) / rowHeight) + OVERSCAN);
  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) rows.push(row(i));
  return (
    <div
      className="vrows"
      ref={box}
      style={{ height }}
      onScroll={(e) => setTop(e.currentTarget.scrollTop)}
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
