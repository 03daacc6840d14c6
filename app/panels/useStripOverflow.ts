/**
 * Eight tabs do not always fit the 600 px side column (it depends on the font the system
 * falls back to): the strip then scrolls sideways. Which ends have tabs hidden past them,
 * so the strip can fade there, and a mouse wheel scrolls it as a trackpad would.
 */
import { useEffect, useState, type Dispatch, type RefObject, type SetStateAction } from 'react';

export interface StripOverflow {
  readonly before: boolean;
  readonly after: boolean;
}

const NONE: StripOverflow = { before: false, after: false };

function measure(el: HTMLElement | null, set: Dispatch<SetStateAction<StripOverflow>>): void {
  if (!el) return;
  const before = el.scrollLeft > 1;
  const after = el.scrollLeft + el.clientWidth < el.scrollWidth - 1;
  set((o) => (o.before === before && o.after === after ? o : { before, after }));
}

/** Re-measured when the strip or a tab resizes (a tab's dot widens it) and on scroll. */
export function useStripOverflow(strip: RefObject<HTMLElement | null>): StripOverflow {
  const [overflow, setOverflow] = useState(NONE);
  useEffect(() => {
    const el = strip.current;
    if (!el) return;
    const update = () => measure(el, setOverflow);
    const onWheel = (e: WheelEvent) => {
      if (el.scrollWidth <= el.clientWidth || Math.abs(e.deltaX) > Math.abs(e.deltaY)) return;
      e.preventDefault();
      el.scrollLeft += e.deltaY;
    };
    const observer = new ResizeObserver(update);
    observer.observe(el);
    for (const tab of el.children) observer.observe(tab);
    el.addEventListener('scroll', update, { passive: true });
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => {
      observer.disconnect();
      el.removeEventListener('scroll', update);
      el.removeEventListener('wheel', onWheel);
    };
  }, [strip]);
  return overflow;
}
