/**
 * The moving packet. Its position is a pure function of (hop, progress);
 * progress changes every frame, so it is read through a store subscription
 * that moves the glyphs directly instead of re-rendering React.
 */
import { useLayoutEffect, useRef } from 'react';
import { easeCubicInOut } from 'd3';
import type { Hop } from './hop.ts';
import { pointAlong } from './geometry.ts';
import { useStore } from '../state/store.ts';

const LABELS: Record<string, string> = {
  arp: 'ARP',
  icmp: 'ICMP',
  tcp: 'TCP',
  udp: 'UDP',
  dns: 'DNS',
  vxlan: 'VXLAN',
  ipv4: 'IPv4',
  eth: 'ETH',
};

interface Props {
  readonly hop: Hop;
  readonly title: string;
  /** Drawn this many times its size: a big cluster's map would shrink it out of sight. */
  readonly scale?: number;
}

export function PacketGlyph({ hop, title, scale = 1 }: Props) {
  const refs = useRef<(SVGGElement | null)[]>([]);

  useLayoutEffect(() => {
    const place = (progress: number) => {
      hop.paths.forEach((path, i) => {
        const p = pointAlong(path, easeCubicInOut(progress));
        const size = scale === 1 ? '' : ` scale(${scale})`;
        refs.current[i]?.setAttribute('transform', `translate(${p.x} ${p.y})${size}`);
      });
    };
    place(useStore.getState().progress);
    return useStore.subscribe((s, prev) => {
      if (s.progress !== prev.progress) place(s.progress);
    });
  }, [hop, scale]);

  if (!hop.protocol) return null;
  const label = LABELS[hop.protocol] ?? hop.protocol.toUpperCase();
  const width = 18 + label.length * 10;
  return (
    <g className={`packet proto-${hop.protocol}`} aria-hidden="true">
      {hop.paths.map((_, i) => (
        <g key={i} ref={(el) => void (refs.current[i] = el)} data-testid="packet">
          <title>{title}</title>
          <circle className="packet-halo" r={width / 2 + 8} />
          {hop.encapsulated && (
            <g className="envelope">
              <rect x={-width / 2 - 7} y={-25} width={width + 14} height={46} rx={11} />
              <text y={-14}>VXLAN</text>
            </g>
          )}
          <rect x={-width / 2} y={hop.encapsulated ? -9 : -14} width={width} height={28} rx={8} />
          <text y={hop.encapsulated ? 10.5 : 5.5}>{label}</text>
        </g>
      ))}
    </g>
  );
}
