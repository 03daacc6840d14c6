/**
 * A pod sandbox: its network namespace's eth0 (IP, MAC), its containers and
 * the pause container. Before its sandbox exists (or after it is deleted)
 * the pod keeps its place as a dashed ghost, so nothing moves while scrubbing.
 */
import { memo } from 'react';
import type { ContainerStatus } from '@kubewire/sim-core';
import type { PodLayout } from './layoutAt.ts';
import { M } from './metrics.ts';
import { shortId, truncate } from '../ui/text.ts';
import { useStore } from '../state/store.ts';
import { pressable } from './pressable.ts';

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

/** A Deployment's pod names differ at their end ("web-5b8cff8d54-wpds5"): keep it, cut the middle. */
function middle(name: string, max: number): string {
  if (name.length <= max) return name;
  const tail = Math.min(6, Math.floor((max - 1) / 2));
  return `${name.slice(0, max - 1 - tail)}…${name.slice(name.length - tail)}`;
}

export const PodBox = memo(function PodBox({ layout, active, eth0Active }: Props) {
  const { slot, pod, deleted, x, y, w, h, eth0, eth0At } = layout;
  const rowsTop = y + M.podHeader;
  const rowY = (i: number) => rowsTop + 14 + i * M.containerRow;
  const containers = pod?.containers ?? [];
  const phase = pod ? pod.phase : '';
  return (
    <g
      className={`pod${active ? ' active' : ''}${pod ? '' : ' ghost'}${deleted ? ' deleted' : ''}`}
      data-pod={`${slot.namespace}/${slot.name}`}
      // The pod's card: its facts, its faults, its resolv.conf.
      {...pressable(
        `Pod ${slot.namespace}/${slot.name}${pod?.ip ? ` ${pod.ip}` : ''}${pod ? `, ${phase}` : deleted ? ', deleted' : ''}`,
        () => useStore.getState().openPodCard(`${slot.namespace}/${slot.name}`),
      )}
    >
      <rect className="pod-box" x={x} y={y} width={w} height={h} rx={12} />
      <text className="pod-name" x={x + 14} y={y + 26}>
        <tspan className="muted">{slot.namespace}/</tspan>
        {middle(slot.name, 20 - slot.namespace.length)}
      </text>
      <text className={`pod-phase phase-${phase.toLowerCase()}`} x={x + w - 14} y={y + 52}>
        {phase}
      </text>
      <text className="pod-ip" x={x + 14} y={y + 52}>
        {pod?.ip ??
          (pod?.reason
            ? truncate(pod.reason, 16)
            : pod
              ? 'no IP yet'
              : deleted
                ? 'deleted'
                : 'no sandbox yet')}
      </text>
      <text className="pod-mac" x={x + 14} y={y + 73}>
        {eth0
          ? `eth0 ${eth0.mac}`
          : pod
            ? 'no eth0 yet'
            : deleted
              ? 'sandbox and IP released'
              : 'kubelet has not created it'}
      </text>
      <line className="pod-rule" x1={x + 12} x2={x + w - 12} y1={rowsTop - 6} y2={rowsTop - 6} />
      {pod
        ? containers.map((c, i) => (
            <g key={c.name} className="container">
              <circle
                className={`dot ${stateClass[c.state]}`}
                cx={x + 20}
                cy={rowY(i) - 5}
                r={4.5}
              />
              <text x={x + 32} y={rowY(i)}>
                {truncate(c.name, 12)} <tspan className="muted">{c.state}</tspan>
              </text>
              <text className="restarts" x={x + w - 14} y={rowY(i)}>
                ↻ {c.restartCount}
              </text>
            </g>
          ))
        : slot.containers.map((name, i) => (
            <text key={name} className="container ghost-text" x={x + 32} y={rowY(i)}>
              {truncate(name, 24)}
            </text>
          ))}
      {pod && (
        <g className="container pause">
          <rect x={x + 15.5} y={rowY(containers.length) - 9.5} width={9} height={9} rx={2} />
          <text x={x + 32} y={rowY(containers.length)}>
            pause <tspan className="muted">sandbox {shortId(pod.sandboxId, 8)}</tspan>
          </text>
        </g>
      )}
      {eth0 && (
        <g className={`port pod-port${eth0Active ? ' active' : ''}`}>
          <rect x={eth0At.x - 24} y={eth0At.y - 11} width={48} height={22} rx={6} />
          <text x={eth0At.x} y={eth0At.y + 5}>
            {eth0.name}
          </text>
        </g>
      )}
    </g>
  );
});
