/** One Kubernetes node: its host network namespace with cni0, the pods on it and their veth cables. */
import { memo } from 'react';
import type { NodeLayout } from './layoutAt.ts';
import { anchorKey } from './layout.ts';
import { BridgeBar } from './BridgeBar.tsx';
import { HostChip } from './HostChip.tsx';
import { PodBox } from './PodBox.tsx';
import { VethCable } from './VethCable.tsx';
import { pressable } from './pressable.ts';
import { useStore } from '../state/store.ts';

interface Props {
  readonly layout: NodeLayout;
  /**
   * Anchor keys (see anchorKey) of the current step's places on this node, one per line: a
   * string, so a node the step does not touch gets '' again and is not redrawn.
   */
  readonly active: string;
}

export const NodeBox = memo(function NodeBox({ layout, active: activeKeys }: Props) {
  const { node, x, y, w, h, bridge, pods, chips, hostNetns } = layout;
  const active = new Set(activeKeys ? activeKeys.split('\n') : []);
  const host = hostNetns?.id ?? node.name;
  const on = (iface?: string) => active.has(anchorKey(host, iface));
  return (
    <g className="node" data-node={node.name}>
      <g
        className="node-face"
        {...pressable(`Node ${node.name} ${node.ip}`, () =>
          useStore.getState().openObjectCard({ kind: 'node', node: node.name }),
        )}
      >
        <rect className="node-box" x={x} y={y} width={w} height={h} rx={16} />
        <text className="node-name" x={x + 22} y={y + 36}>
          {node.name}
        </text>
      </g>
      <text className="node-detail" x={x + 22} y={y + 58}>
        host netns · pod CIDR {node.podCIDR}
      </text>
      <text className="node-ip" x={x + w - 22} y={y + 36}>
        {node.ip}
      </text>
      {bridge && <BridgeBar layout={bridge} active={on(bridge.iface.name)} />}
      {pods.map((p) => {
        const eth0Active = !!p.eth0 && active.has(anchorKey(p.netns, p.eth0.name));
        const portActive = !!p.hostVeth && on(p.hostVeth.name);
        return (
          <VethCable
            key={p.netns}
            layout={p}
            active={eth0Active && portActive}
            portActive={portActive}
          />
        );
      })}
      {pods.map((p) => (
        <PodBox
          key={p.netns}
          layout={p}
          active={active.has(anchorKey(p.netns))}
          eth0Active={!!p.eth0 && active.has(anchorKey(p.netns, p.eth0.name))}
        />
      ))}
      {chips.map((c) => (
        <HostChip key={c.iface.name} layout={c} active={on(c.iface.name)} />
      ))}
    </g>
  );
});
