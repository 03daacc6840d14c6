/**
 * Network namespaces in reading order: each node's host netns, then its pods' in pod order,
 * then the machines outside the cluster (spec.hosts: a laptop on the node network).
 */
import type { Netns, Snapshot } from '@kubewire/sim-core';

/**
 * Hosts, pods and external machines: sim-core may model the node network's switch as a
 * netns of its own, which has no tables a student would look up. From the snapshot's list,
 * not its `netns` record: that record, keyed by a thousand ids, would be built at every step.
 */
export const tableNetns = (snapshot: Snapshot): Netns[] =>
  snapshot.netnsList().filter((n) => n.kind !== 'network');

const KIND_ORDER: Readonly<Record<Netns['kind'], number>> = {
  host: 0,
  pod: 1,
  external: 2,
  network: 3,
};

export function orderedNetns(snapshot: Snapshot, list: readonly Netns[] = tableNetns(snapshot)) {
  if (list.length < 2) return [...list];
  // Positions of the listed pods only: a step in focus mode lists a few of 2 500.
  const listed = new Set(list.map((n) => n.id));
  const podOrder = new Map<string, number>();
  snapshot.pods.forEach((p, i) => listed.has(p.netns) && podOrder.set(p.netns, i));
  const nodeOrder = new Map(snapshot.nodes.map((n, i) => [n.name, i]));
  const last = Number.MAX_SAFE_INTEGER;
  // An external machine's `node` is its own name: no node's, so after every node.
  return [...list].sort(
    (a, b) =>
      (nodeOrder.get(a.node) ?? last) - (nodeOrder.get(b.node) ?? last) ||
      KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
      (podOrder.get(a.id) ?? 0) - (podOrder.get(b.id) ?? 0) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}
