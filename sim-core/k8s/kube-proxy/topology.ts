/**
 * pkg/proxy/topology.go CategorizeEndpoints: which of a service port's
 * endpoints "Cluster" and "Local" traffic policy use on this node.
 *
 * - Cluster endpoints (when the port uses them at all): the Ready ones; if
 *   there are none anywhere, the ones that are Serving and Terminating.
 * - Local endpoints (when the port uses them): this node's Ready endpoints;
 *   if it has none, this node's Serving+Terminating ones.
 * - allReachable: the union, i.e. the endpoints that get a KUBE-SEP chain.
 * - hasAnyEndpoints: usable endpoints exist anywhere in the cluster.
 *
 * Topology-aware routing (hints, trafficDistribution) is not modelled: our
 * EndpointSlices carry no hints, and without hints upstream's topologyMode is
 * "" (no filtering), which is what this implements.
 */
import type { EndpointInfo } from './endpoints.ts';
import type { ServicePortInfo } from './service-port.ts';
import { usesClusterEndpoints, usesLocalEndpoints } from './service-port.ts';

export interface CategorizedEndpoints {
  /** Undefined when the port never uses Cluster traffic policy. */
  readonly clusterEndpoints?: readonly EndpointInfo[];
  /** Undefined when the port never uses Local traffic policy (or this node has none usable). */
  readonly localEndpoints?: readonly EndpointInfo[];
  readonly allReachableEndpoints: readonly EndpointInfo[];
  readonly hasAnyEndpoints: boolean;
}

const servingTerminating = (ep: EndpointInfo) => ep.serving && ep.terminating;

export function categorizeEndpoints(
  endpoints: readonly EndpointInfo[],
  svc: ServicePortInfo,
): CategorizedEndpoints {
  let clusterEndpoints: readonly EndpointInfo[] | undefined;
  let hasAnyEndpoints = false;
  if (usesClusterEndpoints(svc)) {
    clusterEndpoints = endpoints.filter((ep) => ep.ready);
    if (clusterEndpoints.length === 0) clusterEndpoints = endpoints.filter(servingTerminating);
    if (clusterEndpoints.length > 0) hasAnyEndpoints = true;
  }
  if (!usesLocalEndpoints(svc)) {
    return { clusterEndpoints, allReachableEndpoints: clusterEndpoints ?? [], hasAnyEndpoints };
  }

  let hasLocalReady = false;
  let hasLocalServingTerminating = false;
  for (const ep of endpoints) {
    if (ep.ready) {
      hasAnyEndpoints = true;
      if (ep.isLocal) hasLocalReady = true;
    } else if (servingTerminating(ep)) {
      hasAnyEndpoints = true;
      if (ep.isLocal) hasLocalServingTerminating = true;
    }
  }
  let localEndpoints: readonly EndpointInfo[] | undefined;
  let useServingTerminating = false;
  if (hasLocalReady) {
    localEndpoints = endpoints.filter((ep) => ep.isLocal && ep.ready);
  } else if (hasLocalServingTerminating) {
    useServingTerminating = true;
    localEndpoints = endpoints.filter((ep) => ep.isLocal && servingTerminating(ep));
  }

  if (!usesClusterEndpoints(svc)) {
    return { localEndpoints, allReachableEndpoints: localEndpoints ?? [], hasAnyEndpoints };
  }
  if (!useServingTerminating) {
    // Local endpoints are then Ready ones, all of which are cluster endpoints too.
    return {
      clusterEndpoints,
      localEndpoints,
      allReachableEndpoints: clusterEndpoints ?? [],
      hasAnyEndpoints,
    };
  }
  // Upstream merges the two lists through a map (random order); this model
  // keeps the endpoints' sorted order.
  const merged = new Map<string, EndpointInfo>();
  for (const ep of clusterEndpoints ?? []) merged.set(ep.endpoint, ep);
  for (const ep of localEndpoints ?? []) merged.set(ep.endpoint, ep);
  const allReachableEndpoints = [...merged.values()].sort((a, b) =>
    a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0,
  );
  return { clusterEndpoints, localEndpoints, allReachableEndpoints, hasAnyEndpoints };
}
