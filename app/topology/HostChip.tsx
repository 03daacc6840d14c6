/**
 * A host interface that is neither a veth nor the bridge: the node's eth0,
 * flannel.1, and in IPVS mode kube-ipvs0 — a dummy device, left down, that
 * kube-proxy binds every ClusterIP to (/32 each) so the kernel takes packets
 * to them as local and IPVS sees them at LOCAL_IN.
 */
import { memo } from 'react';
import type { ChipLayout } from './layoutAt.ts';

interface Props {
  readonly layout: ChipLayout;
  readonly active: boolean;
}

/** "10.96.0.1 10.100.6.156 +3": as many of the /32s as fit on the chip's second line. */
function heldText(held: readonly string[]): string {
  if (!held.length) return 'dummy · no addresses yet';
  let text = '';
  let shown = 0;
  for (const ip of held) {
    const next = text ? `${text} ${ip}` : ip;
    const rest = held.length - shown - 1;
    if (next.length + (rest ? ` +${rest}`.length : 0) > 26 && shown) break;
    text = next;
    shown++;
  }
  return shown < held.length ? `${text} +${held.length - shown}` : text;
}

export const HostChip = memo(function HostChip({ layout, active }: Props) {
  const { x, y, w, h, iface } = layout;
  return (
    <g
      className={`chip chip-${iface.kind}${active ? ' active' : ''}${layout.ghost ? ' ghost' : ''}`}
      data-iface={iface.name}
    >
      {layout.held && (
        <title>{`${iface.name}: ${layout.held.map((ip) => `${ip}/32`).join(', ')}`}</title>
      )}
      <rect x={x} y={y} width={w} height={h} rx={8} />
      <text className="chip-name" x={x + 12} y={y + 19}>
        {iface.name}
        <tspan className="chip-ip" dx={8}>
          {layout.held
            ? `${layout.held.length} VIP${layout.held.length === 1 ? '' : 's'}`
            : iface.ip
              ? `${iface.ip}/${iface.prefixLength ?? 32}`
              : ''}
        </tspan>
      </text>
      {layout.held ? (
        <text className="chip-mac" x={x + 12} y={y + 36}>
          {heldText(layout.held)}
        </text>
      ) : (
        <text className="chip-mac" x={x + 12} y={y + 36}>
          {iface.mac}
        </text>
      )}
    </g>
  );
});
