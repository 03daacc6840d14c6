/**
 * Where a netfilter or conntrack step happens (see hook.ts): a tag above the place, such
 * as "NAT" over cni0 while the nat table rewrites the packet's destination.
 */
import type { Point } from './geometry.ts';

interface Props {
  readonly at: Point;
  readonly label: string;
  /** A packet glyph arrives at the place: the badge sits above its focus ring, not on it. */
  readonly lifted?: boolean;
  readonly scale?: number;
}

const HEIGHT = 26;

/** The badge's width for a label (13 px bold, about 9.5 units a character). */
export const hookBadgeWidth = (label: string) => 24 + label.length * 9.5;

export function HookBadge({ at, label, lifted = false, scale = 1 }: Props) {
  const width = hookBadgeWidth(label);
  // In the middle of the hop's focus ring (radius 30), or clear above it.
  const top = lifted ? -40 - HEIGHT : -HEIGHT / 2;
  const size = scale === 1 ? '' : ` scale(${scale})`;
  return (
    <g
      className={`hook-badge hook-${label.toLowerCase()}`}
      transform={`translate(${at.x} ${at.y})${size}`}
      data-testid="hook-badge"
      aria-hidden="true"
    >
      <rect x={-width / 2} y={top} width={width} height={HEIGHT} rx={HEIGHT / 2} />
      <text y={top + HEIGHT / 2 + 5}>{label}</text>
    </g>
  );
}
