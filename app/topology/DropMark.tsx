/**
 * A drop shown as a drop: a red ✕ at the device where the packet died, and the reason beside
 * it ("dropped: filter INPUT DROP (rule 1)"). Drawn in the topology itself, not the overlay,
 * so a screen reader finds it by its name.
 */
import type { Point } from './geometry.ts';
import type { Drop } from './drop.ts';

/** The reason's font advance (13px bold sans), a character. */
const CHAR = 7.6;
const HEIGHT = 28;

interface Props {
  readonly drop: Drop;
  readonly at: Point;
  /** How far below the place the mark starts (past the packet's badge resting there). */
  readonly clear: number;
  /** The drawing's width: the mark is kept inside it. */
  readonly width: number;
  readonly scale?: number;
}

export function DropMark({ drop, at, clear, width: drawing, scale = 1 }: Props) {
  // A pod's netns id ends in its name ("node-1/default/client"); a node's is its name.
  const owner =
    drop.place.netns === drop.place.node
      ? drop.place.node
      : (drop.place.netns.split('/').pop() ?? drop.place.node);
  const where = drop.place.iface ? `${owner} ${drop.place.iface}` : owner;
  const width = 44 + drop.reason.length * CHAR;
  // Centred under the packet, moved in from the drawing's edges.
  const left = at.x - (width / 2) * scale;
  const shift = Math.max(0, -left) - Math.max(0, left + width * scale - drawing);
  const x = -width / 2 + shift / scale;
  const size = scale === 1 ? '' : ` scale(${scale})`;
  return (
    <g
      className="drop-mark"
      data-testid="drop-mark"
      role="img"
      aria-label={`Packet ${drop.reason.replace(/^(\w+):/, '$1 at ' + where + ':')}`}
      transform={`translate(${at.x} ${at.y + clear * scale})${size}`}
    >
      <rect className="drop-pill" x={x} y={0} width={width} height={HEIGHT} rx={14} />
      <circle className="drop-x-disc" cx={x + 16} cy={HEIGHT / 2} r={10} />
      <path
        className="drop-x"
        d={`M${x + 11},9 L${x + 21},19 M${x + 21},9 L${x + 11},19`}
        aria-hidden="true"
      />
      <text className="drop-reason" x={x + 34} y={HEIGHT / 2 + 4.5}>
        {drop.reason}
      </text>
    </g>
  );
}
