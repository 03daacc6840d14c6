/**
 * rulesDependOnNode: when may one node's kube-proxy rules stand for every
 * node's? Stated from proxier_test.go: TestInternalTrafficPolicy (ns1/svc1,
 * cluster IP 172.30.1.1:80, endpoints 10.0.1.1 and 10.0.1.2 on this host
 * and 10.0.1.3 on host1: with internalTrafficPolicy Local only the two local
 * endpoints get a KUBE-SEP- jump) and TestLoadBalancer (ingress 1.2.3.4,
 * loadBalancerSourceRanges 192.168.0.0/24, which holds the node's own
 * 192.168.0.2, so the KUBE-FW- chain also lets 1.2.3.4 in).
 */
import { describe, expect, it } from 'vitest';
import type { Service, ServiceSpec } from '../../api-types.ts';
import { buildNodeRuleset } from './node-ruleset.ts';
import { rulesDependOnNode } from './node-dependence.ts';
import { TEST_NODE, ep, makeTestEndpointSlice, makeTestService } from './test-objects.ts';

type Edit = (spec: { -readonly [K in keyof ServiceSpec]: ServiceSpec[K] }, svc: Service) => void;

const svc1 = (edit: Edit) =>
  makeTestService('ns1', 'svc1', (s, svc) => {
    s.clusterIP = '172.30.1.1';
    s.ports = [{ name: 'p80', port: 80, protocol: 'TCP', targetPort: 80 }];
    edit(s, svc);
  });

const slices = [
  makeTestEndpointSlice(
    'ns1',
    'svc1',
    1,
    [
      ep('10.0.1.1', { nodeName: TEST_NODE.name }),
      ep('10.0.1.2', { nodeName: TEST_NODE.name }),
      ep('10.0.1.3', { nodeName: 'host1' }),
    ],
    [{ name: 'p80', protocol: 'TCP', port: 80 }],
  ),
];

const OTHER = { name: 'host1', ip: '192.168.1.7', clusterCIDR: TEST_NODE.clusterCIDR };
const textOn = (services: readonly Service[], node = TEST_NODE) =>
  buildNodeRuleset({ services, endpointSlices: slices, node }).text;
const seps = (text: string) =>
  text.split('\n').filter((l) => /^-A KUBE-SVC-\S+ .*-j KUBE-SEP-/.test(l)).length;

describe('rulesDependOnNode', () => {
  it('TestInternalTrafficPolicy, Cluster: every endpoint on every node, one file for all', () => {
    const services = [svc1(() => {})];
    expect(rulesDependOnNode(services)).toBe(false);
    expect(seps(textOn(services))).toBe(3);
    expect(textOn(services, OTHER)).toBe(textOn(services));
  });

  it('TestInternalTrafficPolicy, Local: only this node’s two endpoints, so nodes differ', () => {
    const services = [svc1((s) => void (s.internalTrafficPolicy = 'Local'))];
    expect(rulesDependOnNode(services)).toBe(true);
    expect(textOn(services)).toMatch(/-j KUBE-SEP-\S+/);
    expect(textOn(services, OTHER)).not.toBe(textOn(services));
  });

  it('externalTrafficPolicy Local on a NodePort Service depends on the node', () => {
    const services = [
      svc1((s) => {
        s.type = 'NodePort';
        s.externalTrafficPolicy = 'Local';
        s.ports = [{ name: 'p80', port: 80, protocol: 'TCP', targetPort: 80, nodePort: 3001 }];
      }),
    ];
    expect(rulesDependOnNode(services)).toBe(true);
  });

  it('TestLoadBalancer: a source range holding the node’s IP lets the VIP in on that node only', () => {
    const services = [
      svc1((s, svc) => {
        s.type = 'LoadBalancer';
        s.loadBalancerSourceRanges = ['192.168.0.0/24'];
        s.ports = [{ name: 'p80', port: 80, protocol: 'TCP', targetPort: 80, nodePort: 3001 }];
        (svc as { loadBalancerIngress?: string[] }).loadBalancerIngress = ['1.2.3.4'];
      }),
    ];
    expect(rulesDependOnNode(services)).toBe(true);
    const fw = (text: string) =>
      text.split('\n').filter((l) => /^-A KUBE-FW-.* -s 1\.2\.3\.4 -j KUBE-EXT-/.test(l));
    expect(fw(textOn(services))).toHaveLength(1);
    expect(fw(textOn(services, OTHER))).toHaveLength(0);
  });

  it('NodePort and ClusterIP Services with Cluster policies: the same file on every node', () => {
    const services = [
      svc1((s) => {
        s.type = 'NodePort';
        s.ports = [{ name: 'p80', port: 80, protocol: 'TCP', targetPort: 80, nodePort: 3001 }];
      }),
    ];
    expect(rulesDependOnNode(services)).toBe(false);
    expect(textOn(services, OTHER)).toBe(textOn(services));
  });
});
