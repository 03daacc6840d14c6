/**
 * The trace as Wireshark's packet list: No., Time, Place, Protocol, Info. Click a row to go there.
 * A long trace (a big cluster has thousands of steps) renders only the rows in view, between two
 * spacer rows, as Wireshark does; a short one renders every row.
 */
import { memo, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { Step } from '@kubewire/sim-core';
import { useStore } from '../state/store.ts';
import { protocolOf } from '../topology/hop.ts';
import { formatTime, placeLabel } from '../ui/text.ts';

/** Above this many steps only the visible rows are rendered. */
const VIRTUAL_FROM = 400;
/** Rows rendered above and below the visible ones, so a scroll does not show blank space. */
const OVERSCAN = 12;

const StepRow = memo(function StepRow(props: {
  readonly step: Step;
  readonly selected: boolean;
  readonly onSelect: (index: number) => void;
}) {
  const { step: s, selected, onSelect } = props;
  const proto = protocolOf(s);
  return (
    <tr
      aria-selected={selected}
      className={`kind-${s.kind} proto-${proto ?? 'none'}`}
      onClick={() => onSelect(s.index)}
    >
      <td className="num">{s.index}</td>
      <td className="num">{formatTime(s.timeUs)}</td>
      <td>{placeLabel(s.place)}</td>
      <td>{proto ? proto.toUpperCase() : s.kind}</td>
      <td className="summary">{s.summary}</td>
    </tr>
  );
});

/** The scroller's size and the measured row and header heights, in px. */
interface Box {
  readonly height: number;
  readonly row: number;
  readonly head: number;
}

/** The scroll position that shows row `index`, moving as little as possible from `top`. */
function scrollToShow(top: number, index: number, box: Box): number {
  const rowTop = index * box.row;
  // A px to spare: the row heights are a mean, the first row's collapsed border is thinner.
  const view = box.height - box.head - 2;
  if (rowTop < top) return rowTop;
  if (rowTop + box.row > top + view) return rowTop + box.row - view;
  return top;
}

export function StepList() {
  const sim = useStore((s) => s.sim);
  const current = useStore((s) => s.step);
  const seek = useStore((s) => s.seek);
  const scroller = useRef<HTMLDivElement>(null);
  const steps = sim?.steps ?? [];
  const virtual = steps.length >= VIRTUAL_FROM;
  const [box, setBox] = useState<Box>({ height: 600, row: 24, head: 26 });
  /** Where the list is scrolled to (virtual mode), and the step it was last brought to. */
  const [scroll, setScroll] = useState({ top: 0, step: -1 });
  /** The scroller's scrollTop as last written or reported, so it is never read (a forced layout). */
  const domTop = useRef(0);

  // A new step brings its row into view: derived during render, so it costs no second render.
  if (virtual && scroll.step !== current) {
    setScroll({ top: Math.max(0, scrollToShow(scroll.top, current, box)), step: current });
  }

  // Measure once per trace and whenever the list is resized; the row height is the font's.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || !virtual) return;
    const measure = () => {
      // The mean over the rendered rows, fractional: an error of a rounded px (or of the first
      // row's collapsed border) per row would add up over thousands of rows.
      const rows = el.querySelectorAll('tbody tr[aria-selected]');
      const top = rows[0]?.getBoundingClientRect().top ?? 0;
      const bottom = rows[rows.length - 1]?.getBoundingClientRect().bottom ?? 0;
      const row = rows.length > 1 ? (bottom - top) / rows.length : 24;
      const head = el.querySelector('thead')?.getBoundingClientRect().height ?? 26;
      setBox({ height: el.clientHeight, row, head });
      setScroll((s) => ({ ...s, step: -1 })); // bring the current row into view again
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [virtual, sim]);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || !virtual || Math.abs(domTop.current - scroll.top) < 1) return;
    domTop.current = scroll.top;
    el.scrollTop = scroll.top;
  }, [virtual, scroll.top]);

  // A short list: every row is in the DOM; keep the current one in view without scrolling the page.
  useEffect(() => {
    const box = scroller.current;
    const row = box?.querySelector<HTMLElement>('tr[aria-selected="true"]');
    if (virtual || !box || !row) return;
    const head = box.querySelector('thead')?.getBoundingClientRect().height ?? 0;
    if (row.offsetTop - head < box.scrollTop) box.scrollTop = row.offsetTop - head;
    else if (row.offsetTop + row.offsetHeight > box.scrollTop + box.clientHeight)
      box.scrollTop = row.offsetTop + row.offsetHeight - box.clientHeight;
  }, [current, sim, virtual]);

  if (!sim) return null;
  const first = virtual ? Math.max(0, Math.floor(scroll.top / box.row) - OVERSCAN) : 0;
  const end = virtual
    ? Math.min(steps.length, Math.ceil((scroll.top + box.height) / box.row) + OVERSCAN)
    : steps.length;
  const onScroll = virtual
    ? () => {
        const top = scroller.current?.scrollTop ?? 0;
        domTop.current = top;
        setScroll((s) => (Math.abs(s.top - top) < 1 ? s : { ...s, top }));
      }
    : undefined;
  return (
    <div className={`step-list${virtual ? ' virtual' : ''}`} ref={scroller} onScroll={onScroll}>
      <table>
        {virtual && (
          // Fixed columns: the rows in view change as it scrolls, the column widths must not.
          <colgroup>
            <col className="col-num" />
            <col className="col-time" />
            <col className="col-place" />
            <col className="col-protocol" />
            <col />
          </colgroup>
        )}
        <thead>
          <tr>
            <th className="num">No.</th>
            <th className="num">Time</th>
            <th>Place</th>
            <th>Protocol</th>
            <th>Info</th>
          </tr>
        </thead>
        <tbody>
          {first > 0 && <tr className="spacer" style={{ height: first * box.row }} aria-hidden />}
          {steps.slice(first, end).map((s) => (
            <StepRow key={s.index} step={s} selected={s.index === current} onSelect={seek} />
          ))}
          {end < steps.length && (
            <tr className="spacer" style={{ height: (steps.length - end) * box.row }} aria-hidden />
          )}
        </tbody>
      </table>
    </div>
  );
}
