/**
 * The shared view: EndpointSliceCache's endpoints map and CategorizeEndpoints
 * (pkg/proxy/endpointslicecache.go, pkg/proxy/topology.go; cases in the
 * spirit of topology_test.go TestCategorizeEndpoints without hints).
 */
import { describe, expect, it } from 'vitest';
import type { Endpoint, EndpointConditions, EndpointSlice, Service } from '../api-types.ts';
import { LABEL_SERVICE_NAME, buildEndpointsMap, endpointsFor } from './endpoints.ts';
import { servicePorts } from './service-port.ts';
import { servicePortNameString } from './service-port-name.ts';
import { categorizeEndpoints } from './topology.ts';

const READY: EndpointConditions = { ready: true, serving: true, terminating: false };
const ST: EndpointConditions = { ready: false, serving: true, terminating: true };
const e = (ip: string, conditions: EndpointConditions, nodeName?: string): Endpoint => ({
  addresses: [ip],
  conditions,
  ...(nodeName ? { nodeName } : {}),
});
const slice = (name: string, endpoints: Endpoint[], label = 'svc'): EndpointSlice => ({
  metadata: { namespace: 'ns', name, labels: { [LABEL_SERVICE_NAME]: label } },
  addressType: 'IPv4',
  endpoints,
  ports: [{ name: 'p', protocol: 'TCP', port: 80 }],
});
const svc = (edit: Partial<Service['spec']> = {}): Service => ({
  metadata: { namespace: 'ns', name: 'svc' },
  spec: {
    type: 'ClusterIP',
    clusterIP: '10.96.0.1',
    ports: [{ name: 'p', protocol: 'TCP', port: 80, targetPort: 80 }],
    sessionAffinity: 'None',
    externalTrafficPolicy: 'Cluster',
    internalTrafficPolicy: 'Cluster',
    ...edit,
  },
});
const ips = (eps: readonly { endpoint: string }[] | undefined) => eps?.map((x) => x.endpoint);

describe('endpoints map (EndpointSliceCache)', () => {
  it('merges slices by their service-name label, dedupes, sorts by the "ip:port" string', () => {
    const m = buildEndpointsMap(
      [slice('a', [e('10.0.0.10', READY), e('10.0.0.2', READY)]), slice('b', [e('10.0.0.2', ST)])],
      'n1',
    );
    const sp = servicePorts(svc())[0];
    // The terminating copy in slice b does not replace the ready one from a.
    expect(endpointsFor(m, sp.name).map((x) => [x.endpoint, x.ready])).toEqual([
      ['10.0.0.10:80', true],
      ['10.0.0.2:80', true],
    ]);
  });
  it('ignores slices without the label and non-IPv4 slices', () => {
    const unlabelled = {
      ...slice('c', [e('10.0.0.3', READY)]),
      metadata: { namespace: 'ns', name: 'c' },
    };
    const v6 = { ...slice('d', [e('fd00::1', READY)]), addressType: 'IPv6' as const };
    expect(buildEndpointsMap([unlabelled, v6], 'n1').size).toBe(0);
  });
  it('marks endpoints on this node local', () => {
    const m = buildEndpointsMap(
      [slice('a', [e('10.0.0.1', READY, 'n1'), e('10.0.0.2', READY, 'n2')])],
      'n1',
    );
    expect(endpointsFor(m, servicePorts(svc())[0].name).map((x) => x.isLocal)).toEqual([
      true,
      false,
    ]);
  });
});

describe('service map (ServiceChangeTracker)', () => {
  it('skips headless, IP-less and ExternalName Services', () => {
    expect(servicePorts(svc({ clusterIP: 'None' }))).toEqual([]);
    expect(servicePorts(svc({ clusterIP: undefined }))).toEqual([]);
    expect(servicePorts(svc({ type: 'ExternalName', externalName: 'x.example' }))).toEqual([]);
  });
  it('names an unnamed port "ns/name", a named one "ns/name:port"', () => {
    expect(servicePortNameString(servicePorts(svc())[0].name)).toBe('ns/svc:p');
    const unnamed = svc({ ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }] });
    expect(servicePortNameString(servicePorts(unnamed)[0].name)).toBe('ns/svc');
  });
  it('keeps a health check port only for LoadBalancer + Local', () => {
    const lb = { type: 'LoadBalancer' as const, healthCheckNodePort: 30000 };
    expect(
      servicePorts(svc({ ...lb, externalTrafficPolicy: 'Local' }))[0].healthCheckNodePort,
    ).toBe(30000);
    expect(servicePorts(svc(lb))[0].healthCheckNodePort).toBe(0);
  });
});

describe('CategorizeEndpoints', () => {
  const eps = (list: Endpoint[]) =>
    endpointsFor(buildEndpointsMap([slice('a', list)], 'n1'), servicePorts(svc())[0].name);
  it('Cluster policy: the ready endpoints; no local list', () => {
    const c = categorizeEndpoints(
      eps([e('10.0.0.1', READY, 'n1'), e('10.0.0.2', ST, 'n2')]),
      servicePorts(svc())[0],
    );
    expect(ips(c.clusterEndpoints)).toEqual(['10.0.0.1:80']);
    expect(c.localEndpoints).toBeUndefined();
    expect(c.hasAnyEndpoints).toBe(true);
  });
  it('Cluster policy falls back to serving-terminating endpoints when none is ready', () => {
    const c = categorizeEndpoints(
      eps([e('10.0.0.1', ST, 'n1'), e('10.0.0.2', ST, 'n2')]),
      servicePorts(svc())[0],
    );
    expect(ips(c.clusterEndpoints)).toEqual(['10.0.0.1:80', '10.0.0.2:80']);
  });
  it("internalTrafficPolicy Local: only this node's endpoints, and no cluster list", () => {
    const sp = servicePorts(svc({ internalTrafficPolicy: 'Local' }))[0];
    const c = categorizeEndpoints(
      eps([e('10.0.0.1', READY, 'n1'), e('10.0.0.2', READY, 'n2')]),
      sp,
    );
    expect(c.clusterEndpoints).toBeUndefined();
    expect(ips(c.localEndpoints)).toEqual(['10.0.0.1:80']);
    expect(ips(c.allReachableEndpoints)).toEqual(['10.0.0.1:80']);
  });
  it('Local with no local endpoint: none to use here, but the service has endpoints', () => {
    const sp = servicePorts(svc({ internalTrafficPolicy: 'Local' }))[0];
    const c = categorizeEndpoints(eps([e('10.0.0.2', READY, 'n2')]), sp);
    expect(c.localEndpoints).toBeUndefined();
    expect(c.hasAnyEndpoints).toBe(true);
  });
  it('externalTrafficPolicy Local with a local terminating endpoint: both lists, merged reachable set', () => {
    const sp = servicePorts(
      svc({
        type: 'NodePort',
        externalTrafficPolicy: 'Local',
        ports: [{ name: 'p', protocol: 'TCP', port: 80, targetPort: 80, nodePort: 30001 }],
      }),
    )[0];
    const c = categorizeEndpoints(eps([e('10.0.0.1', ST, 'n1'), e('10.0.0.2', READY, 'n2')]), sp);
    expect(ips(c.clusterEndpoints)).toEqual(['10.0.0.2:80']);
    expect(ips(c.localEndpoints)).toEqual(['10.0.0.1:80']);
    expect(ips(c.allReachableEndpoints)).toEqual(['10.0.0.1:80', '10.0.0.2:80']);
  });
});
