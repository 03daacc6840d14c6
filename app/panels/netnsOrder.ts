/** Network namespaces in reading order: each node's host netns, then its pods' in pod order. */
import type { Netns, Snapshot } from '@kubewire/sim-core';

/**
 * Hosts and pods: sim-core may model the node network's switch as a netns of its own.
 * From the snapshot's list, not its `netns` record: that record, keyed by a thousand ids,
 * would be built at every step.
 */
export const tableNetns = (snapshot: Snapshot): Netns[] =>
  snapshot.netnsList().filter((n) => n.kind === 'host' || n.kind === 'pod');

export function orderedNetns(snapshot: Snapshot, list: readonly Netns[] = tableNetns(snapshot)) {
  const podOrder = new Map(snapshot.pods.map((p, i) => [p.netns, i]));
  const nodeOrder = new Map(snapshot.nodes.map((n, i) => [n.name, i]));
  const last = Number.MAX_SAFE_INTEGER;
  return [...list].sort(
    (a, b) =>
      (nodeOrder.get(a.node) ?? last) - (nodeOrder.get(b.node) ?? last) ||
      (a.kind === b.kind ? 0 : a.kind === 'host' ? -1 : 1) ||
      (podOrder.get(a.id) ?? 0) - (podOrder.get(b.id) ?? 0),
  );
}
