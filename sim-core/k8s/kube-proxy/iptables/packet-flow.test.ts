/**
 * Packets walked through the generated node ruleset with the netfilter
 * evaluator, in the spirit of kube-proxy's runPacketFlowTests
 * (proxier_test.go: TestClusterIPGeneral, TestNoEndpointsReject,
 * TestLoadBalancer, TestOnlyLocalExternalIPs / TestOnlyLocalLoadBalancing,
 * and the session-affinity case of TestOverallIPTablesRules): where a new
 * connection is DNATed to, whether it gets the masquerade mark 0x4000, or
 * whether filter REJECTs / DROPs it.
 */
import { describe, expect, it } from 'vitest';
import type { NetfilterState } from '../../../dataplane/netfilter/index.ts';
import { parseIptablesRestore } from '../../../dataplane/netfilter/index.ts';
import { CASES, NODE } from './cases.ts';
import type { Flow } from './flow.ts';
import { flow } from './flow.ts';
import { nodeRuleset } from './node-ruleset.ts';

function load(name: string): NetfilterState {
  const c = CASES.find((x) => x.name === name);
  if (!c) throw new Error(name);
  const r = parseIptablesRestore(nodeRuleset({ ...c, node: NODE }));
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.ruleset;
}

const LOCAL_ADDRS = [NODE.ip, '127.0.0.1'];
const walk = (s: NetfilterState, f: Flow) => flow(s, f, LOCAL_ADDRS);

describe('ClusterIP (TestClusterIPGeneral)', () => {
  const s = load('3-endpoint ClusterIP');
  it('a pod SYN to the cluster IP is DNATed to an endpoint, not masqueraded', () => {
    // 1st rule: probability 1/3; a draw of 0.1 takes it.
    expect(
      walk(s, { src: '10.244.0.4', dst: '10.96.0.50', dport: 80, randoms: [0.1] }),
    ).toMatchObject({
      output: '10.244.0.2:8080',
      masq: false,
    });
    // 0.9 misses 1/3, 0.4 takes 1/2: the second endpoint.
    expect(
      walk(s, { src: '10.244.0.4', dst: '10.96.0.50', dport: 80, randoms: [0.9, 0.4] }).output,
    ).toBe('10.244.0.3:8080');
    // Missing both: the last endpoint, which has no statistic match.
    expect(
      walk(s, { src: '10.244.0.4', dst: '10.96.0.50', dport: 80, randoms: [0.9, 0.9] }).output,
    ).toBe('10.244.1.2:8080');
  });
  it('hairpin: an endpoint reaching itself through the Service is masqueraded', () => {
    expect(
      walk(s, { src: '10.244.0.2', dst: '10.96.0.50', dport: 80, randoms: [0.1] }),
    ).toMatchObject({
      output: '10.244.0.2:8080',
      masq: true,
    });
  });
  it('from off the cluster (! -s 10.244.0.0/16) the SYN gets the 0x4000 mark', () => {
    expect(
      walk(s, { src: '192.168.1.99', dst: '10.96.0.50', dport: 80, randoms: [0.1] }),
    ).toMatchObject({
      output: '10.244.0.2:8080',
      masq: true,
    });
  });
  it('another port or protocol on the cluster IP is not captured', () => {
    expect(walk(s, { src: '10.244.0.4', dst: '10.96.0.50', dport: 443 }).output).toBe('');
    expect(walk(s, { src: '10.244.0.4', dst: '10.96.0.50', dport: 80, protocol: 17 }).output).toBe(
      '',
    );
  });
});

describe('no endpoints (TestNoEndpointsReject)', () => {
  const s = load('no endpoints, UDP, multiple ports');
  it('a pod to the cluster IP is REJECTed in filter', () => {
    expect(walk(s, { src: '10.244.0.4', dst: '10.96.0.99', dport: 80 }).output).toBe('REJECT');
  });
  it('an external client to the NodePort is REJECTed (KUBE-EXTERNAL-SERVICES)', () => {
    expect(walk(s, { src: '203.0.113.2', dst: NODE.ip, dport: 30099 }).output).toBe('REJECT');
  });
  it("the same node's UDP and TCP ports of one name each reach the endpoint", () => {
    expect(walk(s, { src: '10.244.0.4', dst: '10.96.0.10', dport: 53, protocol: 17 }).output).toBe(
      '10.244.0.5:53',
    );
    expect(walk(s, { src: '10.244.0.4', dst: '10.96.0.10', dport: 53 }).output).toBe(
      '10.244.0.5:53',
    );
  });
});

describe('LoadBalancer with loadBalancerSourceRanges (TestLoadBalancer)', () => {
  const s = load('LoadBalancer with source ranges');
  const lb = '172.18.255.200';
  it('an accepted external client reaches an endpoint, masqueraded', () => {
    expect(walk(s, { src: '203.0.113.2', dst: lb, dport: 80, randoms: [0.1] })).toMatchObject({
      output: '10.244.0.2:8080',
      masq: true,
    });
  });
  it('a blocked client is dropped by KUBE-PROXY-FIREWALL', () => {
    expect(walk(s, { src: '203.0.113.130', dst: lb, dport: 80 }).output).toBe('DROP');
  });
  it('a pod (outside the ranges) is dropped too', () => {
    expect(walk(s, { src: '10.244.0.4', dst: lb, dport: 80 }).output).toBe('DROP');
  });
  it('the node, inside a range, is allowed', () => {
    expect(walk(s, { src: NODE.ip, dst: lb, dport: 80, randoms: [0.9] })).toMatchObject({
      output: '10.244.1.2:8080',
      masq: true,
    });
  });
  it('the NodePort bypasses the source ranges', () => {
    expect(
      walk(s, { src: '203.0.113.130', dst: NODE.ip, dport: 30081, randoms: [0.1] }),
    ).toMatchObject({
      output: '10.244.0.2:8080',
      masq: true,
    });
  });
});

describe('externalTrafficPolicy Local (TestOnlyLocalLoadBalancing, TestOnlyLocalExternalIPs)', () => {
  const s = load('externalTrafficPolicy Local');
  it('an external client to the LB IP reaches only the local endpoint, source kept', () => {
    expect(walk(s, { src: '203.0.113.2', dst: '172.18.255.201', dport: 80 })).toMatchObject({
      output: '10.244.0.2:8080',
      masq: false,
    });
    expect(walk(s, { src: '203.0.113.2', dst: '192.168.1.200', dport: 80 }).output).toBe(
      '10.244.0.2:8080',
    );
  });
  it('a pod to the LB IP is short-circuited to all endpoints (KUBE-SVC-)', () => {
    expect(
      walk(s, { src: '10.244.0.4', dst: '172.18.255.201', dport: 80, randoms: [0.9] }),
    ).toMatchObject({
      output: '10.244.1.2:8080',
      masq: false,
    });
  });
  it('the node itself to the NodePort goes to all endpoints, masqueraded', () => {
    expect(walk(s, { src: NODE.ip, dst: NODE.ip, dport: 30082, randoms: [0.9] })).toMatchObject({
      output: '10.244.1.2:8080',
      masq: true,
    });
  });
  it('with no local endpoint, an external client to the NodePort is DROPped', () => {
    expect(walk(s, { src: '203.0.113.2', dst: NODE.ip, dport: 30083 }).output).toBe('DROP');
  });
  it('but a pod to the cluster IP still reaches the remote endpoint', () => {
    expect(walk(s, { src: '10.244.0.4', dst: '10.96.0.81', dport: 80 }).output).toBe(
      '10.244.1.3:8080',
    );
  });
});

describe('sessionAffinity ClientIP', () => {
  const s = load('ClientIP affinity');
  it('the first connection picks at random and is remembered; later ones stick to it', () => {
    const first = walk(s, { src: '10.244.0.4', dst: '10.96.0.90', dport: 80, randoms: [0.9] });
    expect(first.output).toBe('10.244.1.2:8080');
    // A draw that would pick the first endpoint: --rcheck wins before the draw.
    const again = walk(first.state, {
      src: '10.244.0.4',
      dst: '10.96.0.90',
      dport: 80,
      randoms: [],
      nowUs: 60_000_000,
    });
    expect(again.output).toBe('10.244.1.2:8080');
    // Another client is not affected.
    expect(
      walk(first.state, { src: '10.244.0.7', dst: '10.96.0.90', dport: 80, randoms: [0.1] }).output,
    ).toBe('10.244.0.2:8080');
  });
  it('after 10800 s without traffic the entry has expired and the draw decides again', () => {
    const first = walk(s, { src: '10.244.0.4', dst: '10.96.0.90', dport: 80, randoms: [0.9] });
    const late = walk(first.state, {
      src: '10.244.0.4',
      dst: '10.96.0.90',
      dport: 80,
      randoms: [0.1],
      nowUs: 1_000_000 + 10_801_000_000,
    });
    expect(late.output).toBe('10.244.0.2:8080');
  });
});
