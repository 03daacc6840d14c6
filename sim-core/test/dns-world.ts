/**
 * The cluster of CoreDNS's plugin/kubernetes/handler_test.go (APIConnServeTest:
 * svcIndex, epsIndex), restated with our API types, and helpers to ask our
 * CoreDNS a question the way dig does. Test-only.
 */
import { createRng } from '../engine/rng.ts';
import type { EndpointSlice, Service, ServicePort } from '../k8s/api-types.ts';
import type { DnsClusterView } from '../dns/view.ts';
import { createCoreDns } from '../dns/server.ts';
import type { CoreDns } from '../dns/server.ts';
import type { DnsMessage, DnsOpt } from '../wire/dns.ts';
import { emitDns, parseDns } from '../wire/dns.ts';
import { rdataText } from '../dns/present.ts';

const http: ServicePort = { name: 'http', protocol: 'TCP', port: 80, targetPort: 80 };

export function service(
  ns: string,
  name: string,
  spec: Partial<Service['spec']> & { clusterIP?: string },
): Service {
  return {
    metadata: { namespace: ns, name },
    spec: {
      type: 'ClusterIP',
      ports: [http],
      sessionAffinity: 'None',
      externalTrafficPolicy: 'Cluster',
      internalTrafficPolicy: 'Cluster',
      ...spec,
    },
  };
}

export function slice(
  ns: string,
  svc: string,
  addrs: readonly (string | { ip: string; hostname?: string; ready?: boolean; pod?: string })[],
  ports: EndpointSlice['ports'] = [{ name: 'http', protocol: 'TCP', port: 80 }],
  suffix = 'abcde',
): EndpointSlice {
  return {
    metadata: {
      namespace: ns,
      name: `${svc}-${suffix}`,
      labels: { 'kubernetes.io/service-name': svc },
    },
    addressType: 'IPv4',
    endpoints: addrs.map((a) => {
      const e = typeof a === 'string' ? { ip: a } : a;
      return {
        addresses: [e.ip],
        conditions: { ready: e.ready ?? true, serving: e.ready ?? true, terminating: false },
        ...(e.hostname ? { hostname: e.hostname } : {}),
        ...(e.pod ? { targetRef: { kind: 'Pod' as const, namespace: ns, name: e.pod } } : {}),
      };
    }),
    ports,
  };
}

/** handler_test.go's IPv4 objects (its IPv6 and dual-stack ones are left out: our clusters are IPv4). */
export const upstreamView: DnsClusterView = {
  clusterDomain: 'cluster.local',
  namespaces: ['testns', 'kube-system', 'default'],
  serial: 1499347823,
  services: [
    service('kube-system', 'kubedns', {
      clusterIP: '10.0.0.10',
      ports: [{ name: 'dns', protocol: 'UDP', port: 53, targetPort: 53 }],
    }),
    service('testns', 'svc1', { clusterIP: '10.0.0.1' }),
    service('testns', 'svcempty', { clusterIP: '10.0.0.1' }),
    service('testns', 'hdls1', { clusterIP: 'None' }),
    service('testns', 'external', { type: 'ExternalName', externalName: 'ext.interwebs.test' }),
    service('testns', 'external-to-service', {
      type: 'ExternalName',
      externalName: 'svc1.testns.svc.cluster.local.',
    }),
    service('testns', 'hdlsprtls', { clusterIP: 'None', ports: [] }),
  ],
  endpointSlices: [
    slice('kube-system', 'kubedns', ['172.0.0.100'], [{ name: 'dns', protocol: 'UDP', port: 53 }]),
    slice('testns', 'svc1', [{ ip: '172.0.0.1', hostname: 'ep1a' }]),
    slice('testns', 'svcempty', []),
    slice('testns', 'hdls1', [
      '172.0.0.2',
      '172.0.0.3',
      { ip: '172.0.0.4', hostname: 'dup-name' },
      { ip: '172.0.0.5', hostname: 'dup-name' },
    ]),
    slice('testns', 'hdlsprtls', ['172.0.0.20'], []),
  ],
};

export interface Ask {
  id?: number;
  rd?: boolean;
  ad?: boolean;
  opt?: DnsOpt;
}

/** A query as dig builds it: RD (and AD), one question. */
export function queryBytes(name: string, type: string, a: Ask = {}): Uint8Array {
  const m: DnsMessage = {
    id: a.id ?? 0x1234,
    qr: false,
    opcode: 0,
    aa: false,
    tc: false,
    rd: a.rd ?? true,
    ra: false,
    z: false,
    ad: a.ad ?? false,
    cd: false,
    rcode: 0,
    questions: [{ name, type, class: 'IN' }],
    answers: [],
    authorities: [],
    additionals: [],
    ...(a.opt ? { opt: a.opt } : {}),
  };
  return emitDns(m);
}

export function coreDns(seed = 1, corefile?: string): CoreDns {
  return createCoreDns({
    rng: createRng(seed),
    clusterDomain: 'cluster.local',
    ...(corefile ? { corefile } : {}),
  });
}

/** Ask and parse the reply (a forward is an error here). */
export function ask(
  dns: CoreDns,
  view: DnsClusterView,
  name: string,
  type: string,
  nowUs = 0,
  a: Ask = {},
) {
  const h = dns.handle(queryBytes(name, type, a), nowUs, view);
  if (h.kind !== 'reply') throw new Error(`expected a reply, got ${h.kind}`);
  return { msg: parseDns(h.response), facts: h.facts, bytes: h.response };
}

/** "name TTL IN TYPE data" lines, sorted (test.SortAndCheck compares sorted sections). */
export function lines(rs: DnsMessage['answers']): string[] {
  return rs.map((r) => `${r.name}. ${r.ttl} ${r.class} ${r.type} ${rdataText(r)}`).sort();
}
