/** Network namespaces in reading order: each node's host netns, then its pods' in pod order. */
import type { Netns, Snapshot } from '@kubewire/sim-core';

export function orderedNetns(snapshot: Snapshot): Netns[] {
  // Only hosts and pods: sim-core may model the node network's switch as a netns of its own.
  const all = Object.values(snapshot.netns).filter((n) => n.kind === 'host' || n.kind === 'pod');
  const podOrder = new Map(snapshot.pods.map((p, i) => [p.netns, i]));
  const nodeOrder = new Map(snapshot.nodes.map((n, i) => [n.name, i]));
  return [...all].sort(
    (a, b) =>
      (nodeOrder.get(a.node) ?? 99) - (nodeOrder.get(b.node) ?? 99) ||
      (a.kind === b.kind ? 0 : a.kind === 'host' ? -1 : 1) ||
      (podOrder.get(a.id) ?? 0) - (podOrder.get(b.id) ?? 0),
  );
}
