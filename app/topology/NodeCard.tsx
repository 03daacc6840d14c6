/**
 * A node's card and the node network's, opened by clicking the node's name or
 * the network's bus: the node's address, pod CIDR, pods and tunnel device, and
 * the node's own faults (drain it, power it off), and for each pair of nodes
 * the fault that cuts their tunnel — UDP to the VXLAN
 * device's port dropped at each end for the other node's address, as the
 * fault-vxlan-drop built-in does by hand.
 */
import type { Iface, NodeStatus, Snapshot } from '@kubewire/sim-core';
import { useStore } from '../state/store.ts';
import { useSnapshot } from '../state/selectors.ts';
import { addFault, drainFault, nodeDownFault, tunnelDropFault } from '../state/faults.ts';
import { CardShell, FaultButton } from './CardShell.tsx';

/** The node's VXLAN device (flannel.1, vxlan.calico, cilium_vxlan), if its CNI tunnels. */
const tunnelOf = (snapshot: Snapshot, node: string): Iface | undefined =>
  snapshot.netnsById(node)?.ifaces.find((f) => f.kind === 'vxlan');

const portOf = (dev: Iface) => dev.vxlan?.port ?? 8472;

function TunnelButtons({
  snapshot,
  pairs,
}: {
  snapshot: Snapshot;
  pairs: [NodeStatus, NodeStatus][];
}) {
  const busy = useStore((s) => s.simulating !== null);
  if (!pairs.length) return null;
  return (
    <div className="fault-buttons" role="group" aria-label="Faults">
      {pairs.map(([a, b]) => {
        const dev = tunnelOf(snapshot, a.name);
        if (!dev || !tunnelOf(snapshot, b.name)) return null;
        const fault = tunnelDropFault(a, b, portOf(dev));
        return (
          <FaultButton
            key={`${a.name} ${b.name}`}
            disabled={busy}
            title={`Adds ${fault.actions.length} iptables actions (-I INPUT … --dport ${portOf(dev)} -j DROP) after this step's action`}
            onPress={() => void addFault(fault)}
          >
            Drop UDP {portOf(dev)} {a.name} ↔ {b.name}
          </FaultButton>
        );
      })}
    </div>
  );
}

/** The node's own faults: `kubectl drain`, and the node powered off. */
function NodeButtons({ node }: { node: string }) {
  const busy = useStore((s) => s.simulating !== null);
  return (
    <div className="fault-buttons" role="group" aria-label="Node faults">
      <FaultButton
        disabled={busy}
        title={`Adds drain: {node: ${node}} after this step's action: cordon, then evict its pods`}
        onPress={() => void addFault(drainFault(node))}
      >
        Drain {node}
      </FaultButton>
      <FaultButton
        disabled={busy}
        title={`Adds node-down: {node: ${node}} after this step's action: the node stops answering`}
        onPress={() => void addFault(nodeDownFault(node))}
      >
        Power off {node}
      </FaultButton>
    </div>
  );
}

function NodeFacts({ snapshot, node }: { snapshot: Snapshot; node: NodeStatus }) {
  const dev = tunnelOf(snapshot, node.name);
  const pods = snapshot.pods.filter((p) => p.node === node.name);
  return (
    <dl>
      <dt>IP</dt>
      <dd>{node.ip}</dd>
      <dt>Pod CIDR</dt>
      <dd>{node.podCIDR}</dd>
      <dt>Pods</dt>
      <dd>{pods.length ? pods.map((p) => p.name).join(', ') : 'none'}</dd>
      <dt>Tunnel</dt>
      <dd>{dev ? `${dev.name} · UDP ${portOf(dev)}` : 'none (routed on the node network)'}</dd>
    </dl>
  );
}

export function NodeCard() {
  const card = useStore((s) => s.objectCard);
  const close = useStore((s) => s.openObjectCard);
  const snapshot = useSnapshot();
  if (!card || !snapshot) return null;
  const nodes = snapshot.nodes;
  if (card.kind === 'network') {
    const pairs = nodes.flatMap((a, i) =>
      nodes.slice(i + 1).map((b) => [a, b] as [NodeStatus, NodeStatus]),
    );
    const tunnels = nodes.some((n) => tunnelOf(snapshot, n.name));
    return (
      <CardShell
        label="Node network"
        testId="network-card"
        noun="the node network card"
        onClose={() => close(null)}
        title="Node network"
      >
        <p className="pod-card-note">
          {tunnels
            ? 'Pod traffic between nodes crosses it wrapped in VXLAN, node IP to node IP.'
            : 'No tunnel: pod traffic crosses it routed, pod IP to pod IP.'}
        </p>
        <TunnelButtons snapshot={snapshot} pairs={pairs.slice(0, 12)} />
      </CardShell>
    );
  }
  const node = nodes.find((n) => n.name === card.node);
  if (!node) return null;
  const pairs = nodes.filter((n) => n !== node).map((b) => [node, b] as [NodeStatus, NodeStatus]);
  return (
    <CardShell
      label={`Node ${node.name}`}
      testId="node-card"
      noun="the node card"
      onClose={() => close(null)}
      title={node.name}
    >
      <NodeFacts snapshot={snapshot} node={node} />
      <NodeButtons node={node.name} />
      <TunnelButtons snapshot={snapshot} pairs={pairs.slice(0, 12)} />
    </CardShell>
  );
}
