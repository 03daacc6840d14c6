/**
 * The laser pointer: a red dot under the mouse, drawn over everything and never in the way of
 * a click. It moves by writing its transform on pointer moves (no React render per move).
 */
import { useEffect, useRef } from 'react';

export function Laser() {
  const dot = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const move = (e: PointerEvent) => {
      const el = dot.current;
      if (!el) return;
      el.style.transform = `translate(${e.clientX}px, ${e.clientY}px)`;
      el.hidden = false;
    };
    const leave = () => {
      if (dot.current) dot.current.hidden = true;
    };
    window.addEventListener('pointermove', move);
    document.documentElement.addEventListener('pointerleave', leave);
    return () => {
      window.removeEventListener('pointermove', move);
      document.documentElement.removeEventListener('pointerleave', leave);
    };
  }, []);
  return <div className="laser" ref={dot} data-testid="laser" aria-hidden="true" hidden />;
}
