/** A range over all steps, with a tick where each scenario action begins. */
import { useLayoutEffect, useMemo, useRef, type CSSProperties, type RefObject } from 'react';
import { useStore } from '../state/store.ts';
import { actionMarks } from './actions.ts';

const THUMB = 20; // px, matches .scrubber input thumb width in styles.css

const at = (fraction: number): string => `calc(${THUMB / 2}px + (100% - ${THUMB}px) * ${fraction})`;

export function Scrubber() {
  const sim = useStore((s) => s.sim);
  const step = useStore((s) => s.step);
  const seek = useStore((s) => s.seek);
  const count = sim?.steps.length ?? 0;
  const marks = useMemo(
    () => (sim ? actionMarks(sim.steps, sim.scenario.scenario.actions) : []),
    [sim],
  );
  const max = Math.max(1, count - 1);
  const root = useRef<HTMLDivElement>(null);
  useWholeLabels(root, marks);
  // The ticks depend on the simulation only: a step must not rebuild them.
  const ticks = useMemo(
    () => (
      <div className="ticks" aria-hidden="true">
        {marks.map((m, i) => (
          <button
            key={m.step}
            type="button"
            tabIndex={-1}
            className={`tick${m.action < 0 ? ' setup' : ''}`}
            style={{
              left: at(m.step / max),
              width: `calc((100% - ${THUMB}px) * ${((marks[i + 1]?.step ?? count - 1) - m.step) / max})`,
            }}
            title={`${m.label} (step ${m.step})`}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => seek(m.step)}
          >
            <span>{m.label}</span>
          </button>
        ))}
      </div>
    ),
    [marks, max, count, seek],
  );
  return (
    <div ref={root} className="scrubber" style={{ '--fill': at(step / max) } as CSSProperties}>
      {ticks}
      <input
        type="range"
        min={0}
        max={Math.max(0, count - 1)}
        step={1}
        value={step}
        disabled={!count}
        aria-label="Scrub through the steps"
        aria-valuetext={`Step ${step} of ${count - 1}`}
        onChange={(e) => seek(Number(e.target.value))}
      />
    </div>
  );
}

/**
 * A chapter's label is shown whole or not at all ("c…" names nothing): a label wider than
 * its chapter is hidden, its tick keeps the name in its tooltip. Re-measured on resize.
 */
function useWholeLabels(root: RefObject<HTMLDivElement | null>, marks: unknown): void {
  useLayoutEffect(() => {
    const el = root.current;
    if (!el) return;
    const fit = () => {
      for (const span of el.querySelectorAll<HTMLElement>('.tick span')) {
        span.style.display = '';
        if (span.scrollWidth > span.clientWidth + 1) span.style.display = 'none';
      }
    };
    fit();
    const observer = new ResizeObserver(fit);
    observer.observe(el);
    return () => observer.disconnect();
  }, [root, marks]);
}
