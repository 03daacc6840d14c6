/**
 * kube-proxy's view of a Service's endpoints (pkg/proxy/endpoint.go
 * BaseEndpointInfo, built by EndpointSliceCache in endpointslicecache.go):
 * every EndpointSlice labelled kubernetes.io/service-name=<svc> contributes,
 * per port, one endpoint "ip:port" per endpoint with an address (its first
 * address only). Duplicates across slices collapse to one (a terminating
 * copy never replaces one already seen), and each service port's list is
 * sorted by the "ip:port" string (byEndpoint, a plain string sort:
 * "10.0.0.10:80" sorts before "10.0.0.2:80").
 */
import type { EndpointSlice } from '../api-types.ts';
import type { ServicePortName } from './service-port-name.ts';
import { servicePortKey } from './service-port-name.ts';

export interface EndpointInfo {
  readonly ip: string;
  readonly port: number;
  /** Endpoint.String(): net.JoinHostPort(ip, port). */
  readonly endpoint: string;
  /** nodeName equals the node kube-proxy runs on. */
  readonly isLocal: boolean;
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
  readonly nodeName?: string;
}

/** The label an EndpointSlice names its Service by (discovery.LabelServiceName). */
export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';

/** EndpointsMap: servicePortKey → the port's endpoints, sorted by endpoint string. */
export type EndpointsMap = ReadonlyMap<string, readonly EndpointInfo[]>;

/**
 * Build the EndpointsMap the IPv4 proxier of node `nodeName` sees. Slices of
 * another address type, without the service-name label, or ports without a
 * number are ignored, as the cache ignores them.
 */
export function buildEndpointsMap(
  slices: readonly EndpointSlice[],
  nodeName: string,
): EndpointsMap {
  const bySp = new Map<string, Map<string, EndpointInfo>>();
  for (const slice of slices) {
    if (slice.addressType !== 'IPv4') continue;
    const svcName = slice.metadata.labels?.[LABEL_SERVICE_NAME];
    if (!svcName) continue;
    for (const port of slice.ports) {
      if (!port.port) continue;
      const spn: ServicePortName = {
        namespace: slice.metadata.namespace,
        name: svcName,
        port: port.name,
        protocol: port.protocol,
      };
      const key = servicePortKey(spn);
      const set = bySp.get(key) ?? new Map<string, EndpointInfo>();
      bySp.set(key, set);
      for (const ep of slice.endpoints) {
        if (ep.addresses.length === 0) continue;
        const ip = ep.addresses[0];
        const endpoint = `${ip}:${port.port}`;
        const info: EndpointInfo = {
          ip,
          port: port.port,
          endpoint,
          isLocal: nodeName !== '' && ep.nodeName === nodeName,
          ready: ep.conditions.ready,
          serving: ep.conditions.serving,
          terminating: ep.conditions.terminating,
          ...(ep.nodeName !== undefined ? { nodeName: ep.nodeName } : {}),
        };
        if (!set.has(endpoint) || !info.terminating) set.set(endpoint, info);
      }
    }
  }
  const out = new Map<string, readonly EndpointInfo[]>();
  for (const [key, set] of bySp) {
    if (set.size === 0) continue;
    out.set(
      key,
      [...set.values()].sort((a, b) =>
        a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0,
      ),
    );
  }
  return out;
}

/** The endpoints of one service port (empty when it has none). */
export function endpointsFor(map: EndpointsMap, name: ServicePortName): readonly EndpointInfo[] {
  return map.get(servicePortKey(name)) ?? [];
}
