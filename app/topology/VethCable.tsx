/** A veth pair drawn as a cable: pod eth0 at one end, the host veth (a cni0 port) at the other. */
import { memo } from 'react';
import type { PodLayout } from './layoutAt.ts';
import { polylinePath } from './geometry.ts';

interface Props {
  readonly layout: PodLayout;
  readonly active: boolean;
  readonly portActive: boolean;
}

export const VethCable = memo(function VethCable({ layout, active, portActive }: Props) {
  const { cable, hostVeth, eth0 } = layout;
  if (!hostVeth || !eth0) return null;
  const end = cable[cable.length - 1];
  // Beside the port; a cable from an upper row of pods (eth0 → gap → lane → port) has its name
  // over its run along the gap instead, where the ports of neighbouring lanes do not crowd it.
  const label =
    cable.length === 4
      ? { x: cable[2].x + 6, y: cable[1].y - 6 }
      : { x: end.x + 10, y: end.y - 32 };
  return (
    <g className={`veth${active ? ' active' : ''}`} data-veth={hostVeth.name}>
      <path className="cable-casing" d={polylinePath(cable)} />
      <path className="cable" d={polylinePath(cable)} />
      <text className="veth-label" x={label.x} y={label.y}>
        {hostVeth.name}
      </text>
      <rect
        className={`port host-port${portActive ? ' active' : ''}`}
        x={end.x - 9}
        y={end.y - 7}
        width={18}
        height={14}
        rx={3}
      />
    </g>
  );
});
