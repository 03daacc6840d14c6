/**
 * kube-proxy's IPVS proxier tests (pkg/proxy/ipvs/proxier_test.go, v1.33),
 * stated in our own words: the Services and EndpointSlices each case feeds
 * the proxier on node "test-node", and the virtual servers, destinations,
 * ipset entries and iptables rules it expects.
 */
import { describe, expect, it } from 'vitest';
import type { EndpointSlice, Protocol, ProxyNode, Service } from '../../api-types.ts';
import { syncIpvsProxier } from './index.ts';

const node = (ip: string): ProxyNode => ({ name: 'test-node', ip, clusterCIDR: '10.244.0.0/16' });

function nodePortService(protocol: Protocol, extra: Partial<Service['spec']> = {}): Service {
  return {
    metadata: { namespace: 'ns1', name: 'svc1' },
    spec: {
      type: 'NodePort',
      clusterIP: '10.20.30.41',
      ports: [{ name: 'p80', protocol, port: 80, targetPort: 80, nodePort: 3001 }],
      sessionAffinity: 'None',
      externalTrafficPolicy: 'Cluster',
      internalTrafficPolicy: 'Cluster',
      ...extra,
    },
  };
}

function slice(
  protocol: Protocol,
  eps: { ip: string; nodeName?: string }[],
  addressType: EndpointSlice['addressType'] = 'IPv4',
): EndpointSlice {
  return {
    metadata: {
      namespace: 'ns1',
      name: 'svc1-1',
      labels: { 'kubernetes.io/service-name': 'svc1' },
    },
    addressType,
    endpoints: eps.map((e) => ({
      addresses: [e.ip],
      conditions: { ready: true, serving: true, terminating: false },
      ...(e.nodeName ? { nodeName: e.nodeName } : {}),
    })),
    ports: [{ name: 'p80', protocol, port: 80 }],
  };
}

/** The table as "addr:port/PROTO sched" → sorted destinations, like FakeIPVS's maps. */
function ipvsState(sync: ReturnType<typeof syncIpvsProxier>) {
  return Object.fromEntries(
    sync.table.virtualServers.map((vs) => [
      `${vs.address}:${vs.port}/${vs.protocol} ${vs.scheduler}${vs.persistentTimeout ? ` persistent ${vs.persistentTimeout}` : ''}`,
      vs.realServers.map((r) => `${r.address}:${r.port} w${r.weight}`).sort(),
    ]),
  );
}

const entries = (sync: ReturnType<typeof syncIpvsProxier>, set: string) =>
  sync.ipsets.find((s) => s.name === set)!.entries;

describe('TestNodePortIPv4', () => {
  it('1 service with node port, has 2 endpoints (the IPv6 slice is ignored)', () => {
    const sync = syncIpvsProxier(
      [nodePortService('TCP')],
      [
        slice('TCP', [{ ip: '10.180.0.1' }]),
        {
          ...slice('TCP', [{ ip: '1002:ab8::2:10' }], 'IPv6'),
          metadata: {
            namespace: 'ns1',
            name: 'svc1-2',
            labels: { 'kubernetes.io/service-name': 'svc1' },
          },
        },
      ],
      node('100.101.102.103'),
      { localAddresses: ['100.101.102.103', '127.0.0.1'] },
    );
    expect(ipvsState(sync)).toEqual({
      '10.20.30.41:80/TCP rr': ['10.180.0.1:80 w1'],
      '100.101.102.103:3001/TCP rr': ['10.180.0.1:80 w1'],
    });
  });

  it('1 UDP service with node port, has endpoints: KUBE-NODE-PORT-UDP and its chains', () => {
    const sync = syncIpvsProxier(
      [nodePortService('UDP')],
      [slice('UDP', [{ ip: '10.180.0.1' }])],
      node('100.101.102.103'),
      {
        nodePortAddresses: ['0.0.0.0/0'],
      },
    );
    expect(ipvsState(sync)).toEqual({
      '10.20.30.41:80/UDP rr': ['10.180.0.1:80 w1'],
      '100.101.102.103:3001/UDP rr': ['10.180.0.1:80 w1'],
    });
    expect(entries(sync, 'KUBE-NODE-PORT-UDP')).toEqual(['3001']);
    const lines = sync.iptablesRestore.split('\n');
    // KUBE-NODE-PORT (nat): masquerade the UDP nodePorts; (filter): accept health-check ports.
    expect(lines.filter((l) => l.startsWith('-A KUBE-NODE-PORT '))).toEqual([
      '-A KUBE-NODE-PORT -p udp -m comment --comment "Kubernetes nodeport UDP port for masquerade purpose" -m set --match-set KUBE-NODE-PORT-UDP dst -j KUBE-MARK-MASQ',
      '-A KUBE-NODE-PORT -m comment --comment "Kubernetes health check node port" -m set --match-set KUBE-HEALTH-CHECK-NODE-PORT dst -j ACCEPT',
    ]);
    // KUBE-SERVICES: RETURN for 127.0.0.0/8, MARK-MASQ on KUBE-CLUSTER-IP, jump to KUBE-NODE-PORT, ACCEPT KUBE-CLUSTER-IP.
    expect(
      lines.filter((l) => l.startsWith('-A KUBE-SERVICES ')).map((l) => l.split(' -j ')[1]),
    ).toEqual(['RETURN', 'KUBE-MARK-MASQ', 'KUBE-NODE-PORT', 'ACCEPT']);
  });

  it('service has node port but no endpoints: both virtual servers, no destinations', () => {
    const sync = syncIpvsProxier([nodePortService('TCP')], [], node('100.101.102.103'));
    expect(ipvsState(sync)).toEqual({
      '10.20.30.41:80/TCP rr': [],
      '100.101.102.103:3001/TCP rr': [],
    });
  });

  it('node port service with protocol sctp on a node with multiple nodeIPs', () => {
    const ips = ['100.101.102.103', '100.101.102.104', '100.101.102.105'];
    const sync = syncIpvsProxier(
      [nodePortService('SCTP')],
      [slice('SCTP', [{ ip: '10.180.0.1' }])],
      node(ips[0]),
      {
        localAddresses: ips,
      },
    );
    expect(ipvsState(sync)).toEqual({
      '10.20.30.41:80/SCTP rr': ['10.180.0.1:80 w1'],
      '100.101.102.103:3001/SCTP rr': ['10.180.0.1:80 w1'],
      '100.101.102.104:3001/SCTP rr': ['10.180.0.1:80 w1'],
      '100.101.102.105:3001/SCTP rr': ['10.180.0.1:80 w1'],
    });
    expect(entries(sync, 'KUBE-NODE-PORT-SCTP-HASH')).toEqual(ips.map((ip) => `${ip},sctp:3001`));
  });

  it('node port service with protocol sctp and externalTrafficPolicy local', () => {
    const sync = syncIpvsProxier(
      [nodePortService('SCTP', { externalTrafficPolicy: 'Local' })],
      [
        slice('SCTP', [
          { ip: '10.180.0.1', nodeName: 'test-node' },
          { ip: '10.180.1.1', nodeName: 'other-node' },
        ]),
      ],
      node('100.101.102.103'),
    );
    // The ClusterIP keeps both endpoints; the nodePort only the node's own.
    expect(ipvsState(sync)).toEqual({
      '10.20.30.41:80/SCTP rr': ['10.180.0.1:80 w1', '10.180.1.1:80 w1'],
      '100.101.102.103:3001/SCTP rr': ['10.180.0.1:80 w1'],
    });
    expect(entries(sync, 'KUBE-NODE-PORT-SCTP-HASH')).toEqual(['100.101.102.103,sctp:3001']);
    expect(entries(sync, 'KUBE-NODE-PORT-LOCAL-SCTP-HASH')).toEqual(['100.101.102.103,sctp:3001']);
    const nodePortRules = sync.iptablesRestore
      .split('\n')
      .filter((l) => l.startsWith('-A KUBE-NODE-PORT '));
    expect(
      nodePortRules.map((l) => [l.match(/--match-set (\S+)/)![1], l.split(' -j ')[1]]),
    ).toEqual([
      ['KUBE-NODE-PORT-LOCAL-SCTP-HASH', 'RETURN'],
      ['KUBE-NODE-PORT-SCTP-HASH', 'KUBE-MARK-MASQ'],
      ['KUBE-HEALTH-CHECK-NODE-PORT', 'ACCEPT'],
    ]);
  });
});

describe('TestSessionAffinity', () => {
  it('ClientIP affinity makes every virtual server persistent with timeout 10800', () => {
    const svc = nodePortService('TCP', {
      sessionAffinity: 'ClientIP',
      sessionAffinityTimeoutSeconds: 10800,
      externalIPs: ['50.60.70.81'],
    });
    const sync = syncIpvsProxier([svc], [], node('100.101.102.103'));
    expect(sync.table.virtualServers.map((vs) => vs.persistentTimeout)).toEqual([
      10800, 10800, 10800,
    ]);
    expect(sync.table.virtualServers.map((vs) => vs.address).sort()).toEqual([
      '10.20.30.41',
      '100.101.102.103',
      '50.60.70.81',
    ]);
  });
});

describe('kube-ipvs0 (syncService bindAddr)', () => {
  it('binds the ClusterIP and externalIPs, but not an externalIP already on the node nor node IPs', () => {
    const svc = nodePortService('TCP', { externalIPs: ['50.60.70.81', '100.101.102.103'] });
    const sync = syncIpvsProxier([svc], [], node('100.101.102.103'));
    expect(sync.table.dummyAddresses).toEqual(['10.20.30.41', '50.60.70.81']);
    expect(entries(sync, 'KUBE-IPVS-IPS')).toEqual(['10.20.30.41', '50.60.70.81']);
  });
});
