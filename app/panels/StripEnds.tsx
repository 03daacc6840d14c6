/**
 * The ends of a tab strip that scrolls (see useStripOverflow): a chevron over each end
 * with tabs hidden past it, fading the strip there; a click scrolls it by about a tab.
 * Pointer-only and hidden from assistive technology: keyboard users move with ← →,
 * which focuses the tab and so scrolls it into view.
 */
import { useEffect, type RefObject } from 'react';
import { useStripOverflow } from './useStripOverflow.ts';

const STEP = 120;

interface Props {
  readonly strip: RefObject<HTMLElement | null>;
  /** The selected tab's element id: kept in view when it changes. */
  readonly selected: string;
}

export function StripEnds({ strip, selected }: Props) {
  const overflow = useStripOverflow(strip);

  useEffect(() => {
    const el = strip.current;
    const tab = document.getElementById(selected);
    if (!el || !tab) return;
    if (tab.offsetLeft < el.scrollLeft) el.scrollLeft = tab.offsetLeft;
    else if (tab.offsetLeft + tab.offsetWidth > el.scrollLeft + el.clientWidth)
      el.scrollLeft = tab.offsetLeft + tab.offsetWidth - el.clientWidth;
  }, [strip, selected]);

  const scroll = (by: number) => strip.current?.scrollBy({ left: by, behavior: 'smooth' });
  return (
    <>
      {overflow.before && (
        <span className="strip-end before" aria-hidden="true" onClick={() => scroll(-STEP)}>
          ‹
        </span>
      )}
      {overflow.after && (
        <span className="strip-end after" aria-hidden="true" onClick={() => scroll(STEP)}>
          ›
        </span>
      )}
    </>
  );
}
