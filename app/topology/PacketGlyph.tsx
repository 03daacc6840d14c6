/**
 * The moving packet. Its position is a pure function of (hop, progress);
 * progress changes every frame, so it is read through a store subscription
 * that moves the glyphs directly instead of re-rendering React. A VXLAN
 * packet travels inside an envelope labelled with the tunnel: it closes
 * around the packet at the encap step and comes off at the decap step.
 */
import { useLayoutEffect, useRef } from 'react';
import { easeCubicInOut } from 'd3';
import type { Hop } from './hop.ts';
import { pointAlong } from './geometry.ts';
import { badgeWidth } from './badge.ts';
import { useStore } from '../state/store.ts';

/** Without a VXLAN header to read the port from (never, for a real tunnel packet): flannel's. */
const ENVELOPE_LABEL = 'VXLAN · UDP 8472';
const ENVELOPE_MIN_WIDTH = 132;

/**
 * The envelope along the step, as a pure function of its progress (so a scrub or a step
 * back shows the same picture): at encap it closes in around the packet from 1.7 times its
 * size, at decap it lifts off and fades. Progress is 1 at once under prefers-reduced-motion.
 */
function envelopeAt(el: SVGGElement, wrap: Hop['wrap'], t: number): void {
  if (!wrap) {
    // Between encap and decap the envelope just travels (the element may be a reused one).
    el.removeAttribute('transform');
    el.style.opacity = '';
    el.style.visibility = '';
    return;
  }
  const k = wrap === 'gain' ? 1 - t : t;
  const scale = wrap === 'gain' ? 1 + 0.7 * k : 1 + 0.25 * k;
  const lift = wrap === 'gain' ? 0 : -34 * k;
  el.setAttribute('transform', `translate(0 ${lift}) scale(${scale})`);
  el.style.opacity = String(wrap === 'gain' ? Math.min(1, t * 1.6) : 1 - t);
  el.style.visibility = wrap === 'lose' && t >= 1 ? 'hidden' : '';
}

/** The copy of a flood that carries the badge: the one ending nearest the middle of them all. */
function middleCopy(paths: Hop['paths']): number {
  const ends = paths.map((p) => p[p.length - 1]).filter(Boolean);
  if (ends.length < 2) return 0;
  const cx = ends.reduce((a, p) => a + p.x, 0) / ends.length;
  const cy = ends.reduce((a, p) => a + p.y, 0) / ends.length;
  let best = 0;
  ends.forEach((p, i) => {
    if (Math.hypot(p.x - cx, p.y - cy) < Math.hypot(ends[best].x - cx, ends[best].y - cy)) best = i;
  });
  return best;
}

interface Props {
  readonly hop: Hop;
  readonly title: string;
  /** Drawn this many times its size: a big cluster's map would shrink it out of sight. */
  readonly scale?: number;
}

export function PacketGlyph({ hop, title, scale = 1 }: Props) {
  const refs = useRef<(SVGGElement | null)[]>([]);
  const envelopes = useRef<(SVGGElement | null)[]>([]);

  useLayoutEffect(() => {
    const place = (progress: number) => {
      hop.paths.forEach((path, i) => {
        const p = pointAlong(path, easeCubicInOut(progress));
        const size = scale === 1 ? '' : ` scale(${scale})`;
        refs.current[i]?.setAttribute('transform', `translate(${p.x} ${p.y})${size}`);
        const env = envelopes.current[i];
        if (env) envelopeAt(env, hop.wrap, easeCubicInOut(progress));
      });
    };
    place(useStore.getState().progress);
    return useStore.subscribe((s, prev) => {
      if (s.progress !== prev.progress) place(s.progress);
    });
  }, [hop, scale]);

  if (!hop.protocol || !hop.badge) return null;
  const { outer } = hop.badge;
  // A flood sends one copy out of every port: the copies are dots, and one badge counts them
  // ("ARP req ×12") instead of a pile of overlapping badges.
  const copies = hop.paths.length;
  const labelled = middleCopy(hop.paths);
  const label = copies > 1 ? `${hop.badge.label} ×${copies}` : hop.badge.label;
  const width = badgeWidth(label);
  // The envelope: on from the encap step (drawn closing around the packet there) to the decap
  // step, where it is drawn coming off; under prefers-reduced-motion only the end state shows.
  const envelope = hop.wrap === 'lose' ? 'lose' : hop.encapsulated ? (hop.wrap ?? 'kept') : null;
  const boxed = envelope !== null;
  const outerWidth = Math.max(width + 14, ENVELOPE_MIN_WIDTH);
  return (
    <g
      className={`packet proto-${hop.protocol}`}
      aria-hidden="true"
      data-envelope={envelope ?? 'none'}
      data-copies={copies}
    >
      {hop.paths.map((_, i) => (
        <g
          key={i}
          ref={(el) => void (refs.current[i] = el)}
          data-testid={i === labelled ? 'packet' : 'packet-copy'}
        >
          <title>{title}</title>
          {i !== labelled ? (
            <circle className="packet-copy" r={7} />
          ) : (
            <>
              <circle className="packet-halo" r={(envelope ? outerWidth : width) / 2 + 8} />
              {envelope && (
                <g
                  className={`envelope ${envelope}`}
                  ref={(el) => void (envelopes.current[i] = el)}
                >
                  <rect x={-outerWidth / 2} y={-25} width={outerWidth} height={46} rx={11} />
                  <text y={-13}>{outer ?? ENVELOPE_LABEL}</text>
                </g>
              )}
              <rect x={-width / 2} y={boxed ? -9 : -14} width={width} height={28} rx={8} />
              <text className="packet-label" y={boxed ? 10.5 : 5.5}>
                {label}
              </text>
            </>
          )}
        </g>
      ))}
    </g>
  );
}
