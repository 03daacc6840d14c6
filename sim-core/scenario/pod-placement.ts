/**
 * Cross-document checks on namespaces and pods (duplicates, nodeName), and
 * scheduling: pods without spec.nodeName go round-robin over the nodes in
 * the order the pods are written, which makes placement predictable for a
 * student reading the file top to bottom.
 */
import type { ClusterResult } from './cluster.ts';
import type { NamespaceDraft, PodDraft } from './pods.ts';
import { didYouMean } from './suggest.ts';
import type { PodSpec } from './types.ts';

/** Namespaces every cluster has, whether or not the file declares them. */
export const BUILTIN_NAMESPACES = ['default', 'kube-system'] as const;

/** Report namespaces declared twice; return every namespace in use, sorted. */
export function collectNamespaces(
  declared: readonly NamespaceDraft[],
  pods: readonly PodDraft[],
): string[] {
  const first = new Map<string, NamespaceDraft>();
  for (const ns of declared) {
    const prev = first.get(ns.name);
    if (prev) {
      ns.ctx.error(
        ns.at,
        'metadata.name',
        `namespace ${ns.name} is defined twice (first at line ${prev.pos.line})`,
      );
    } else {
      first.set(ns.name, ns);
    }
  }
  const all = new Set<string>([
    ...BUILTIN_NAMESPACES,
    ...first.keys(),
    ...pods.map((p) => p.namespace),
  ]);
  return [...all].sort();
}

/** Report pods defined twice in one namespace; return the pods by "ns/name" (first wins). */
export function indexPods(pods: readonly PodDraft[]): Map<string, PodDraft> {
  const byKey = new Map<string, PodDraft>();
  for (const pod of pods) {
    const key = `${pod.namespace}/${pod.name}`;
    const prev = byKey.get(key);
    if (prev) {
      const msg = `pod ${pod.name} is defined twice in namespace ${pod.namespace} (first at line ${prev.pos.line})`;
      pod.ctx.error(pod.nameAt, 'metadata.name', msg);
    } else {
      byKey.set(key, pod);
    }
  }
  return byKey;
}

/**
 * Check every nodeName against the cluster's nodes and assign the rest
 * round-robin. Returns undefined when placement is impossible (no valid
 * cluster), after still reporting every unknown nodeName it can.
 */
export function placePods(
  pods: readonly PodDraft[],
  cluster: ClusterResult,
): PodSpec[] | undefined {
  const names = cluster.nodeNames;
  for (const pod of pods) {
    if (pod.nodeName === undefined || !names || names.has(pod.nodeName)) continue;
    const known = [...names];
    const msg =
      `nodeName ${pod.nodeName} is not a node of this cluster (nodes: ${known.join(', ')})` +
      didYouMean(pod.nodeName, known);
    pod.ctx.error(pod.nodeNameAt, 'spec.nodeName', msg);
  }
  const nodes = cluster.spec?.nodes;
  if (!nodes) return undefined;
  let next = 0;
  return pods.map((pod) => ({
    namespace: pod.namespace,
    name: pod.name,
    nodeName: pod.nodeName ?? nodes[next++ % nodes.length].name,
    labels: pod.labels,
    ...(pod.hostname !== undefined ? { hostname: pod.hostname } : {}),
    ...(pod.subdomain !== undefined ? { subdomain: pod.subdomain } : {}),
    ...(pod.dnsPolicy !== undefined ? { dnsPolicy: pod.dnsPolicy } : {}),
    ...(pod.dnsConfig !== undefined ? { dnsConfig: pod.dnsConfig } : {}),
    containers: pod.containers,
    ...(pod.terminationGracePeriodSeconds !== undefined
      ? { terminationGracePeriodSeconds: pod.terminationGracePeriodSeconds }
      : {}),
    pos: pod.pos,
  }));
}
