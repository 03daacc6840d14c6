/**
 * A netns as a heading: "pod-a" (default · node-1) for a pod, "node-1" (host) for a node,
 * "laptop" (outside the cluster) for a machine on the node network (spec.hosts).
 */
import type { Netns } from '@kubewire/sim-core';

export function netnsTitle(ns: Netns): { title: string; subtitle: string } {
  if (ns.kind === 'host') return { title: ns.node, subtitle: 'host network namespace' };
  if (ns.kind === 'external')
    return { title: ns.id, subtitle: 'outside the cluster · on the node network' };
  if (ns.kind === 'network') return { title: ns.id, subtitle: 'the node network' };
  const [namespace, name] = (ns.pod ?? ns.id).split('/');
  return name
    ? { title: name, subtitle: `pod · ${namespace} · on ${ns.node}` }
    : { title: namespace, subtitle: `pod · on ${ns.node}` };
}
