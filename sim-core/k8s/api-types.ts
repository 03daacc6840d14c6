/**
 * The Kubernetes objects of the Services half (API v1 and discovery.k8s.io/v1),
 * as the controllers and kube-proxy read them: only the fields Kubewire models,
 * with Kubernetes' own names, so a test can state an upstream case field by field.
 * These are plain data; the scenario loader builds them from manifests and the
 * controllers (allocators, the EndpointSlice controller) fill in what the API
 * server and controller-manager would.
 */

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

/** metadata.ownerReferences[]: the controller that owns an object (an EndpointSlice's Service). */
export interface OwnerReference {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
  readonly controller?: boolean;
  readonly blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  readonly namespace: string;
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  /**
   * metadata.uid. Optional: the EndpointSlice controller tells its own slices
   * from a deleted-and-recreated Service's by the owner's UID.
   */
  readonly uid?: string;
  /** metadata.ownerReferences; optional, as above. */
  readonly ownerReferences?: readonly OwnerReference[];
}

export interface ServicePort {
  /** Required when a Service has more than one port. */
  readonly name?: string;
  readonly protocol: Protocol;
  readonly port: number;
  /** A number, or the name of a container port; defaults to `port`. */
  readonly targetPort: number | string;
  /** Allocated from 30000–32767 for NodePort and LoadBalancer Services. */
  readonly nodePort?: number;
}

export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
export type TrafficPolicy = 'Cluster' | 'Local';

export interface ServiceSpec {
  readonly type: ServiceType;
  /** Absent for selector-less Services (their EndpointSlices are written by the user). */
  readonly selector?: Readonly<Record<string, string>>;
  readonly ports: readonly ServicePort[];
  /** An IPv4 address, 'None' (headless), or absent until allocated. */
  readonly clusterIP?: string;
  readonly externalIPs?: readonly string[];
  readonly loadBalancerSourceRanges?: readonly string[];
  readonly externalName?: string;
  readonly sessionAffinity: 'None' | 'ClientIP';
  /** sessionAffinityConfig.clientIP.timeoutSeconds; 10800 by default. */
  readonly sessionAffinityTimeoutSeconds?: number;
  readonly externalTrafficPolicy: TrafficPolicy;
  readonly internalTrafficPolicy: TrafficPolicy;
  /** Allocated when externalTrafficPolicy is Local on a NodePort/LoadBalancer Service. */
  readonly healthCheckNodePort?: number;
}

export interface Service {
  readonly metadata: ObjectMeta;
  readonly spec: ServiceSpec;
  /** status.loadBalancer.ingress[].ip */
  readonly loadBalancerIngress?: readonly string[];
}

export interface EndpointConditions {
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
}

export interface EndpointTargetRef {
  readonly kind: 'Pod';
  readonly namespace: string;
  readonly name: string;
}

export interface Endpoint {
  readonly addresses: readonly string[];
  readonly conditions: EndpointConditions;
  readonly hostname?: string;
  readonly nodeName?: string;
  readonly zone?: string;
  readonly targetRef?: EndpointTargetRef;
}

export interface EndpointPort {
  readonly name: string; // '' when the Service port has no name
  readonly protocol: Protocol;
  readonly port: number;
}

export interface EndpointSlice {
  readonly metadata: ObjectMeta;
  readonly addressType: 'IPv4' | 'IPv6' | 'FQDN';
  readonly endpoints: readonly Endpoint[];
  readonly ports: readonly EndpointPort[];
}

/** What kube-proxy knows about the node it runs on. */
export interface ProxyNode {
  readonly name: string;
  /** The node's InternalIP. */
  readonly ip: string;
  /** The cluster's pod CIDR (kube-proxy's --cluster-cidr), for the masquerade rule. */
  readonly clusterCIDR: string;
}
