/**
 * kube-proxy's view of one Service port (pkg/proxy/serviceport.go
 * BaseServicePortInfo, built by newBaseServiceInfo in service.go), and the
 * service map its ServiceChangeTracker keeps: one entry per port of every
 * Service that has a cluster IP. Headless Services (clusterIP None), Services
 * without a cluster IP yet, and ExternalName Services are skipped
 * (proxyutil.ShouldSkipService), so they get no rules at all.
 */
import type { Protocol, Service } from '../api-types.ts';
import type { ServicePortName } from './service-port-name.ts';
import { compareServicePortNames } from './service-port-name.ts';

export interface ServicePortInfo {
  readonly name: ServicePortName;
  readonly clusterIP: string;
  readonly port: number;
  readonly protocol: Protocol;
  /** 0 when the port has none. */
  readonly nodePort: number;
  /** spec.externalIPs (IPv4 only: this model's proxier is the IPv4 one). */
  readonly externalIPs: readonly string[];
  /** status.loadBalancer.ingress[].ip */
  readonly loadBalancerVIPs: readonly string[];
  /** spec.loadBalancerSourceRanges, trimmed and written as net.IPNet.String() writes a CIDR. */
  readonly loadBalancerSourceRanges: readonly string[];
  readonly sessionAffinity: 'None' | 'ClientIP';
  /** sessionAffinityConfig.clientIP.timeoutSeconds (10800 by default) when ClientIP. */
  readonly stickyMaxAgeSeconds: number;
  /** Only for a LoadBalancer Service with externalTrafficPolicy Local (apiservice.NeedsHealthCheck); 0 otherwise. */
  readonly healthCheckNodePort: number;
  /** internalTrafficPolicy: Local */
  readonly internalPolicyLocal: boolean;
  /** externalTrafficPolicy: Local on a NodePort or LoadBalancer Service (apiservice.ExternalPolicyLocal). */
  readonly externalPolicyLocal: boolean;
}

/** ExternallyAccessible: a NodePort, a load-balancer VIP or an external IP. */
export function externallyAccessible(sp: ServicePortInfo): boolean {
  return sp.nodePort !== 0 || sp.loadBalancerVIPs.length > 0 || sp.externalIPs.length > 0;
}

/**
 * UsesClusterEndpoints: internal policy Cluster, or any external access (even
 * with externalTrafficPolicy Local, pods and the node itself short-circuit
 * external destinations to all endpoints).
 */
export function usesClusterEndpoints(sp: ServicePortInfo): boolean {
  return !sp.internalPolicyLocal || externallyAccessible(sp);
}

/** UsesLocalEndpoints: internal policy Local, or external policy Local with external access. */
export function usesLocalEndpoints(sp: ServicePortInfo): boolean {
  return sp.internalPolicyLocal || (sp.externalPolicyLocal && externallyAccessible(sp));
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function isIPv4(s: string): boolean {
  const m = IPV4.exec(s);
  return m !== null && m.slice(1).every((o) => Number(o) <= 255);
}

/** netutils.ParseCIDRSloppy then IPNet.String(): the network address and prefix; undefined if unparsable or not IPv4. */
export function normalizeCidr(raw: string): string | undefined {
  const s = raw.trim();
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const ip = s.slice(0, slash);
  const bits = s.slice(slash + 1);
  if (!isIPv4(ip) || !/^\d{1,2}$/.test(bits) || Number(bits) > 32) return undefined;
  const n = ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const prefix = Number(bits);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const net = (n & mask) >>> 0;
  const octets = [net >>> 24, (net >>> 16) & 255, (net >>> 8) & 255, net & 255];
  return `${octets.join('.')}/${prefix}`;
}

/** Whether an IPv4 address lies in a (normalised) IPv4 CIDR. */
export function cidrContains(cidr: string, ip: string): boolean {
  const [net, bits] = cidr.split('/');
  if (!isIPv4(ip) || !isIPv4(net)) return false;
  const toN = (s: string) => s.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const prefix = Number(bits);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return (toN(ip) & mask) >>> 0 === (toN(net) & mask) >>> 0;
}

/** proxyutil.ShouldSkipService: no cluster IP, headless, or ExternalName. */
export function shouldSkipService(svc: Service): boolean {
  const ip = svc.spec.clusterIP;
  return ip === undefined || ip === '' || ip === 'None' || svc.spec.type === 'ExternalName';
}

/** newBaseServiceInfo for each port of one Service (none when it is skipped). */
export function servicePorts(svc: Service): ServicePortInfo[] {
  if (shouldSkipService(svc)) return [];
  const spec = svc.spec;
  const externalType = spec.type === 'NodePort' || spec.type === 'LoadBalancer';
  const externalPolicyLocal = externalType && spec.externalTrafficPolicy === 'Local';
  const healthCheckNodePort =
    spec.type === 'LoadBalancer' && externalPolicyLocal ? (spec.healthCheckNodePort ?? 0) : 0;
  const ranges = (spec.loadBalancerSourceRanges ?? [])
    .map(normalizeCidr)
    .filter((c): c is string => c !== undefined);
  return spec.ports.map((p) => ({
    name: {
      namespace: svc.metadata.namespace,
      name: svc.metadata.name,
      port: p.name ?? '',
      protocol: p.protocol,
    },
    clusterIP: spec.clusterIP as string,
    port: p.port,
    protocol: p.protocol,
    nodePort: p.nodePort ?? 0,
    externalIPs: (spec.externalIPs ?? []).filter(isIPv4),
    loadBalancerVIPs: (svc.loadBalancerIngress ?? []).filter(isIPv4),
    loadBalancerSourceRanges: ranges,
    sessionAffinity: spec.sessionAffinity,
    stickyMaxAgeSeconds:
      spec.sessionAffinity === 'ClientIP' ? (spec.sessionAffinityTimeoutSeconds ?? 10800) : 0,
    healthCheckNodePort,
    internalPolicyLocal: spec.internalTrafficPolicy === 'Local',
    externalPolicyLocal,
  }));
}

/** The service map, in this model's deterministic order (by ServicePortName string; Go's map order is random). */
export function buildServicePortMap(services: readonly Service[]): ServicePortInfo[] {
  return services.flatMap(servicePorts).sort((a, b) => compareServicePortNames(a.name, b.name));
}
