/**
 * A node seen from afar (see detail.ts): its outline, a name large enough to
 * read at the map's scale, its cables, its bridge and a square per pod that
 * shows whether the pod exists or failed; `TileHighlight` marks where the
 * step happens.
 *
 * The squares of one look are one <path>: a map of 2 500 pods is then a few
 * hundred elements, not thousands, for the browser to style and paint. The
 * tile itself does not change with the step (only with its pods' states);
 * the step's pod, bridge or interface is lit by `TileHighlight` in the
 * overlay over the map (TopologyView.tsx), so stepping across the map
 * repaints a few shapes, not the map.
 */
import { memo } from 'react';
import type { NodeLayout, PodLayout } from './layoutAt.ts';
import { anchorKey } from './layout.ts';
import { polylinePath, type Rect } from './geometry.ts';

/** A pod square's look: its phase, or a ghost (not created yet, or deleted). */
function podState(p: PodLayout): string {
  return p.pod ? `phase-${p.pod.phase.toLowerCase()}` : p.deleted ? 'ghost deleted' : 'ghost';
}

/** SVG path data for a rectangle with corners of radius `r`, as <rect rx={r}> draws it. */
export function roundedRect({ x, y, w, h }: Rect, r: number): string {
  const rx = Math.min(r, w / 2);
  const ry = Math.min(r, h / 2);
  return `M${x + rx},${y}h${w - 2 * rx}a${rx},${ry} 0 0 1 ${rx},${ry}v${h - 2 * ry}a${rx},${ry} 0 0 1 ${-rx},${ry}h${2 * rx - w}a${rx},${ry} 0 0 1 ${-rx},${-ry}v${2 * ry - h}a${rx},${ry} 0 0 1 ${rx},${-ry}z`;
}

const STATE_WORDS: Readonly<Record<string, string>> = {
  'phase-running': 'running',
  'phase-pending': 'pending',
  'phase-failed': 'failed',
  'phase-succeeded': 'succeeded',
  ghost: 'not created yet',
  'ghost deleted': 'deleted',
};

/** "node-3: 50 pods — 48 running, 2 pending". */
export function tileSummary(node: string, counts: ReadonlyMap<string, number>): string {
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const parts = [...counts].map(([state, n]) => `${n} ${STATE_WORDS[state] ?? state}`);
  return `${node}: ${total} pod${total === 1 ? '' : 's'}${parts.length ? ` — ${parts.join(', ')}` : ''}`;
}

interface Props {
  readonly layout: NodeLayout;
  /** The name's font size, in user units. */
  readonly label: number;
}

export const NodeTile = memo(function NodeTile({ layout, label }: Props) {
  const { node, x, y, w, h, bridge, pods, chips } = layout;
  const cables = pods
    .filter((p) => p.eth0 && p.hostVeth)
    .map((p) => polylinePath(p.cable))
    .join('');
  // The squares by look, in the order pods are drawn.
  const squares = new Map<string, string[]>();
  for (const p of pods) {
    const state = podState(p);
    const list = squares.get(state) ?? [];
    list.push(roundedRect(p, 12));
    squares.set(state, list);
  }
  const counts = new Map([...squares].map(([state, list]) => [state, list.length]));
  return (
    <g className="node tile" data-node={node.name} data-pods={pods.length}>
      <title>{tileSummary(node.name, counts)}</title>
      <rect className="node-box" x={x} y={y} width={w} height={h} rx={16} />
      {cables && <path className="tile-cables" d={cables} />}
      {bridge && <TileRect className="tile-bridge" box={bridge} rx={10} />}
      {[...squares].map(([state, list]) => (
        <path key={state} className={`pod-tile ${state}`} d={list.join('')} />
      ))}
      {chips.map((c) => (
        <TileRect key={c.iface.name} className="tile-chip" box={c} rx={8} />
      ))}
      <text className="tile-label" x={x + w / 2} y={y + h / 2} fontSize={label}>
        {node.name}
      </text>
    </g>
  );
});

interface HighlightProps {
  readonly layout: NodeLayout;
  /** As NodeBox's: the step's anchor keys on this node, one per line. */
  readonly active: string;
  /** The tile's name at its font size: drawn again over a lit pod, so the name stays on top. */
  readonly label: number;
}

/** Where the step happens on a tile: its pod squares, the bridge or a host interface, lit. */
export const TileHighlight = memo(function TileHighlight({
  layout,
  active: activeKeys,
  label,
}: HighlightProps) {
  const { node, x, y, w, h, bridge, pods, chips, hostNetns } = layout;
  const active = new Set(activeKeys.split('\n'));
  const host = hostNetns?.id ?? node.name;
  const on = (iface?: string) => active.has(anchorKey(host, iface));
  const lit = pods.filter(
    (p) =>
      active.has(anchorKey(p.netns)) || (!!p.eth0 && active.has(anchorKey(p.netns, p.eth0.name))),
  );
  const litBridge = bridge && on(bridge.iface.name);
  const litChips = chips.filter((c) => on(c.iface.name));
  if (!lit.length && !litBridge && !litChips.length) return null;
  return (
    <g className="tile tile-highlight" data-node={node.name}>
      {litBridge && (
        <rect
          className={`tile-bridge active${bridge.ghost ? ' ghost' : ''}`}
          x={bridge.x}
          y={bridge.y}
          width={bridge.w}
          height={bridge.h}
          rx={10}
        />
      )}
      {lit.map((p) => (
        <rect
          key={p.key}
          className={`pod-tile ${podState(p)} active`}
          data-tile-pod={p.key}
          x={p.x}
          y={p.y}
          width={p.w}
          height={p.h}
          rx={12}
        >
          <title>{`${p.key}${p.pod?.ip ? ` (${p.pod.ip})` : ''}: where this step happens`}</title>
        </rect>
      ))}
      {litChips.map((c) => (
        <rect
          key={c.iface.name}
          className={`tile-chip active${c.ghost ? ' ghost' : ''}`}
          x={c.x}
          y={c.y}
          width={c.w}
          height={c.h}
          rx={8}
        />
      ))}
      {lit.length > 0 && (
        <text className="tile-label" x={x + w / 2} y={y + h / 2} fontSize={label}>
          {node.name}
        </text>
      )}
    </g>
  );
});

/** A tile's bridge bar or interface chip: a rounded box, faded while it is a ghost (created later). */
function TileRect({
  className,
  box,
  rx,
}: {
  className: string;
  box: { x: number; y: number; w: number; h: number; ghost?: boolean };
  rx: number;
}) {
  return (
    <rect
      className={`${className}${box.ghost ? ' ghost' : ''}`}
      x={box.x}
      y={box.y}
      width={box.w}
      height={box.h}
      rx={rx}
    />
  );
}
