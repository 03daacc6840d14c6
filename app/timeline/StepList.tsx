/** The trace as Wireshark's packet list: No., Time, Place, Protocol, Info. Click a row to go there. */
import { useEffect, useRef } from 'react';
import { useStore } from '../state/store.ts';
import { protocolOf } from '../topology/hop.ts';
import { formatTime, placeLabel } from '../ui/text.ts';

export function StepList() {
  const sim = useStore((s) => s.sim);
  const current = useStore((s) => s.step);
  const seek = useStore((s) => s.seek);
  const scroller = useRef<HTMLDivElement>(null);

  // Keep the current row in view without scrolling the page itself.
  useEffect(() => {
    const box = scroller.current;
    const row = box?.querySelector<HTMLElement>('tr[aria-selected="true"]');
    if (!box || !row) return;
    const head = box.querySelector('thead')?.getBoundingClientRect().height ?? 0;
    if (row.offsetTop - head < box.scrollTop) box.scrollTop = row.offsetTop - head;
    else if (row.offsetTop + row.offsetHeight > box.scrollTop + box.clientHeight)
      box.scrollTop = row.offsetTop + row.offsetHeight - box.clientHeight;
  }, [current, sim]);

  if (!sim) return null;
  return (
    <div className="step-list" ref={scroller}>
      <table>
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
          {sim.steps.map((s, i) => {
            const proto = protocolOf(s);
            return (
              <tr
                key={i}
                aria-selected={i === current}
                className={`kind-${s.kind} proto-${proto ?? 'none'}`}
                onClick={() => seek(i)}
              >
                <td className="num">{s.index}</td>
                <td className="num">{formatTime(s.timeUs)}</td>
                <td>{placeLabel(s.place)}</td>
                <td>{proto ? proto.toUpperCase() : s.kind}</td>
                <td className="summary">{s.summary}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
