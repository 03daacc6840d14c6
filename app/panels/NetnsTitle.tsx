/** A netns as a heading: "pod-a" (default · node-1) for a pod, "node-1" (host) for a node. */
import type { Netns } from '@kubewire/sim-core';

export function netnsTitle(ns: Netns): { title: string; subtitle: string } {
  if (ns.kind === 'host') return { title: ns.node, subtitle: 'host network namespace' };
  const [namespace, name] = (ns.pod ?? ns.id).split('/');
  return name
    ? { title: name, subtitle: `pod · ${namespace} · on ${ns.node}` }
    : { title: namespace, subtitle: `pod · on ${ns.node}` };
}
