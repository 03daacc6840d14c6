/**
 * Packets walked through the generated node ruleset with the netfilter
 * evaluator, in the spirit of kube-proxy's runPacketFlowTests
 * (proxier_test.go: TestClusterIPGeneral, TestNoEndpointsReject,
 * TestLoadBalancer, TestOnlyLocalExternalIPs / TestOnlyLocalLoadBalancing,
 * and the session-affinity case of TestOverallIPTablesRules): where a new
 * connection is DNATed to, whether it gets the masquerade mark 0x4000, or
 * whether filter REJECTs / DROPs it.
 *
 * The path is the kernel's for a new connection: nat PREROUTING (nat OUTPUT
 * for the node's own packets), then filter INPUT when the (translated)
 * destination is local, FORWARD otherwise (OUTPUT for the node's own).
 */
import { describe, expect, it } from 'vitest';
import type { NetfilterState } from '../../../dataplane/netfilter/index.ts';
import { parseIptablesRestore, traverse } from '../../../dataplane/netfilter/index.ts';
import { testEnv } from '../../../dataplane/netfilter/test-env.ts';
import { CASES, NODE } from './cases.ts';
import { nodeRuleset } from './node-ruleset.ts';

function load(name: string): NetfilterState {
  const c = CASES.find((x) => x.name === name);
  if (!c) throw new Error(name);
  const r = parseIptablesRestore(nodeRuleset({ ...c, node: NODE }));
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.ruleset;
}

const LOCAL_ADDRS = [NODE.ip, '127.0.0.1'];

interface Flow {
  readonly src: string;
  readonly dst: string;
  readonly dport: number;
  readonly protocol?: number;
  /** statistic draws, in [0, 1): below a rule's probability picks its endpoint. */
  readonly randoms?: readonly number[];
  readonly nowUs?: number;
}

interface FlowResult {
  /** "ip:port" after DNAT, or "REJECT"/"DROP", or "" when nothing matched. */
  readonly output: string;
  readonly masq: boolean;
  readonly state: NetfilterState;
}

function flow(state: NetfilterState, f: Flow): FlowResult {
  const fromNode = LOCAL_ADDRS.includes(f.src);
  const env = testEnv({
    randoms: f.randoms ?? [],
    nowUs: f.nowUs ?? 1_000_000,
    types: Object.fromEntries(LOCAL_ADDRS.map((a) => [a, 'LOCAL' as const])),
  });
  const pkt = {
    src: f.src,
    dst: f.dst,
    protocol: f.protocol ?? 6,
    sport: 40000,
    dport: f.dport,
    tcpFlags: 0x02,
    length: 60,
    mark: 0,
    ctState: 'NEW' as const,
  };
  const nat = traverse(state, 'nat', fromNode ? 'OUTPUT' : 'PREROUTING', pkt, env);
  const dnat = nat.nat?.kind === 'DNAT' ? nat.nat : undefined;
  const dst = dnat?.addr ?? f.dst;
  const dport = dnat?.port ?? f.dport;
  const filterChain = fromNode ? 'OUTPUT' : LOCAL_ADDRS.includes(dst) ? 'INPUT' : 'FORWARD';
  const filtered = traverse(
    nat.state,
    'filter',
    filterChain,
    { ...pkt, dst, dport, mark: nat.mark, ...(dnat ? { ctStatus: ['DNAT' as const] } : {}) },
    env,
  );
  const masq = (filtered.mark & 0x4000) !== 0;
  if (filtered.verdict !== 'ACCEPT')
    return { output: filtered.verdict, masq, state: filtered.state };
  return { output: dnat ? `${dst}:${dport}` : '', masq, state: filtered.state };
}

describe('ClusterIP (TestClusterIPGeneral)', () => {
  const s = load('3-endpoint ClusterIP');
  it('a pod SYN to the cluster IP is DNATed to an endpoint, not masqueraded', () => {
    // 1st rule: probability 1/3; a draw of 0.1 takes it.
    expect(
      flow(s, { src: '10.244.0.4', dst: '10.96.0.50', dport: 80, randoms: [0.1] }),
    ).toMatchObject({
      output: '10.244.0.2:8080',
      masq: false,
    });
    // 0.9 misses 1/3, 0.4 takes 1/2: the second endpoint.
    expect(
      flow(s, { src: '10.244.0.4', dst: '10.96.0.50', dport: 80, randoms: [0.9, 0.4] }).output,
    ).toBe('10.244.0.3:8080');
    // Missing both: the last endpoint, which has no statistic match.
    expect(
      flow(s, { src: '10.244.0.4', dst: '10.96.0.50', dport: 80, randoms: [0.9, 0.9] }).output,
    ).toBe('10.244.1.2:8080');
  });
  it('hairpin: an endpoint reaching itself through the Service is masqueraded', () => {
    expect(
      flow(s, { src: '10.244.0.2', dst: '10.96.0.50', dport: 80, randoms: [0.1] }),
    ).toMatchObject({
      output: '10.244.0.2:8080',
      masq: true,
    });
  });
  it('from off the cluster (! -s 10.244.0.0/16) the SYN gets the 0x4000 mark', () => {
    expect(
      flow(s, { src: '192.168.1.99', dst: '10.96.0.50', dport: 80, randoms: [0.1] }),
    ).toMatchObject({
      output: '10.244.0.2:8080',
      masq: true,
    });
  });
  it('another port or protocol on the cluster IP is not captured', () => {
    expect(flow(s, { src: '10.244.0.4', dst: '10.96.0.50', dport: 443 }).output).toBe('');
    expect(flow(s, { src: '10.244.0.4', dst: '10.96.0.50', dport: 80, protocol: 17 }).output).toBe(
      '',
    );
  });
});

describe('no endpoints (TestNoEndpointsReject)', () => {
  const s = load('no endpoints, UDP, multiple ports');
  it('a pod to the cluster IP is REJECTed in filter', () => {
    expect(flow(s, { src: '10.244.0.4', dst: '10.96.0.99', dport: 80 }).output).toBe('REJECT');
  });
  it('an external client to the NodePort is REJECTed (KUBE-EXTERNAL-SERVICES)', () => {
    expect(flow(s, { src: '203.0.113.2', dst: NODE.ip, dport: 30099 }).output).toBe('REJECT');
  });
  it("the same node's UDP and TCP ports of one name each reach the endpoint", () => {
    expect(flow(s, { src: '10.244.0.4', dst: '10.96.0.10', dport: 53, protocol: 17 }).output).toBe(
      '10.244.0.5:53',
    );
    expect(flow(s, { src: '10.244.0.4', dst: '10.96.0.10', dport: 53 }).output).toBe(
      '10.244.0.5:53',
    );
  });
});

describe('LoadBalancer with loadBalancerSourceRanges (TestLoadBalancer)', () => {
  const s = load('LoadBalancer with source ranges');
  const lb = '172.18.255.200';
  it('an accepted external client reaches an endpoint, masqueraded', () => {
    expect(flow(s, { src: '203.0.113.2', dst: lb, dport: 80, randoms: [0.1] })).toMatchObject({
      output: '10.244.0.2:8080',
      masq: true,
    });
  });
  it('a blocked client is dropped by KUBE-PROXY-FIREWALL', () => {
    expect(flow(s, { src: '203.0.113.130', dst: lb, dport: 80 }).output).toBe('DROP');
  });
  it('a pod (outside the ranges) is dropped too', () => {
    expect(flow(s, { src: '10.244.0.4', dst: lb, dport: 80 }).output).toBe('DROP');
  });
  it('the node, inside a range, is allowed', () => {
    expect(flow(s, { src: NODE.ip, dst: lb, dport: 80, randoms: [0.9] })).toMatchObject({
      output: '10.244.1.2:8080',
      masq: true,
    });
  });
  it('the NodePort bypasses the source ranges', () => {
    expect(
      flow(s, { src: '203.0.113.130', dst: NODE.ip, dport: 30081, randoms: [0.1] }),
    ).toMatchObject({
      output: '10.244.0.2:8080',
      masq: true,
    });
  });
});

describe('externalTrafficPolicy Local (TestOnlyLocalLoadBalancing, TestOnlyLocalExternalIPs)', () => {
  const s = load('externalTrafficPolicy Local');
  it('an external client to the LB IP reaches only the local endpoint, source kept', () => {
    expect(flow(s, { src: '203.0.113.2', dst: '172.18.255.201', dport: 80 })).toMatchObject({
      output: '10.244.0.2:8080',
      masq: false,
    });
    expect(flow(s, { src: '203.0.113.2', dst: '192.168.1.200', dport: 80 }).output).toBe(
      '10.244.0.2:8080',
    );
  });
  it('a pod to the LB IP is short-circuited to all endpoints (KUBE-SVC-)', () => {
    expect(
      flow(s, { src: '10.244.0.4', dst: '172.18.255.201', dport: 80, randoms: [0.9] }),
    ).toMatchObject({
      output: '10.244.1.2:8080',
      masq: false,
    });
  });
  it('the node itself to the NodePort goes to all endpoints, masqueraded', () => {
    expect(flow(s, { src: NODE.ip, dst: NODE.ip, dport: 30082, randoms: [0.9] })).toMatchObject({
      output: '10.244.1.2:8080',
      masq: true,
    });
  });
  it('with no local endpoint, an external client to the NodePort is DROPped', () => {
    expect(flow(s, { src: '203.0.113.2', dst: NODE.ip, dport: 30083 }).output).toBe('DROP');
  });
  it('but a pod to the cluster IP still reaches the remote endpoint', () => {
    expect(flow(s, { src: '10.244.0.4', dst: '10.96.0.81', dport: 80 }).output).toBe(
      '10.244.1.3:8080',
    );
  });
});

describe('sessionAffinity ClientIP', () => {
  const s = load('ClientIP affinity');
  it('the first connection picks at random and is remembered; later ones stick to it', () => {
    const first = flow(s, { src: '10.244.0.4', dst: '10.96.0.90', dport: 80, randoms: [0.9] });
    expect(first.output).toBe('10.244.1.2:8080');
    // A draw that would pick the first endpoint: --rcheck wins before the draw.
    const again = flow(first.state, {
      src: '10.244.0.4',
      dst: '10.96.0.90',
      dport: 80,
      randoms: [],
      nowUs: 60_000_000,
    });
    expect(again.output).toBe('10.244.1.2:8080');
    // Another client is not affected.
    expect(
      flow(first.state, { src: '10.244.0.7', dst: '10.96.0.90', dport: 80, randoms: [0.1] }).output,
    ).toBe('10.244.0.2:8080');
  });
  it('after 10800 s without traffic the entry has expired and the draw decides again', () => {
    const first = flow(s, { src: '10.244.0.4', dst: '10.96.0.90', dport: 80, randoms: [0.9] });
    const late = flow(first.state, {
      src: '10.244.0.4',
      dst: '10.96.0.90',
      dport: 80,
      randoms: [0.1],
      nowUs: 1_000_000 + 10_801_000_000,
    });
    expect(late.output).toBe('10.244.0.2:8080');
  });
});
