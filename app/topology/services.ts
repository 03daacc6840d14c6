/**
 * The Services as the topology draws them: each Service's virtual IP, type
 * and endpoints, read from the API server's objects at a step (Snapshot.api).
 * A ClusterIP belongs to no interface — kube-proxy only writes rules (or, in
 * IPVS mode, binds it to the kube-ipvs0 dummy on every node) — so the
 * picture gives it a badge of its own, apart from every node.
 *
 * The EndpointSlices of a Service are the ones labelled
 * `kubernetes.io/service-name: <name>` in its namespace (discovery.k8s.io/v1's
 * LabelServiceName, what kube-proxy and kubectl select them by).
 */
import type { ApiObjects, EndpointSlice, NodeStatus, Service } from '@kubewire/sim-core';

/** The label that ties an EndpointSlice to its Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export interface ServiceEndpoint {
  readonly address: string;
  readonly node?: string;
  /** "namespace/name" of the pod behind it, when the slice names one (targetRef). */
  readonly pod?: string;
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
}

export interface ServiceView {
  /** "namespace/name". */
  readonly key: string;
  readonly name: string;
  readonly namespace: string;
  readonly type: Service['spec']['type'];
  /** "ClusterIP", "NodePort 30080", "LoadBalancer 203.0.113.7", "Headless", "ExternalName". */
  readonly typeLabel: string;
  /** The ClusterIP; null for a headless or ExternalName Service (no virtual IP at all). */
  readonly vip: string | null;
  /** "10.100.6.156:80/TCP", "10.96.0.10:53/UDP +2", "clusterIP: None". */
  readonly address: string;
  readonly endpoints: readonly ServiceEndpoint[];
  readonly ready: number;
  /** The API server's own `default/kubernetes` Service: always there, drawn quieter. */
  readonly quiet: boolean;
}

const keyOf = (m: { namespace: string; name: string }) => `${m.namespace}/${m.name}`;

function typeLabel(s: Service, headless: boolean): string {
  const { spec } = s;
  if (spec.type === 'ExternalName') return 'ExternalName';
  if (headless) return 'Headless';
  const nodePorts = spec.ports.flatMap((p) => (p.nodePort ? [p.nodePort] : []));
  if (spec.type === 'NodePort') return `NodePort ${nodePorts.join(',')}`;
  if (spec.type === 'LoadBalancer')
    return `LoadBalancer ${s.loadBalancerIngress?.[0] ?? '<pending>'}`;
  return 'ClusterIP';
}

function addressOf(s: Service, vip: string | null): string {
  const { spec } = s;
  if (spec.type === 'ExternalName') return `→ ${spec.externalName ?? ''}`;
  if (!vip) return 'clusterIP: None';
  const [first, ...rest] = spec.ports;
  if (!first) return vip;
  return `${vip}:${first.port}/${first.protocol}${rest.length ? ` +${rest.length}` : ''}`;
}

function endpointsOf(slices: readonly EndpointSlice[]): ServiceEndpoint[] {
  return slices.flatMap((slice) =>
    slice.endpoints.flatMap((e) =>
      e.addresses.map((address): ServiceEndpoint => ({
        address,
        ...(e.nodeName ? { node: e.nodeName } : {}),
        ...(e.targetRef ? { pod: keyOf(e.targetRef) } : {}),
        ready: e.conditions.ready,
        serving: e.conditions.serving,
        terminating: e.conditions.terminating,
      })),
    ),
  );
}

const views = new WeakMap<readonly Service[], WeakMap<readonly EndpointSlice[], ServiceView[]>>();

/** Every Service of the API objects, in the API server's order, with its endpoints. Memoised on the arrays' identity. */
export function serviceViews(api: ApiObjects | undefined): readonly ServiceView[] {
  if (!api) return [];
  const { services, endpointSlices } = api;
  let bySlices = views.get(services);
  if (!bySlices) views.set(services, (bySlices = new WeakMap()));
  const cached = bySlices.get(endpointSlices);
  if (cached) return cached;
  const slicesOf = new Map<string, EndpointSlice[]>();
  for (const slice of endpointSlices) {
    const owner = slice.metadata.labels?.[SERVICE_NAME_LABEL];
    if (!owner) continue;
    const key = `${slice.metadata.namespace}/${owner}`;
    const list = slicesOf.get(key) ?? [];
    list.push(slice);
    slicesOf.set(key, list);
  }
  const out = services.map((s): ServiceView => {
    const key = keyOf(s.metadata);
    const ip = s.spec.clusterIP;
    const headless = ip === 'None';
    const vip = ip && !headless && s.spec.type !== 'ExternalName' ? ip : null;
    const endpoints = endpointsOf(slicesOf.get(key) ?? []);
    return {
      key,
      name: s.metadata.name,
      namespace: s.metadata.namespace,
      type: s.spec.type,
      typeLabel: typeLabel(s, headless),
      vip,
      address: addressOf(s, vip),
      endpoints,
      ready: endpoints.filter((e) => e.ready).length,
      quiet: key === 'default/kubernetes',
    };
  });
  bySlices.set(endpointSlices, out);
  return out;
}

/**
 * Every "ip:port" a client can reach a Service at → its key: ClusterIP:port,
 * externalIPs and LoadBalancer ingress IPs at the port, and every node's IP at
 * the nodePort (kube-proxy's KUBE-NODEPORTS matches any local address).
 */
export function serviceAddresses(
  services: readonly Service[],
  nodes: readonly NodeStatus[],
): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of services) {
    const key = keyOf(s.metadata);
    const ip = s.spec.clusterIP;
    const ips = [
      ...(ip && ip !== 'None' ? [ip] : []),
      ...(s.spec.externalIPs ?? []),
      ...(s.loadBalancerIngress ?? []),
    ];
    for (const p of s.spec.ports) {
      for (const a of ips) out.set(`${a}:${p.port}`, key);
      if (p.nodePort) for (const n of nodes) out.set(`${n.ip}:${p.nodePort}`, key);
    }
  }
  return out;
}

/** "3 endpoints", "2/3 ready", "no endpoints". */
export function endpointCount(v: Pick<ServiceView, 'endpoints' | 'ready'>): string {
  const n = v.endpoints.length;
  if (!n) return 'no endpoints';
  if (v.ready === n) return `${n} endpoint${n === 1 ? '' : 's'}`;
  return `${v.ready}/${n} ready`;
}
