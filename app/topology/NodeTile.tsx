/**
 * A node seen from afar (see detail.ts): its outline, a name large enough to
 * read at the map's scale, its cables, its bridge and a square per pod that
 * shows whether the pod exists, failed, or is where the step happens.
 */
import { memo } from 'react';
import type { NodeLayout, PodLayout } from './layoutAt.ts';
import { anchorKey } from './layout.ts';
import { polylinePath } from './geometry.ts';

interface Props {
  readonly layout: NodeLayout;
  /** As NodeBox's: the step's anchor keys on this node, one per line. */
  readonly active: string;
  /** The name's font size, in user units. */
  readonly label: number;
}

function podClass(p: PodLayout, active: ReadonlySet<string>): string {
  const state = p.pod
    ? `phase-${p.pod.phase.toLowerCase()}`
    : p.deleted
      ? 'ghost deleted'
      : 'ghost';
  const on =
    active.has(anchorKey(p.netns)) || (!!p.eth0 && active.has(anchorKey(p.netns, p.eth0.name)));
  return `pod-tile ${state}${on ? ' active' : ''}`;
}

export const NodeTile = memo(function NodeTile({ layout, active: activeKeys, label }: Props) {
  const { node, x, y, w, h, bridge, pods, chips, hostNetns } = layout;
  const active = new Set(activeKeys ? activeKeys.split('\n') : []);
  const host = hostNetns?.id ?? node.name;
  const on = (iface?: string) => active.has(anchorKey(host, iface));
  const cables = pods
    .filter((p) => p.eth0 && p.hostVeth)
    .map((p) => polylinePath(p.cable))
    .join('');
  return (
    <g className="node tile" data-node={node.name}>
      <rect className="node-box" x={x} y={y} width={w} height={h} rx={16} />
      {cables && <path className="tile-cables" d={cables} />}
      {bridge && (
        <rect
          className={`tile-bridge${bridge.ghost ? ' ghost' : ''}${on(bridge.iface.name) ? ' active' : ''}`}
          x={bridge.x}
          y={bridge.y}
          width={bridge.w}
          height={bridge.h}
          rx={10}
        />
      )}
      {pods.map((p) => (
        <rect
          key={p.key}
          className={podClass(p, active)}
          x={p.x}
          y={p.y}
          width={p.w}
          height={p.h}
          rx={12}
        />
      ))}
      {chips.map((c) => (
        <rect
          key={c.iface.name}
          className={`tile-chip${c.ghost ? ' ghost' : ''}${on(c.iface.name) ? ' active' : ''}`}
          x={c.x}
          y={c.y}
          width={c.w}
          height={c.h}
          rx={8}
        />
      ))}
      <text className="tile-label" x={x + w / 2} y={y + h / 2} fontSize={label}>
        {node.name}
      </text>
    </g>
  );
});
