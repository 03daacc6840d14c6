/** The cni0 bridge: a software switch on the host, with its own IP (the pods' gateway) and MAC. */
import { memo } from 'react';
import type { BridgeLayout } from './layoutAt.ts';

interface Props {
  readonly layout: BridgeLayout;
  readonly active: boolean;
}

/** Below this width the name, address and MAC fill the bar; the "bridge" tag would overlap them. */
const MIN_WIDTH_FOR_KIND = 440;

export const BridgeBar = memo(function BridgeBar({ layout, active }: Props) {
  const { x, y, w, h, iface } = layout;
  const address = iface.ip ? `${iface.ip}/${iface.prefixLength ?? 24}` : 'no address';
  if (layout.ghost) {
    return (
      <g className="bridge ghost" data-bridge={iface.name}>
        <rect className="bridge-bar" x={x} y={y} width={w} height={h} rx={10} />
        <text className="bridge-name" x={x + 16} y={y + h - 15}>
          {iface.name}
          <tspan className="bridge-detail" dx={12}>
            not created yet: the bridge plugin adds it for the first pod
          </tspan>
        </text>
      </g>
    );
  }
  return (
    <g className={`bridge${active ? ' active' : ''}`} data-bridge={iface.name}>
      <rect className="bridge-bar" x={x} y={y} width={w} height={h} rx={10} />
      <text className="bridge-name" x={x + 16} y={y + h - 15}>
        {iface.name}
        <tspan className="bridge-detail" dx={12}>
          {address}
        </tspan>
        <tspan className="bridge-detail" dx={12}>
          {iface.mac}
        </tspan>
      </text>
      {w >= MIN_WIDTH_FOR_KIND && (
        <text className="bridge-kind" x={x + w - 16} y={y + h - 16}>
          bridge
        </text>
      )}
    </g>
  );
});
