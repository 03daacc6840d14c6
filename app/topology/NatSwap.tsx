/**
 * A NAT seen happening. At a step that rewrote the packet's destination or
 * source, a tag beside the packet shows the old address struck through and
 * the new one taking its place (a short animation, replayed at each such
 * step, still under prefers-reduced-motion). When the rewrite is a Service's
 * (one side is its VIP), a line ties the Service's badge to the endpoint pod:
 * from the VIP to the endpoint for the DNAT, back from the endpoint to the
 * VIP when the reply is un-DNATed.
 */
import type { Point, Rect } from './geometry.ts';
import type { NatChange } from './nat.ts';
import type { PodLayout } from './layoutAt.ts';
import './services.css';

const HEIGHT = 60;
const PAD = 12;
/** The address font's advance (14px monospace). */
const CHAR = 8.45;

interface Props {
  readonly at: Point;
  readonly nat: NatChange;
  readonly scale?: number;
  /** Half the width of the packet's badge resting there: the tag starts past it. */
  readonly clear?: number;
}

/** Keyed by the step index where used, so the animation replays at each NAT step. */
export function NatSwap({ at, nat, scale = 1, clear = 0 }: Props) {
  const field = nat.what === 'destination' ? 'destination' : 'source';
  const size = scale === 1 ? '' : ` scale(${scale})`;
  // Right of the packet's focus ring (radius 30) and its badge, centred on it.
  const x = Math.max(44, clear + 20);
  const y = -HEIGHT / 2;
  const oldWidth = nat.before.length * CHAR;
  const arrowX = x + PAD + oldWidth + 10;
  const width = PAD * 2 + oldWidth + 34 + nat.after.length * CHAR;
  return (
    <g
      className={`nat-swap ${nat.reply ? 'reply' : 'forward'}`}
      transform={`translate(${at.x} ${at.y})${size}`}
      data-testid="nat-swap"
      data-what={nat.what}
      aria-hidden="true"
    >
      <path className="nat-swap-pointer" d={`M${x},-8 L${x - 10},0 L${x},8 Z`} />
      <rect
        className="nat-swap-box"
        x={x}
        y={y}
        width={Math.max(width, 200)}
        height={HEIGHT}
        rx={10}
      />
      <text className="nat-swap-kind" x={x + PAD} y={y + 22}>
        {nat.kind} · {field}
      </text>
      <g className="nat-old">
        <text className="nat-addr" x={x + PAD} y={y + 48}>
          {nat.before}
        </text>
        <line
          className="nat-strike"
          x1={x + PAD - 3}
          x2={x + PAD + oldWidth + 3}
          y1={y + 43}
          y2={y + 43}
          style={{ strokeDasharray: oldWidth + 6, strokeDashoffset: oldWidth + 6 }}
        />
      </g>
      <text className="nat-new nat-addr" x={arrowX} y={y + 48}>
        <tspan className="nat-arrow">→ </tspan>
        {nat.after}
      </text>
    </g>
  );
}

/** A curve from the Service's badge to the endpoint pod (or back, for a reply). */
export function NatLink({
  badge,
  pod,
  reply,
}: {
  readonly badge: Rect;
  readonly pod: PodLayout;
  readonly reply: boolean;
}) {
  const a = { x: badge.x + badge.w / 2, y: badge.y + badge.h };
  const b = { x: pod.x + pod.w / 2, y: pod.y - 4 };
  const mid = (a.y + b.y) / 2;
  const d = reply
    ? `M${b.x},${b.y} C${b.x},${mid} ${a.x},${mid} ${a.x},${a.y + 4}`
    : `M${a.x},${a.y} C${a.x},${mid} ${b.x},${mid} ${b.x},${b.y}`;
  return (
    <g className={`nat-link${reply ? ' reply' : ''}`} data-testid="nat-link" aria-hidden="true">
      <path className="nat-link-casing" d={d} />
      <path className="nat-link-line" d={d} markerEnd="url(#nat-arrow)" />
      <rect
        className="nat-link-ring"
        x={pod.x - 5}
        y={pod.y - 5}
        width={pod.w + 10}
        height={pod.h + 10}
        rx={15}
      />
    </g>
  );
}
