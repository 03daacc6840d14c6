/** The node network: the L2 segment the nodes' eth0 interfaces share. */
import { memo } from 'react';
import type { TopologyGeometry } from './layout.ts';
import { polylinePath } from './geometry.ts';
import { pressable } from './pressable.ts';
import { useStore } from '../state/store.ts';

export const NodeNetwork = memo(function NodeNetwork({
  layout,
  cidr,
}: {
  readonly layout: Pick<TopologyGeometry, 'buses' | 'drops'>;
  readonly cidr: string;
}) {
  return (
    <g className="node-network">
      {layout.drops.map((d, i) => (
        <path key={i} className="drop" d={polylinePath(d)} />
      ))}
      {layout.buses.map((b, i) => (
        <g
          key={i}
          className="bus-face"
          {...pressable(`Node network ${cidr}: the links between the nodes`, () =>
            useStore.getState().openObjectCard({ kind: 'network' }),
          )}
        >
          {/* A wide invisible stroke: the 2-px bus is hard to hit with a mouse. */}
          <line className="bus-hit" x1={b.x1} x2={b.x2} y1={b.y} y2={b.y} />
          <line className="bus" x1={b.x1} x2={b.x2} y1={b.y} y2={b.y} />
          {/* Under the bus's left end: the zoom buttons sit over the picture's bottom right. */}
          <text className="bus-label" x={b.x1 + 4} y={b.y + 24}>
            node network {cidr}
          </text>
        </g>
      ))}
    </g>
  );
});
