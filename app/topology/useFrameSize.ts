/**
 * The size of the box the topology fills, in px. The svg gets it as fixed
 * width and height instead of 100%: sized by percentage, the svg is laid out
 * again whenever the page's grid re-measures its row (a new step counter, a
 * scrolled step list), and Chromium then re-lays out every <text> in it —
 * a third of a second on a 1000-pod cluster. A fixed size makes those
 * layouts stop at the svg.
 */
import { useLayoutEffect, useState, type RefObject } from 'react';

export interface Size {
  readonly width: number;
  readonly height: number;
}

export function useFrameSize(child: RefObject<Element | null>, mounted: boolean): Size | null {
  const [size, setSize] = useState<Size | null>(null);
  useLayoutEffect(() => {
    const frame = child.current?.parentElement;
    if (!frame) return;
    const update = () => {
      // The content box, fractional as 100% would be (clientWidth rounds and holds the padding).
      const box = frame.getBoundingClientRect();
      const css = getComputedStyle(frame);
      const px = (v: string) => parseFloat(v) || 0;
      const width =
        box.width -
        frame.offsetWidth +
        frame.clientWidth -
        px(css.paddingLeft) -
        px(css.paddingRight);
      const height =
        box.height -
        frame.offsetHeight +
        frame.clientHeight -
        px(css.paddingTop) -
        px(css.paddingBottom);
      setSize((s) => (s && s.width === width && s.height === height ? s : { width, height }));
    };
    update();
    const observer = new ResizeObserver(update);
    observer.observe(frame);
    return () => observer.disconnect();
  }, [child, mounted]);
  return size;
}
