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

/** networking.k8s.io/v1 HTTPIngressPath.pathType; the API server requires one. */
export type PathType = 'Exact' | 'Prefix' | 'ImplementationSpecific';

/** IngressServiceBackend: a Service in the Ingress's namespace and one of its ports. */
export interface IngressServiceBackend {
  readonly name: string;
  /** ServiceBackendPort: exactly one of number and name. */
  readonly port: { readonly number: number } | { readonly name: string };
}

/** IngressBackend: a Service, or a resource (which ingress-nginx does not serve). */
export interface IngressBackend {
  readonly service?: IngressServiceBackend;
  readonly resource?: { readonly apiGroup?: string; readonly kind: string; readonly name: string };
}

export interface HTTPIngressPath {
  /** As written; '' only for ImplementationSpecific (ingress-nginx reads it as '/'). */
  readonly path: string;
  readonly pathType: PathType;
  readonly backend: IngressBackend;
}

export interface IngressRule {
  /** '' when the rule has no host: it applies to every Host. */
  readonly host: string;
  /** Absent for a rule with a host and no http section. */
  readonly http?: { readonly paths: readonly HTTPIngressPath[] };
}

export interface IngressTLS {
  readonly hosts: readonly string[];
  /** Absent: the controller's default certificate. */
  readonly secretName?: string;
}

export interface IngressSpec {
  readonly ingressClassName?: string;
  readonly defaultBackend?: IngressBackend;
  readonly rules: readonly IngressRule[];
  readonly tls: readonly IngressTLS[];
}

export interface Ingress {
  readonly metadata: ObjectMeta;
  readonly spec: IngressSpec;
}

/** IngressClass is cluster-scoped: its metadata.namespace is ''. */
export interface IngressClass {
  readonly metadata: ObjectMeta;
  readonly spec: { readonly controller: string };
}

/** A v1 Secret. `data` holds each key's bytes base64-encoded, as the API returns it (stringData merged in). */
export interface Secret {
  readonly metadata: ObjectMeta;
  readonly type: string;
  readonly data: Readonly<Record<string, string>>;
}
