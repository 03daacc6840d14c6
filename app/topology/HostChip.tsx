/** A host interface that is neither a veth nor the bridge: the node's eth0, flannel.1. */
import { memo } from 'react';
import type { ChipLayout } from './layoutAt.ts';

interface Props {
  readonly layout: ChipLayout;
  readonly active: boolean;
}

export const HostChip = memo(function HostChip({ layout, active }: Props) {
  const { x, y, w, h, iface } = layout;
  return (
    <g
      className={`chip chip-${iface.kind}${active ? ' active' : ''}${layout.ghost ? ' ghost' : ''}`}
      data-iface={iface.name}
    >
      <rect x={x} y={y} width={w} height={h} rx={8} />
      <text className="chip-name" x={x + 12} y={y + 19}>
        {iface.name}
        <tspan className="chip-ip" dx={8}>
          {iface.ip ? `${iface.ip}/${iface.prefixLength ?? 32}` : ''}
        </tspan>
      </text>
      <text className="chip-mac" x={x + 12} y={y + 36}>
        {iface.mac}
      </text>
    </g>
  );
});
