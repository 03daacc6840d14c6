/** A pod sandbox: its network namespace's eth0 (IP, MAC), its containers, and the pause container. */
import type { ContainerStatus } from '@kubewire/sim-core';
import type { PodLayout } from './layout.ts';
import { M } from './metrics.ts';
import { shortId, truncate } from '../ui/text.ts';

interface Props {
  readonly layout: PodLayout;
  readonly active: boolean;
  readonly eth0Active: boolean;
}

const stateClass: Record<ContainerStatus['state'], string> = {
  running: 'ok',
  waiting: 'warn',
  terminated: 'bad',
};

export function PodBox({ layout, active, eth0Active }: Props) {
  const { pod, x, y, w, h, eth0, eth0At } = layout;
  const rowsTop = y + M.podHeader;
  return (
    <g className={`pod${active ? ' active' : ''}`} data-pod={`${pod.namespace}/${pod.name}`}>
      <rect className="pod-box" x={x} y={y} width={w} height={h} rx={12} />
      <text className="pod-name" x={x + 14} y={y + 26}>
        <tspan className="muted">{pod.namespace}/</tspan>
        {truncate(pod.name, 22 - pod.namespace.length)}
      </text>
      <text className={`pod-phase phase-${pod.phase.toLowerCase()}`} x={x + w - 14} y={y + 26}>
        {pod.phase}
      </text>
      <text className="pod-ip" x={x + 14} y={y + 52}>
        {pod.ip ?? (pod.reason ? truncate(pod.reason, 28) : 'no IP yet')}
      </text>
      <text className="pod-mac" x={x + 14} y={y + 73}>
        {eth0 ? `eth0 ${eth0.mac}` : ''}
      </text>
      <line className="pod-rule" x1={x + 12} x2={x + w - 12} y1={rowsTop - 6} y2={rowsTop - 6} />
      {pod.containers.map((c, i) => (
        <g key={c.name} className="container">
          <circle
            className={`dot ${stateClass[c.state]}`}
            cx={x + 20}
            cy={rowsTop + 9 + i * M.containerRow}
            r={4.5}
          />
          <text x={x + 32} y={rowsTop + 14 + i * M.containerRow}>
            {truncate(c.name, 12)} <tspan className="muted">{c.state}</tspan>
          </text>
          <text className="restarts" x={x + w - 14} y={rowsTop + 14 + i * M.containerRow}>
            ↻ {c.restartCount}
          </text>
        </g>
      ))}
      <g className="container pause">
        <rect
          x={x + 15.5}
          y={rowsTop + 4.5 + pod.containers.length * M.containerRow}
          width={9}
          height={9}
          rx={2}
        />
        <text x={x + 32} y={rowsTop + 14 + pod.containers.length * M.containerRow}>
          pause <tspan className="muted">sandbox {shortId(pod.sandboxId, 8)}</tspan>
        </text>
      </g>
      {eth0 && (
        <g className={`port pod-port${eth0Active ? ' active' : ''}`}>
          <rect x={eth0At.x - 24} y={eth0At.y - 11} width={48} height={22} rx={6} />
          <text x={eth0At.x} y={eth0At.y + 5}>
            eth0
          </text>
        </g>
      )}
    </g>
  );
}
