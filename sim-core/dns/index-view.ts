/**
 * The lookups CoreDNS's kubernetes plugin does through its informer indexes
 * (controller.go: SvcIndex by "name.namespace", SvcIndexReverse by ClusterIP,
 * EpIndex by service, EpIndexReverse by address), built once per distinct
 * services / endpointSlices array so a query costs a map lookup, not a scan.
 */
import type { EndpointSlice, Service } from '../k8s/api-types.ts';
import type { DnsClusterView } from './view.ts';

/** One ready endpoint address, as object.EndpointSliceToEndpoints keeps it. */
export interface EndpointAddress {
  readonly ip: string;
  readonly hostname?: string;
  readonly targetRefName?: string;
}

/** An EndpointSlice reduced to what CoreDNS keeps (object.Endpoints, one subset). */
export interface SliceEndpoints {
  /** "service.namespace", from the kubernetes.io/service-name label. */
  readonly index: string;
  readonly namespace: string;
  readonly addresses: readonly EndpointAddress[];
  /** Port -1 is CoreDNS's sentinel for a slice without ports. */
  readonly ports: readonly {
    readonly name: string;
    readonly protocol: string;
    readonly port: number;
  }[];
}

export interface ClusterIndex {
  readonly services: ReadonlyMap<string, readonly Service[]>;
  readonly serviceByIp: ReadonlyMap<string, Service>;
  readonly endpoints: ReadonlyMap<string, readonly SliceEndpoints[]>;
  readonly endpointsByIp: ReadonlyMap<string, readonly SliceEndpoints[]>;
  readonly namespaces: ReadonlySet<string>;
}

export const serviceKey = (name: string, namespace: string) => `${name}.${namespace}`;

function toEndpoints(s: EndpointSlice): SliceEndpoints | undefined {
  const svc = s.metadata.labels?.['kubernetes.io/service-name'];
  if (svc === undefined) return undefined;
  const addresses: EndpointAddress[] = [];
  for (const e of s.endpoints) {
    // endpointsliceReady: only ready endpoints are published.
    if (!e.conditions.ready) continue;
    for (const ip of e.addresses) {
      addresses.push({
        ip,
        ...(e.hostname !== undefined ? { hostname: e.hostname } : {}),
        // "ignore pod names that are too long to be a valid label"
        ...(e.targetRef && e.targetRef.name.length < 64 ? { targetRefName: e.targetRef.name } : {}),
      });
    }
  }
  return {
    index: serviceKey(svc, s.metadata.namespace),
    namespace: s.metadata.namespace,
    addresses,
    ports:
      s.ports.length === 0
        ? [{ name: '', protocol: '', port: -1 }]
        : s.ports.map((p) => ({ name: p.name, protocol: p.protocol, port: p.port })),
  };
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

function build(view: DnsClusterView): ClusterIndex {
  const services = new Map<string, Service[]>();
  const serviceByIp = new Map<string, Service>();
  for (const s of view.services) {
    push(services, serviceKey(s.metadata.name, s.metadata.namespace), s);
    const ip = s.spec.clusterIP;
    if (ip && ip !== 'None' && !serviceByIp.has(ip)) serviceByIp.set(ip, s);
  }
  const endpoints = new Map<string, SliceEndpoints[]>();
  const endpointsByIp = new Map<string, SliceEndpoints[]>();
  for (const slice of view.endpointSlices) {
    if (slice.addressType === 'FQDN') continue;
    const e = toEndpoints(slice);
    if (!e) continue;
    push(endpoints, e.index, e);
    for (const a of new Set(e.addresses.map((x) => x.ip))) push(endpointsByIp, a, e);
  }
  return { services, serviceByIp, endpoints, endpointsByIp, namespaces: new Set(view.namespaces) };
}

const bySvc = new WeakMap<readonly Service[], WeakMap<readonly EndpointSlice[], ClusterIndex>>();
const byNs = new WeakMap<ClusterIndex, { ns: readonly string[]; index: ClusterIndex }>();

/** The view's index; rebuilt only when its services or endpointSlices array changes. */
export function clusterIndex(view: DnsClusterView): ClusterIndex {
  let inner = bySvc.get(view.services);
  if (!inner) bySvc.set(view.services, (inner = new WeakMap()));
  let index = inner.get(view.endpointSlices);
  if (!index) inner.set(view.endpointSlices, (index = build(view)));
  const cached = byNs.get(index);
  if (cached && cached.ns === view.namespaces) return cached.index;
  const withNs = { ...index, namespaces: new Set(view.namespaces) };
  byNs.set(index, { ns: view.namespaces, index: withNs });
  return withNs;
}
