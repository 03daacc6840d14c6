/**
 * Builders for tests, shaped like kube-proxy's proxier_test.go helpers
 * (makeTestService, makeTestEndpointSlice, NewFakeProxier's node): an object
 * with the API's defaults that a test then edits.
 */
import type {
  Endpoint,
  EndpointPort,
  EndpointSlice,
  ProxyNode,
  Service,
  ServiceSpec,
} from '../../api-types.ts';
import { LABEL_SERVICE_NAME } from '../endpoints.ts';
import type { IptablesProxierOptions } from './sync-proxy-rules.ts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** makeTestService: a Service with an empty spec (ClusterIP type, no affinity, Cluster policies). */
export function makeTestService(
  namespace: string,
  name: string,
  edit: (spec: Mutable<ServiceSpec>, svc: Mutable<Service>) => void,
): Service {
  const spec: Mutable<ServiceSpec> = {
    type: 'ClusterIP',
    ports: [],
    sessionAffinity: 'None',
    externalTrafficPolicy: 'Cluster',
    internalTrafficPolicy: 'Cluster',
  };
  const svc: Mutable<Service> = { metadata: { namespace, name }, spec };
  edit(spec, svc);
  return svc;
}

/** An endpoint with nil conditions, which kube-proxy reads as ready and serving. */
export function ep(address: string, extra: Partial<Endpoint> = {}): Endpoint {
  return {
    addresses: [address],
    conditions: { ready: true, serving: true, terminating: false },
    ...extra,
  };
}

/** makeTestEndpointSlice: "<name>-<n>", labelled with its Service's name. */
export function makeTestEndpointSlice(
  namespace: string,
  name: string,
  n: number,
  endpoints: readonly Endpoint[],
  ports: readonly EndpointPort[],
): EndpointSlice {
  return {
    metadata: { namespace, name: `${name}-${n}`, labels: { [LABEL_SERVICE_NAME]: name } },
    addressType: 'IPv4',
    endpoints,
    ports,
  };
}

/** NewFakeProxier's node: test-node, 192.168.0.2, pods in 10.0.0.0/8. */
export const TEST_NODE: ProxyNode = {
  name: 'test-node',
  ip: '192.168.0.2',
  clusterCIDR: '10.0.0.0/8',
};

/**
 * NewFakeProxier's settings: masqueradeMark "0x4000" set directly, a fake
 * iptables without --random-fully, nfacct counters present, localhost
 * NodePorts on.
 */
export const FAKE_PROXIER_OPTIONS: IptablesProxierOptions = {
  masqueradeMark: '0x4000',
  randomFully: false,
  nfacct: true,
  localhostNodePorts: true,
};
