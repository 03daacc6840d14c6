/**
 * The trace as Wireshark's packet list: No., Time, Place, Protocol, Info. Click a row to go there;
 * with the list focused ↑/↓, PgUp/PgDn and Home/End move through it, as in Wireshark. It is a
 * WAI-ARIA listbox (rows are options, the current one selected and the active descendant), with
 * the selected step's details below: its headline, and the full explanation when opened.
 * A long trace (a big cluster has thousands of steps) renders only the rows in view, between two
 * spacer rows, as Wireshark does; a short one renders every row.
 */
import { memo, useEffect, useRef, type KeyboardEvent } from 'react';
import { narrate, type Step } from '@kubewire/sim-core';
import { useStore } from '../state/store.ts';
import { protocolOf } from '../topology/hop.ts';
import { hookLabel } from '../topology/hook.ts';
import { formatTime, placeLabel } from '../ui/text.ts';
import { useRowWindow } from './useRowWindow.ts';
import './stepList.css';

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
      role="option"
      id={optionId(s.index)}
      aria-selected={selected}
      className={`kind-${s.kind} proto-${proto ?? 'none'}`}
      onClick={() => onSelect(s.index)}
    >
      <td role="presentation" className="num">
        {s.index}
      </td>
      <td role="presentation" className="num">
        {formatTime(s.timeUs)}
      </td>
      <td role="presentation">{placeLabel(s.place)}</td>
      <td role="presentation">{hook ?? (proto ? proto.toUpperCase() : s.kind)}</td>
      <td role="presentation" className="summary">
        {s.summary}
      </td>
    </tr>
  );
});

const optionId = (index: number) => `step-option-${index}`;

/** The step a key moves to from `current` (null: not a list key), as Wireshark's packet list. */
function keyTarget(key: string, current: number, count: number, page: number): number | null {
  const to = (i: number) => Math.max(0, Math.min(count - 1, i));
  if (key === 'ArrowDown') return to(current + 1);
  if (key === 'ArrowUp') return to(current - 1);
  if (key === 'PageDown') return to(current + page);
  if (key === 'PageUp') return to(current - page);
  if (key === 'Home') return 0;
  if (key === 'End') return count - 1;
  return null;
}

/** The selected step's headline, and its full explanation when opened (Wireshark's details pane). */
function StepDetails({ step }: { readonly step: Step | undefined }) {
  if (!step) return null;
  const told = narrate(step.facts);
  return (
    <details className="step-details">
      <summary>
        Step {step.index}: {told.headline}
      </summary>
      <p data-testid="step-explanation">{told.explanation}</p>
    </details>
  );
}

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
  const onKeyDown = (e: KeyboardEvent) => {
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 0) / row) - 2);
    const next = keyTarget(e.key, current, steps.length, page);
    if (next === null || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    e.stopPropagation();
    seek(next);
  };
  return (
    <div className="step-pane">
      <div
        className={`step-list${virtual ? ' virtual' : ''}`}
        ref={scroller}
        tabIndex={0}
        role="listbox"
        aria-label="Steps"
        aria-activedescendant={steps.length ? optionId(current) : undefined}
        onKeyDown={onKeyDown}
        onScroll={virtual ? onScroll : undefined}
      >
        <table role="presentation">
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
          {/* The column names are for the eye: a listbox holds options only. */}
          <thead aria-hidden="true">
            <tr>
              <th className="num">No.</th>
              <th className="num">Time</th>
              <th>Place</th>
              <th>Protocol</th>
              <th>Info</th>
            </tr>
          </thead>
          <tbody role="presentation">
            {first > 0 && (
              <tr
                className="spacer"
                style={{ height: first * row }}
                role="presentation"
                aria-hidden
              />
            )}
            {steps.slice(first, end).map((s) => (
              <StepRow key={s.index} step={s} selected={s.index === current} onSelect={seek} />
            ))}
            {end < steps.length && (
              <tr
                className="spacer"
                style={{ height: (steps.length - end) * row }}
                role="presentation"
                aria-hidden
              />
            )}
          </tbody>
        </table>
      </div>
      <StepDetails step={steps[current]} />
    </div>
  );
}
