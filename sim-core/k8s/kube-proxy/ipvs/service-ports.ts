/**
 * What kube-proxy's ServiceChangeTracker and EndpointSliceCache make of the API
 * objects, for one IPv4 proxier: one entry per Service port ("ServicePortName"
 * ns/name:port), with the endpoints of the EndpointSlices that belong to the
 * Service (label kubernetes.io/service-name) and carry a port of the same name
 * and protocol. A local equivalent of the shared view (pkg/proxy/servicechangetracker.go,
 * endpointslicecache.go, serviceport.go); written here because the shared one
 * was not there yet when IPVS mode needed it.
 */
import type { EndpointSlice, Protocol, ProxyNode, Service } from '../../api-types.ts';

/** One endpoint of one Service port, as kube-proxy's BaseEndpointInfo holds it. */
export interface EndpointInfo {
  /** The endpoint's first address (kube-proxy ignores the others). */
  readonly ip: string;
  readonly port: number;
  /** nodeName is the proxier's own node. */
  readonly isLocal: boolean;
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
}

/** One Service port, as kube-proxy's BaseServicePortInfo holds it (IPv4 only). */
export interface ServicePortInfo {
  /** "namespace/name:portName" (ServicePortName.String()). */
  readonly name: string;
  readonly namespace: string;
  readonly serviceName: string;
  readonly portName: string;
  readonly protocol: Protocol;
  readonly clusterIP: string;
  readonly port: number;
  /** 0 when the port has none. */
  readonly nodePort: number;
  readonly externalIPs: readonly string[];
  /** status.loadBalancer.ingress IPs. */
  readonly loadBalancerVIPs: readonly string[];
  readonly loadBalancerSourceRanges: readonly string[];
  /** sessionAffinity ClientIP: StickyMaxAgeSeconds, else 0. */
  readonly stickyMaxAgeSeconds: number;
  readonly healthCheckNodePort: number;
  /** externalTrafficPolicy Local on an externally accessible Service. */
  readonly externalPolicyLocal: boolean;
  readonly internalPolicyLocal: boolean;
  readonly endpoints: readonly EndpointInfo[];
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
/** v1.DefaultClientIPServiceAffinitySeconds */
export const DEFAULT_STICKY_SECONDS = 10800;

/**
 * ServiceChangeTracker's ShouldSkipService: ExternalName Services and those
 * without a cluster IP ("" or "None", headless) get no rules.
 */
function skipService(svc: Service): boolean {
  const ip = svc.spec.clusterIP;
  return svc.spec.type === 'ExternalName' || ip === undefined || ip === '' || ip === 'None';
}

/** Type NodePort/LoadBalancer, or ClusterIP with externalIPs (apiservice.ExternallyAccessible). */
function externallyAccessible(svc: Service): boolean {
  const t = svc.spec.type;
  return (
    t === 'NodePort' ||
    t === 'LoadBalancer' ||
    (t === 'ClusterIP' && (svc.spec.externalIPs?.length ?? 0) > 0)
  );
}

/**
 * The IPv4 slices of each Service, by "namespace/name" of the Service their
 * kubernetes.io/service-name label names, each list in the given order (the
 * informer's cache that kube-proxy's EndpointSliceCache keeps per Service).
 */
function slicesByService(slices: readonly EndpointSlice[]): Map<string, EndpointSlice[]> {
  const by = new Map<string, EndpointSlice[]>();
  for (const slice of slices) {
    if (slice.addressType !== 'IPv4') continue;
    const svc = slice.metadata.labels?.[SERVICE_NAME_LABEL];
    if (svc === undefined) continue;
    const key = `${slice.metadata.namespace}/${svc}`;
    const list = by.get(key);
    if (list) list.push(slice);
    else by.set(key, [slice]);
  }
  return by;
}

/** The endpoints of one Service port gathered from every slice of the Service. */
function endpointsFor(
  portName: string,
  protocol: Protocol,
  slices: readonly EndpointSlice[],
  node: ProxyNode,
): EndpointInfo[] {
  const out: EndpointInfo[] = [];
  const seen = new Set<string>();
  for (const slice of slices) {
    const sp = slice.ports.find((p) => p.name === portName && p.protocol === protocol);
    if (!sp) continue;
    for (const ep of slice.endpoints) {
      const ip = ep.addresses[0];
      if (ip === undefined || !IPV4.test(ip)) continue;
      const key = `${ip}:${sp.port}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        ip,
        port: sp.port,
        isLocal: ep.nodeName === node.name,
        ready: ep.conditions.ready,
        serving: ep.conditions.serving,
        terminating: ep.conditions.terminating,
      });
    }
  }
  return out;
}

/** Every Service port kube-proxy's IPv4 proxier programs, in the order given. */
export function servicePorts(
  services: readonly Service[],
  slices: readonly EndpointSlice[],
  node: ProxyNode,
): ServicePortInfo[] {
  const out: ServicePortInfo[] = [];
  const bySvc = slicesByService(slices);
  for (const svc of services) {
    if (skipService(svc)) continue;
    const mine = bySvc.get(`${svc.metadata.namespace}/${svc.metadata.name}`) ?? [];
    const clusterIP = svc.spec.clusterIP as string;
    if (!IPV4.test(clusterIP)) continue;
    const ext = externallyAccessible(svc);
    const lb = svc.spec.type === 'LoadBalancer';
    for (const p of svc.spec.ports) {
      const portName = p.name ?? '';
      out.push({
        name: `${svc.metadata.namespace}/${svc.metadata.name}${portName ? `:${portName}` : ''}`,
        namespace: svc.metadata.namespace,
        serviceName: svc.metadata.name,
        portName,
        protocol: p.protocol,
        clusterIP,
        port: p.port,
        nodePort: svc.spec.type === 'NodePort' || lb ? (p.nodePort ?? 0) : 0,
        externalIPs: (svc.spec.externalIPs ?? []).filter((ip) => IPV4.test(ip)),
        loadBalancerVIPs: lb ? (svc.loadBalancerIngress ?? []).filter((ip) => IPV4.test(ip)) : [],
        loadBalancerSourceRanges: lb
          ? (svc.spec.loadBalancerSourceRanges ?? []).filter((c) => c.includes('.'))
          : [],
        stickyMaxAgeSeconds:
          svc.spec.sessionAffinity === 'ClientIP'
            ? (svc.spec.sessionAffinityTimeoutSeconds ?? DEFAULT_STICKY_SECONDS)
            : 0,
        healthCheckNodePort:
          lb && svc.spec.externalTrafficPolicy === 'Local'
            ? (svc.spec.healthCheckNodePort ?? 0)
            : 0,
        externalPolicyLocal: ext && svc.spec.externalTrafficPolicy === 'Local',
        internalPolicyLocal: svc.spec.internalTrafficPolicy === 'Local',
        endpoints: endpointsFor(portName, p.protocol, mine, node),
      });
    }
  }
  return out;
}

/** True when some traffic to the port goes to any endpoint (UsesClusterEndpoints). */
function usesClusterEndpoints(sp: ServicePortInfo): boolean {
  const ext = sp.nodePort !== 0 || sp.externalIPs.length > 0 || sp.loadBalancerVIPs.length > 0;
  return !sp.internalPolicyLocal || (ext && !sp.externalPolicyLocal);
}

/** True when some traffic to the port stays on this node (UsesLocalEndpoints). */
function usesLocalEndpoints(sp: ServicePortInfo): boolean {
  return sp.internalPolicyLocal || sp.externalPolicyLocal;
}

export interface CategorizedEndpoints {
  readonly clusterEndpoints: readonly EndpointInfo[];
  readonly localEndpoints: readonly EndpointInfo[];
  readonly hasAnyEndpoints: boolean;
}

/**
 * proxy.CategorizeEndpoints without topology hints: cluster endpoints are the
 * ready ones, or failing that the serving-and-terminating ones; local
 * endpoints are the node's ready ones, or failing that its serving-and-
 * terminating ones. Each list is computed only when a traffic policy uses it.
 */
export function categorizeEndpoints(sp: ServicePortInfo): CategorizedEndpoints {
  const eps = sp.endpoints;
  let clusterEndpoints: EndpointInfo[] = [];
  let hasAnyEndpoints = false;
  if (usesClusterEndpoints(sp)) {
    clusterEndpoints = eps.filter((e) => e.ready);
    if (clusterEndpoints.length === 0)
      clusterEndpoints = eps.filter((e) => e.serving && e.terminating);
    hasAnyEndpoints = clusterEndpoints.length > 0;
  }
  let localEndpoints: EndpointInfo[] = [];
  if (usesLocalEndpoints(sp)) {
    if (eps.some((e) => e.ready || (e.serving && e.terminating))) hasAnyEndpoints = true;
    localEndpoints = eps.filter((e) => e.isLocal && e.ready);
    if (localEndpoints.length === 0)
      localEndpoints = eps.filter((e) => e.isLocal && e.serving && e.terminating);
  }
  return { clusterEndpoints, localEndpoints, hasAnyEndpoints };
}
