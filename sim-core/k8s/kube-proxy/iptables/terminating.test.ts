/**
 * Terminating endpoints as a fallback, stated from kube-proxy's
 * TestTerminatingEndpointsTrafficPolicyLocal and
 * TestTerminatingEndpointsTrafficPolicyCluster (proxier_test.go): one
 * LoadBalancer Service ns1/svc1 (cluster IP 172.30.1.1, port 80 unnamed,
 * ingress 1.2.3.4, health check port 30000) and one EndpointSlice per case;
 * a pod (10.0.0.2) and an external client (203.0.113.2) connect, and the
 * test names every endpoint the connection can reach, or the verdict.
 */
import { describe, expect, it } from 'vitest';
import type { Endpoint, EndpointConditions } from '../../api-types.ts';
import { parseIptablesRestore } from '../../../dataplane/netfilter/index.ts';
import { allOutcomes } from './flow.ts';
import { nodeRuleset } from './node-ruleset.ts';
import { TEST_NODE, makeTestEndpointSlice, makeTestService } from './test-objects.ts';

const READY: EndpointConditions = { ready: true, serving: true, terminating: false };
const SERVING_TERMINATING: EndpointConditions = { ready: false, serving: true, terminating: true };
const TERMINATING: EndpointConditions = { ready: false, serving: false, terminating: true };

const e = (ip: string, conditions: EndpointConditions, nodeName: string): Endpoint => ({
  addresses: [ip],
  conditions,
  nodeName,
});
const here = TEST_NODE.name;

function run(policy: 'Local' | 'Cluster', endpoints: readonly Endpoint[]) {
  const service = makeTestService('ns1', 'svc1', (s, svc) => {
    s.type = 'LoadBalancer';
    s.clusterIP = '172.30.1.1';
    s.externalTrafficPolicy = policy;
    s.healthCheckNodePort = 30000;
    s.ports = [{ port: 80, protocol: 'TCP', targetPort: 80 }];
    svc.loadBalancerIngress = ['1.2.3.4'];
  });
  const slices = endpoints.length
    ? [
        makeTestEndpointSlice('ns1', 'svc1', 1, endpoints, [
          { name: '', protocol: 'TCP', port: 80 },
        ]),
      ]
    : [];
  const r = parseIptablesRestore(
    nodeRuleset({ services: [service], endpointSlices: slices, node: TEST_NODE }),
  );
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  const local = [TEST_NODE.ip, '127.0.0.1'];
  return {
    pod: allOutcomes(r.ruleset, { src: '10.0.0.2', dst: '172.30.1.1', dport: 80 }, local),
    external: allOutcomes(r.ruleset, { src: '203.0.113.2', dst: '1.2.3.4', dport: 80 }, local),
  };
}

describe('TestTerminatingEndpointsTrafficPolicyLocal', () => {
  it('only serving-terminating endpoints on this node: external traffic uses them', () => {
    const r = run('Local', [
      e('10.0.1.2', SERVING_TERMINATING, here),
      e('10.0.1.3', SERVING_TERMINATING, here),
      e('10.0.1.4', TERMINATING, here),
      e('10.0.1.5', READY, 'node-1'),
    ]);
    expect(r.pod).toEqual({ output: '10.0.1.5:80', masq: false });
    expect(r.external).toEqual({ output: '10.0.1.2:80, 10.0.1.3:80', masq: false });
  });
  it('terminating endpoints on a remote node only: the pod reaches one, external traffic is dropped', () => {
    const r = run('Local', [e('10.0.1.5', SERVING_TERMINATING, 'node-1')]);
    expect(r.pod.output).toBe('10.0.1.5:80');
    expect(r.external.output).toBe('DROP');
  });
  it('no usable endpoint on any node: REJECT both', () => {
    const r = run('Local', [
      e('10.0.1.5', TERMINATING, here),
      e('10.0.1.5', TERMINATING, 'node-1'),
    ]);
    expect(r.pod.output).toBe('REJECT');
    expect(r.external.output).toBe('REJECT');
  });
  it('after the slice is deleted: REJECT both', () => {
    const r = run('Local', []);
    expect(r.pod.output).toBe('REJECT');
    expect(r.external.output).toBe('REJECT');
  });
});

describe('TestTerminatingEndpointsTrafficPolicyCluster', () => {
  it('ready endpoints exist: only they are used', () => {
    const r = run('Cluster', [
      e('10.0.1.1', READY, here),
      e('10.0.1.2', READY, here),
      e('10.0.1.3', SERVING_TERMINATING, 'another-node'),
      e('10.0.1.4', TERMINATING, 'another-node'),
      e('10.0.1.5', READY, 'another-node'),
    ]);
    expect(r.pod).toEqual({ output: '10.0.1.1:80, 10.0.1.2:80, 10.0.1.5:80', masq: false });
    expect(r.external).toEqual({ output: '10.0.1.1:80, 10.0.1.2:80, 10.0.1.5:80', masq: true });
  });
  it('only terminating endpoints exist: the serving ones are used', () => {
    const r = run('Cluster', [
      e('10.0.1.2', SERVING_TERMINATING, here),
      e('10.0.1.3', SERVING_TERMINATING, here),
      e('10.0.1.4', TERMINATING, 'another-node'),
      e('10.0.1.5', SERVING_TERMINATING, 'another-node'),
    ]);
    expect(r.pod).toEqual({ output: '10.0.1.2:80, 10.0.1.3:80, 10.0.1.5:80', masq: false });
    expect(r.external).toEqual({ output: '10.0.1.2:80, 10.0.1.3:80, 10.0.1.5:80', masq: true });
  });
  it('terminating endpoints on a remote node', () => {
    const r = run('Cluster', [e('10.0.1.5', SERVING_TERMINATING, 'node-1')]);
    expect(r.pod).toEqual({ output: '10.0.1.5:80', masq: false });
    expect(r.external).toEqual({ output: '10.0.1.5:80', masq: true });
  });
  it('no usable endpoints on any node: REJECT', () => {
    const r = run('Cluster', [
      e('10.0.1.5', TERMINATING, here),
      e('10.0.1.5', TERMINATING, 'node-1'),
    ]);
    expect(r.pod.output).toBe('REJECT');
    expect(r.external.output).toBe('REJECT');
  });
});
