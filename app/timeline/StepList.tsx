/**
 * The trace as Wireshark's packet list: No., Time, Place, Protocol, Info. Click a row to go there.
 * A long trace (a big cluster has thousands of steps) renders only the rows in view, between two
 * spacer rows, as Wireshark does; a short one renders every row.
 */
import { memo, useEffect, useRef } from 'react';
import type { Step } from '@kubewire/sim-core';
import { useStore } from '../state/store.ts';
import { protocolOf } from '../topology/hop.ts';
import { hookLabel } from '../topology/hook.ts';
import { formatTime, placeLabel } from '../ui/text.ts';
import { useRowWindow } from './useRowWindow.ts';

/** Above this many steps only the visible rows are rendered. */
const VIRTUAL_FROM = 400;

const StepRow = memo(function StepRow(props: {
  readonly step: Step;
  readonly selected: boolean;
  readonly onSelect: (index: number) => void;
}) {
  const { step: s, selected, onSelect } = props;
  const proto = protocolOf(s);
  // A hook's decision is listed by what decided (NAT, conntrack), as the badge on the map says.
  const hook = hookLabel(s);
  return (
    <tr
      aria-selected={selected}
      className={`kind-${s.kind} proto-${proto ?? 'none'}`}
      onClick={() => onSelect(s.index)}
    >
      <td className="num">{s.index}</td>
      <td className="num">{formatTime(s.timeUs)}</td>
      <td>{placeLabel(s.place)}</td>
      <td>{hook ?? (proto ? proto.toUpperCase() : s.kind)}</td>
      <td className="summary">{s.summary}</td>
    </tr>
  );
});

export function StepList() {
  const sim = useStore((s) => s.sim);
  const current = useStore((s) => s.step);
  const seek = useStore((s) => s.seek);
  const scroller = useRef<HTMLDivElement>(null);
  const steps = sim?.steps ?? [];
  const virtual = steps.length >= VIRTUAL_FROM;
  const { first, end, row, onScroll } = useRowWindow(scroller, steps.length, current, virtual, sim);

  // A short list: every row is in the DOM; keep the current one in view without scrolling the page.
  useEffect(() => {
    const box = scroller.current;
    const tr = box?.querySelector<HTMLElement>('tr[aria-selected="true"]');
    if (virtual || !box || !tr) return;
    const head = box.querySelector('thead')?.getBoundingClientRect().height ?? 0;
    if (tr.offsetTop - head < box.scrollTop) box.scrollTop = tr.offsetTop - head;
    else if (tr.offsetTop + tr.offsetHeight > box.scrollTop + box.clientHeight)
      box.scrollTop = tr.offsetTop + tr.offsetHeight - box.clientHeight;
  }, [current, sim, virtual]);

  if (!sim) return null;
  return (
    <div
      className={`step-list${virtual ? ' virtual' : ''}`}
      ref={scroller}
      // Focusable, so keyboard users can scroll it too (axe: scrollable-region-focusable).
      tabIndex={0}
      role="region"
      aria-label="Steps"
      onScroll={virtual ? onScroll : undefined}
    >
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
          {first > 0 && <tr className="spacer" style={{ height: first * row }} aria-hidden />}
          {steps.slice(first, end).map((s) => (
            <StepRow key={s.index} step={s} selected={s.index === current} onSelect={seek} />
          ))}
          {end < steps.length && (
            <tr className="spacer" style={{ height: (steps.length - end) * row }} aria-hidden />
          )}
        </tbody>
      </table>
    </div>
  );
}
