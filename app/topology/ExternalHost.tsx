/**
 * A machine on the node network outside the cluster (the Cluster's
 * spec.hosts, e.g. a laptop): one network namespace with an eth0 on the same
 * L2 segment as the nodes' eth0, no kubelet, no pods, no kube-proxy. Drawn
 * as a small machine below the node network, cabled up to it like a node.
 */
import { memo } from 'react';
import type { ExternalLayout } from './layoutAt.ts';
import { HostChip } from './HostChip.tsx';
import './services.css';

interface Props {
  readonly layout: ExternalLayout;
  /** The current step is in its stack (not on an interface). */
  readonly active: boolean;
  readonly eth0Active: boolean;
}

export const ExternalHost = memo(function ExternalHost({ layout, active, eth0Active }: Props) {
  const { x, y, w, h, netns, chip } = layout;
  return (
    <g className={`external${active ? ' active' : ''}`} data-external={netns.id}>
      <rect className="external-box" x={x} y={y} width={w} height={h} rx={14} />
      {/* A screen and keyboard: a computer that is not a node. */}
      <g
        className="external-icon"
        transform={`translate(${x + 18} ${y + h - 46})`}
        aria-hidden="true"
      >
        <rect x={2} y={0} width={26} height={17} rx={2.5} />
        <path d="M0 21 H30 L27 24 H3 Z" />
      </g>
      <text className="external-name" x={x + 58} y={y + h - 34}>
        {netns.id}
      </text>
      <text className="external-detail" x={x + 58} y={y + h - 14}>
        outside the cluster
      </text>
      {chip && <HostChip layout={chip} active={eth0Active} />}
    </g>
  );
});
