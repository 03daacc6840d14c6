/**
 * What the controllers read of a Pod: the few fields the EndpointSlice
 * controller and the ReplicaSet controller look at, in Kubernetes' terms.
 */
import type { Protocol } from '../api-types';

/** A containerPort of any container (and of restartable init containers, the sidecars). */
export interface ContainerPortView {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol: Protocol;
}

export interface PodView {
  readonly namespace: string;
  readonly name: string;
  readonly uid?: string;
  readonly labels: Readonly<Record<string, string>>;
  /** status.podIP; a pod without one is not an endpoint yet. */
  readonly ip?: string;
  /** spec.nodeName. */
  readonly nodeName?: string;
  /** The Ready condition is True. */
  readonly ready: boolean;
  /** metadata.deletionTimestamp is set. */
  readonly terminating: boolean;
  /** status.phase; Succeeded and Failed pods are never endpoints. */
  readonly phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  /** spec.hostname and spec.subdomain (the endpoint's hostname when subdomain is the Service). */
  readonly hostname?: string;
  readonly subdomain?: string;
  /** The topology.kubernetes.io/zone label of the pod's node, if any. */
  readonly zone?: string;
  readonly containerPorts: readonly ContainerPortView[];
}
