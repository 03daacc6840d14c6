/**
 * Terminating endpoints in IPVS mode, stated in our own words from
 * kube-proxy's pkg/proxy/ipvs (read at a 2025 checkout): proxier_test.go's
 * Test_EndpointSliceReadyAndTerminatingCluster / ...Local and
 * Test_EndpointSliceOnlyReadyAndTerminatingCluster / ...Local (which real
 * servers the ClusterIP and LoadBalancer virtual servers get), and
 * graceful_termination_test.go (a removed destination with connections is
 * set to weight 0 and kept; without connections, or for UDP, it is deleted;
 * the periodic check deletes it once its connections are gone).
 */
import { describe, expect, it } from 'vitest';
import type { Endpoint, EndpointConditions } from '../../api-types.ts';
import { ipvsStateOf } from '../../../dataplane/ipvs/install.ts';
import { schedulerOf } from '../../../dataplane/ipvs/schedule.ts';
import { insertConn, services as listServices } from '../../../dataplane/ipvs/table.ts';
import type { IpvsState } from '../../../dataplane/ipvs/state.ts';
import { makeTestEndpointSlice, makeTestService } from '../iptables/test-objects.ts';
import { resyncGracefully, tryDeleteRs } from './graceful.ts';
import { syncIpvsProxier } from './index.ts';

const HOST = 'test-hostname';
const node = { name: HOST, ip: '10.20.30.40', clusterCIDR: '10.0.0.0/8' };
const READY: EndpointConditions = { ready: true, serving: true, terminating: false };
const SERVING_TERMINATING: EndpointConditions = { ready: false, serving: true, terminating: true };
const TERMINATING: EndpointConditions = { ready: false, serving: false, terminating: true };
const e = (ip: string, conditions: EndpointConditions, nodeName = HOST): Endpoint => ({
  addresses: [ip],
  conditions,
  nodeName,
});

/**
 * The upstream tests' Service: NodePort type (no node port given), external
 * IP 1.2.3.4, ClusterIP 172.20.1.1, one port 80/TCP; the node is
 * test-hostname. They check two virtual servers, the real servers of each
 * and the KUBE-LOOP-BACK set's entries.
 */
function sync(policy: 'Cluster' | 'Local', endpoints: readonly Endpoint[]) {
  const service = makeTestService('ns1', 'svc1', (s) => {
    s.type = 'NodePort';
    s.clusterIP = '172.20.1.1';
    s.externalTrafficPolicy = policy;
    s.internalTrafficPolicy = 'Cluster';
    s.externalIPs = ['1.2.3.4'];
    s.ports = [{ name: '', port: 80, protocol: 'TCP', targetPort: 80 }];
  });
  const slice = makeTestEndpointSlice('ns1', 'svc1', 1, endpoints, [
    { name: '', protocol: 'TCP', port: 80 },
  ]);
  const result = syncIpvsProxier([service], [slice], node);
  const of = (address: string) =>
    result.table.virtualServers
      .find((v) => v.address === address && v.port === 80)!
      .realServers.map((r) => `${r.address}:${r.port}`)
      .sort();
  return {
    virtualServers: result.table.virtualServers.map((v) => `${v.address}:${v.port}`).sort(),
    clusterIP: of('172.20.1.1'),
    externalIP: of('1.2.3.4'),
    loopBack: [...(result.ipsets.find((s) => s.name === 'KUBE-LOOP-BACK')?.entries ?? [])].sort(),
  };
}

const loop = (...ips: string[]) => ips.map((ip) => `${ip},tcp:80,${ip}`);

describe('[SVC18] IPVS real servers with terminating endpoints (KEP-1669)', () => {
  // Test_EndpointSliceReadyAndTerminatingCluster / ...Local: two ready, one
  // serving-terminating and one non-serving terminating endpoint on this
  // node, and one ready endpoint on another host.
  const mixed = [
    e('10.0.1.1', READY),
    e('10.0.1.2', READY),
    e('10.0.1.3', SERVING_TERMINATING),
    e('10.0.1.4', TERMINATING),
    e('10.0.1.5', READY, 'another-host'),
  ];
  it('ReadyAndTerminatingCluster: both virtual servers get only the ready endpoints, anywhere', () => {
    expect(sync('Cluster', mixed)).toEqual({
      virtualServers: ['1.2.3.4:80', '172.20.1.1:80'],
      clusterIP: ['10.0.1.1:80', '10.0.1.2:80', '10.0.1.5:80'],
      externalIP: ['10.0.1.1:80', '10.0.1.2:80', '10.0.1.5:80'],
      // Every local endpoint, terminating or not, is in KUBE-LOOP-BACK.
      loopBack: loop('10.0.1.1', '10.0.1.2', '10.0.1.3', '10.0.1.4'),
    });
  });
  it('ReadyAndTerminatingLocal: the external IP keeps to the local ready ones', () => {
    expect(sync('Local', mixed)).toEqual({
      virtualServers: ['1.2.3.4:80', '172.20.1.1:80'],
      clusterIP: ['10.0.1.1:80', '10.0.1.2:80', '10.0.1.5:80'],
      externalIP: ['10.0.1.1:80', '10.0.1.2:80'],
      loopBack: loop('10.0.1.1', '10.0.1.2', '10.0.1.3', '10.0.1.4'),
    });
  });
  // Test_EndpointSliceOnlyReadyAndTerminatingCluster: no endpoint is ready
  // anywhere; two local and one remote are serving while terminating.
  it('OnlyReadyAndTerminatingCluster: no ready one, so the serving terminating ones, anywhere', () => {
    const endpoints = [
      e('10.0.1.1', SERVING_TERMINATING),
      e('10.0.1.2', SERVING_TERMINATING),
      e('10.0.1.3', TERMINATING),
      e('10.0.1.4', SERVING_TERMINATING, 'another-host'),
      e('10.0.1.5', { ready: false, serving: false, terminating: false }, 'another-host'),
    ];
    expect(sync('Cluster', endpoints)).toEqual({
      virtualServers: ['1.2.3.4:80', '172.20.1.1:80'],
      clusterIP: ['10.0.1.1:80', '10.0.1.2:80', '10.0.1.4:80'],
      externalIP: ['10.0.1.1:80', '10.0.1.2:80', '10.0.1.4:80'],
      loopBack: loop('10.0.1.1', '10.0.1.2', '10.0.1.3'),
    });
  });
  // Test_EndpointSliceOnlyReadyAndTerminatingLocal: the same on this node,
  // but another host has a ready endpoint.
  it('OnlyReadyAndTerminatingLocal: the ClusterIP takes the remote ready one; the external IP falls back to the local serving ones', () => {
    const endpoints = [
      e('10.0.1.1', SERVING_TERMINATING),
      e('10.0.1.2', SERVING_TERMINATING),
      e('10.0.1.3', TERMINATING),
      e('10.0.1.4', SERVING_TERMINATING, 'another-host'),
      e('10.0.1.5', READY, 'another-host'),
    ];
    expect(sync('Local', endpoints)).toEqual({
      virtualServers: ['1.2.3.4:80', '172.20.1.1:80'],
      clusterIP: ['10.0.1.5:80'],
      externalIP: ['10.0.1.1:80', '10.0.1.2:80'],
      loopBack: loop('10.0.1.1', '10.0.1.2', '10.0.1.3'),
    });
  });
});

/** One ClusterIP Service 10.96.0.20:80 over the given endpoints, as IPVS state. */
function table(protocol: 'TCP' | 'UDP', ips: readonly string[]): IpvsState {
  const service = makeTestService('ns1', 'svc1', (s) => {
    s.clusterIP = '10.96.0.20';
    s.ports = [{ name: '', port: 80, protocol, targetPort: 8080 }];
  });
  const slice = makeTestEndpointSlice(
    'ns1',
    'svc1',
    1,
    ips.map((ip) => e(ip, READY)),
    [{ name: '', protocol, port: 8080 }],
  );
  return ipvsStateOf(syncIpvsProxier([service], [slice], node));
}

/** An established connection from 10.0.0.9 to `dest` through the virtual server. */
function withConn(st: IpvsState, protocol: 'TCP' | 'UDP', dest: string): IpvsState {
  return insertConn(st, {
    id: st.nextConnId,
    protocol,
    client: { ip: '10.0.0.9', port: 40000 },
    virtual: { ip: '10.96.0.20', port: 80 },
    dest: { ip: dest, port: 8080 },
    state: protocol === 'TCP' ? 'ESTABLISHED' : 'UDP',
    expiresUs: 900e6,
    inactive: protocol !== 'TCP',
    service: `10.96.0.20:80/${protocol}`,
  });
}

const dests = (st: IpvsState) =>
  listServices(st)
    .find((s) => s.address === '10.96.0.20')!
    .realServers.map((r) => `${r.address} w${r.weight} a${r.activeConns} i${r.inactConns}`)
    .sort();

describe('[SVC19] IPVS graceful termination of a real server', () => {
  it('a removed destination with a connection drains at weight 0; one without is deleted', () => {
    const kernel = withConn(table('TCP', ['10.0.1.1', '10.0.1.2', '10.0.1.3']), 'TCP', '10.0.1.1');
    const r = resyncGracefully(kernel, table('TCP', ['10.0.1.3']), new Set(), 1e6, schedulerOf);
    expect(dests(r.state)).toEqual(['10.0.1.1 w0 a1 i0', '10.0.1.3 w1 a0 i0']);
    expect([...r.draining]).toEqual(['10.96.0.20:80/TCP/10.0.1.1:8080']);
    expect(r.quiesced).toEqual([
      { service: '10.96.0.20:80/TCP', dest: '10.0.1.1:8080', active: 1, inactive: 0 },
    ]);
    // The next sync leaves it draining; its connection is still in the table.
    const again = resyncGracefully(
      r.state,
      table('TCP', ['10.0.1.3']),
      r.draining,
      2e6,
      schedulerOf,
    );
    expect(dests(again.state)).toEqual(dests(r.state));
    expect(again.quiesced).toEqual([]);
  });

  it('UDP is not drained: the destination goes at once (expire_nodest_conn ends its flows)', () => {
    const kernel = withConn(table('UDP', ['10.0.1.1', '10.0.1.2']), 'UDP', '10.0.1.1');
    const r = resyncGracefully(kernel, table('UDP', ['10.0.1.2']), new Set(), 1e6, schedulerOf);
    expect(dests(r.state)).toEqual(['10.0.1.2 w1 a0 i0']);
    expect(r.draining.size).toBe(0);
  });

  it('a draining destination wanted again is taken off the list at weight 1', () => {
    const kernel = withConn(table('TCP', ['10.0.1.1', '10.0.1.2']), 'TCP', '10.0.1.1');
    const r = resyncGracefully(kernel, table('TCP', ['10.0.1.2']), new Set(), 1e6, schedulerOf);
    const back = resyncGracefully(
      r.state,
      table('TCP', ['10.0.1.1', '10.0.1.2']),
      r.draining,
      2e6,
      schedulerOf,
    );
    expect(dests(back.state)).toEqual(['10.0.1.1 w1 a1 i0', '10.0.1.2 w1 a0 i0']);
    expect(back.draining.size).toBe(0);
  });

  it('the periodic check deletes it only once its connections have expired', () => {
    const kernel = withConn(table('TCP', ['10.0.1.1', '10.0.1.2']), 'TCP', '10.0.1.1');
    const r = resyncGracefully(kernel, table('TCP', ['10.0.1.2']), new Set(), 1e6, schedulerOf);
    const early = tryDeleteRs(r.state, r.draining, 60e6, schedulerOf);
    expect(early.deleted).toEqual([]);
    expect(dests(early.state)).toContain('10.0.1.1 w0 a1 i0');
    // The connection's timer (900 s here) has fired by the check at 960 s.
    const late = tryDeleteRs(early.state, early.draining, 960e6, schedulerOf);
    expect(late.deleted.map((d) => d.dest)).toEqual(['10.0.1.1:8080']);
    expect(dests(late.state)).toEqual(['10.0.1.2 w1 a0 i0']);
    expect(late.draining.size).toBe(0);
  });
});
