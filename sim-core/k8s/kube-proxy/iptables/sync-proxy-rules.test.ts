/**
 * The iptables proxier against kube-proxy's own unit tests
 * (pkg/proxy/iptables/proxier_test.go, v1.33): the same Services and
 * EndpointSlices, and the expected restore text those tests state, compared
 * after the tests' own sortIPTablesRules.
 */
import { describe, expect, it } from 'vitest';
import { sortIptablesRules } from './sort-rules.ts';
import { syncIptablesProxier } from './sync-proxy-rules.ts';
import {
  FAKE_PROXIER_OPTIONS,
  TEST_NODE,
  ep,
  makeTestEndpointSlice,
  makeTestService,
} from './test-objects.ts';

const dedent = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => `${l}\n`)
    .join('');

const p80 = [{ name: 'p80', protocol: 'TCP' as const, port: 80 }];

describe('TestOverallIPTablesRules', () => {
  // ns1/svc1 ClusterIP; ns2/svc2 LoadBalancer with Local policy, an external IP
  // and a health check port, whose only endpoint is on no node; ns3/svc3
  // NodePort; ns4/svc4 with an external IP and two endpoints (one local);
  // ns5/svc5 LoadBalancer with a source range and ClientIP affinity; ns6/svc6
  // with no endpoints at all.
  const services = [
    makeTestService('ns1', 'svc1', (s) => {
      s.clusterIP = '172.30.0.41';
      s.ports = [{ name: 'p80', port: 80, protocol: 'TCP', targetPort: 80 }];
    }),
    makeTestService('ns2', 'svc2', (s, svc) => {
      s.type = 'LoadBalancer';
      s.externalTrafficPolicy = 'Local';
      s.clusterIP = '172.30.0.42';
      s.ports = [{ name: 'p80', port: 80, protocol: 'TCP', targetPort: 80, nodePort: 3001 }];
      svc.loadBalancerIngress = ['1.2.3.4'];
      s.externalIPs = ['192.168.99.22'];
      s.healthCheckNodePort = 30000;
    }),
    makeTestService('ns3', 'svc3', (s) => {
      s.type = 'NodePort';
      s.clusterIP = '172.30.0.43';
      s.ports = [{ name: 'p80', port: 80, protocol: 'TCP', targetPort: 80, nodePort: 3003 }];
    }),
    makeTestService('ns4', 'svc4', (s) => {
      s.type = 'NodePort';
      s.clusterIP = '172.30.0.44';
      s.externalIPs = ['192.168.99.33'];
      s.ports = [{ name: 'p80', port: 80, protocol: 'TCP', targetPort: 80 }];
    }),
    makeTestService('ns5', 'svc5', (s, svc) => {
      s.type = 'LoadBalancer';
      s.externalTrafficPolicy = 'Cluster';
      s.clusterIP = '172.30.0.45';
      s.ports = [{ name: 'p80', port: 80, protocol: 'TCP', targetPort: 80, nodePort: 3002 }];
      svc.loadBalancerIngress = ['5.6.7.8'];
      s.healthCheckNodePort = 30000;
      // Extra whitespace, which kube-proxy trims.
      s.loadBalancerSourceRanges = [' 203.0.113.0/25'];
      s.sessionAffinity = 'ClientIP';
      s.sessionAffinityTimeoutSeconds = 10800;
    }),
    makeTestService('ns6', 'svc6', (s) => {
      s.clusterIP = '172.30.0.46';
      s.ports = [{ name: 'p80', port: 80, protocol: 'TCP', targetPort: 80 }];
    }),
  ];
  const slices = [
    makeTestEndpointSlice('ns1', 'svc1', 1, [ep('10.180.0.1')], p80),
    makeTestEndpointSlice('ns2', 'svc2', 1, [ep('10.180.0.2')], p80),
    makeTestEndpointSlice('ns3', 'svc3', 1, [ep('10.180.0.3')], p80),
    makeTestEndpointSlice(
      'ns4',
      'svc4',
      1,
      [ep('10.180.0.4'), ep('10.180.0.5', { nodeName: 'test-node' })],
      p80,
    ),
    makeTestEndpointSlice('ns5', 'svc5', 1, [ep('10.180.0.3')], p80),
  ];

  // The expected text of the upstream test, word for word.
  const expected = dedent(`
    *filter
    :KUBE-NODEPORTS - [0:0]
    :KUBE-SERVICES - [0:0]
    :KUBE-EXTERNAL-SERVICES - [0:0]
    :KUBE-FIREWALL - [0:0]
    :KUBE-FORWARD - [0:0]
    :KUBE-PROXY-FIREWALL - [0:0]
    -A KUBE-NODEPORTS -m comment --comment "ns2/svc2:p80 health check node port" -m tcp -p tcp --dport 30000 -j ACCEPT
    -A KUBE-SERVICES -m comment --comment "ns6/svc6:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.46 --dport 80 -j REJECT
    -A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m tcp -p tcp -d 192.168.99.22 --dport 80 -j DROP
    -A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j DROP
    -A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 3001 -j DROP
    -A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
    -A KUBE-FORWARD -m conntrack --ctstate INVALID -m nfacct --nfacct-name ct_state_invalid_dropped_pkts -j DROP
    -A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
    -A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
    -A KUBE-PROXY-FIREWALL -m comment --comment "ns5/svc5:p80 traffic not accepted by KUBE-FW-NUKIZ6OKUXPJNT4C" -m tcp -p tcp -d 5.6.7.8 --dport 80 -j DROP
    COMMIT
    *nat
    :KUBE-NODEPORTS - [0:0]
    :KUBE-SERVICES - [0:0]
    :KUBE-EXT-4SW47YFZTEDKD3PK - [0:0]
    :KUBE-EXT-GNZBNJ2PO5MGZ6GT - [0:0]
    :KUBE-EXT-NUKIZ6OKUXPJNT4C - [0:0]
    :KUBE-EXT-X27LE4BHSL4DOUIK - [0:0]
    :KUBE-FW-NUKIZ6OKUXPJNT4C - [0:0]
    :KUBE-MARK-MASQ - [0:0]
    :KUBE-POSTROUTING - [0:0]
    :KUBE-SEP-C6EBXVWJJZMIWKLZ - [0:0]
    :KUBE-SEP-I77PXRDZVX7PMWMN - [0:0]
    :KUBE-SEP-OYPFS5VJICHGATKP - [0:0]
    :KUBE-SEP-RS4RBKLTHTF2IUXJ - [0:0]
    :KUBE-SEP-SXIVWICOYRO3J4NJ - [0:0]
    :KUBE-SEP-UKSFD7AGPMPPLUHC - [0:0]
    :KUBE-SVC-4SW47YFZTEDKD3PK - [0:0]
    :KUBE-SVC-GNZBNJ2PO5MGZ6GT - [0:0]
    :KUBE-SVC-NUKIZ6OKUXPJNT4C - [0:0]
    :KUBE-SVC-X27LE4BHSL4DOUIK - [0:0]
    :KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]
    -A KUBE-NODEPORTS -m comment --comment ns2/svc2:p80 -m tcp -p tcp -d 127.0.0.0/8 --dport 3001 -m nfacct --nfacct-name localhost_nps_accepted_pkts -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
    -A KUBE-NODEPORTS -m comment --comment ns2/svc2:p80 -m tcp -p tcp --dport 3001 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
    -A KUBE-NODEPORTS -m comment --comment ns3/svc3:p80 -m tcp -p tcp -d 127.0.0.0/8 --dport 3003 -m nfacct --nfacct-name localhost_nps_accepted_pkts -j KUBE-EXT-X27LE4BHSL4DOUIK
    -A KUBE-NODEPORTS -m comment --comment ns3/svc3:p80 -m tcp -p tcp --dport 3003 -j KUBE-EXT-X27LE4BHSL4DOUIK
    -A KUBE-NODEPORTS -m comment --comment ns5/svc5:p80 -m tcp -p tcp -d 127.0.0.0/8 --dport 3002 -m nfacct --nfacct-name localhost_nps_accepted_pkts -j KUBE-EXT-NUKIZ6OKUXPJNT4C
    -A KUBE-NODEPORTS -m comment --comment ns5/svc5:p80 -m tcp -p tcp --dport 3002 -j KUBE-EXT-NUKIZ6OKUXPJNT4C
    -A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O
    -A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 80 -j KUBE-SVC-GNZBNJ2PO5MGZ6GT
    -A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 external IP" -m tcp -p tcp -d 192.168.99.22 --dport 80 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
    -A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 loadbalancer IP" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
    -A KUBE-SERVICES -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 -j KUBE-SVC-X27LE4BHSL4DOUIK
    -A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 -j KUBE-SVC-4SW47YFZTEDKD3PK
    -A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 external IP" -m tcp -p tcp -d 192.168.99.33 --dport 80 -j KUBE-EXT-4SW47YFZTEDKD3PK
    -A KUBE-SERVICES -m comment --comment "ns5/svc5:p80 cluster IP" -m tcp -p tcp -d 172.30.0.45 --dport 80 -j KUBE-SVC-NUKIZ6OKUXPJNT4C
    -A KUBE-SERVICES -m comment --comment "ns5/svc5:p80 loadbalancer IP" -m tcp -p tcp -d 5.6.7.8 --dport 80 -j KUBE-FW-NUKIZ6OKUXPJNT4C
    -A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
    -A KUBE-EXT-4SW47YFZTEDKD3PK -m comment --comment "masquerade traffic for ns4/svc4:p80 external destinations" -j KUBE-MARK-MASQ
    -A KUBE-EXT-4SW47YFZTEDKD3PK -j KUBE-SVC-4SW47YFZTEDKD3PK
    -A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "pod traffic for ns2/svc2:p80 external destinations" -s 10.0.0.0/8 -j KUBE-SVC-GNZBNJ2PO5MGZ6GT
    -A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "masquerade LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ
    -A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "route LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-GNZBNJ2PO5MGZ6GT
    -A KUBE-EXT-NUKIZ6OKUXPJNT4C -m comment --comment "masquerade traffic for ns5/svc5:p80 external destinations" -j KUBE-MARK-MASQ
    -A KUBE-EXT-NUKIZ6OKUXPJNT4C -j KUBE-SVC-NUKIZ6OKUXPJNT4C
    -A KUBE-EXT-X27LE4BHSL4DOUIK -m comment --comment "masquerade traffic for ns3/svc3:p80 external destinations" -j KUBE-MARK-MASQ
    -A KUBE-EXT-X27LE4BHSL4DOUIK -j KUBE-SVC-X27LE4BHSL4DOUIK
    -A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 loadbalancer IP" -s 203.0.113.0/25 -j KUBE-EXT-NUKIZ6OKUXPJNT4C
    -A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment "other traffic to ns5/svc5:p80 will be dropped by KUBE-PROXY-FIREWALL"
    -A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
    -A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
    -A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
    -A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE
    -A KUBE-SEP-C6EBXVWJJZMIWKLZ -m comment --comment ns4/svc4:p80 -s 10.180.0.5 -j KUBE-MARK-MASQ
    -A KUBE-SEP-C6EBXVWJJZMIWKLZ -m comment --comment ns4/svc4:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.5:80
    -A KUBE-SEP-I77PXRDZVX7PMWMN -m comment --comment ns5/svc5:p80 -s 10.180.0.3 -j KUBE-MARK-MASQ
    -A KUBE-SEP-I77PXRDZVX7PMWMN -m comment --comment ns5/svc5:p80 -m recent --name KUBE-SEP-I77PXRDZVX7PMWMN --set -m tcp -p tcp -j DNAT --to-destination 10.180.0.3:80
    -A KUBE-SEP-OYPFS5VJICHGATKP -m comment --comment ns3/svc3:p80 -s 10.180.0.3 -j KUBE-MARK-MASQ
    -A KUBE-SEP-OYPFS5VJICHGATKP -m comment --comment ns3/svc3:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.3:80
    -A KUBE-SEP-RS4RBKLTHTF2IUXJ -m comment --comment ns2/svc2:p80 -s 10.180.0.2 -j KUBE-MARK-MASQ
    -A KUBE-SEP-RS4RBKLTHTF2IUXJ -m comment --comment ns2/svc2:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.2:80
    -A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ
    -A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80
    -A KUBE-SEP-UKSFD7AGPMPPLUHC -m comment --comment ns4/svc4:p80 -s 10.180.0.4 -j KUBE-MARK-MASQ
    -A KUBE-SEP-UKSFD7AGPMPPLUHC -m comment --comment ns4/svc4:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.4:80
    -A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
    -A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.4:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-UKSFD7AGPMPPLUHC
    -A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.5:80" -j KUBE-SEP-C6EBXVWJJZMIWKLZ
    -A KUBE-SVC-GNZBNJ2PO5MGZ6GT -m comment --comment "ns2/svc2:p80 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
    -A KUBE-SVC-GNZBNJ2PO5MGZ6GT -m comment --comment "ns2/svc2:p80 -> 10.180.0.2:80" -j KUBE-SEP-RS4RBKLTHTF2IUXJ
    -A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 cluster IP" -m tcp -p tcp -d 172.30.0.45 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
    -A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -m recent --name KUBE-SEP-I77PXRDZVX7PMWMN --rcheck --seconds 10800 --reap -j KUBE-SEP-I77PXRDZVX7PMWMN
    -A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -j KUBE-SEP-I77PXRDZVX7PMWMN
    -A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
    -A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 -> 10.180.0.3:80" -j KUBE-SEP-OYPFS5VJICHGATKP
    -A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
    -A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j KUBE-SEP-SXIVWICOYRO3J4NJ
    COMMIT
  `);

  it('writes the expected rules (compared in sortIPTablesRules order)', () => {
    const r = syncIptablesProxier({
      services,
      endpointSlices: slices,
      node: TEST_NODE,
      options: FAKE_PROXIER_OPTIONS,
    });
    expect(sortIptablesRules(r.restoreText)).toBe(expected);
  });
});

describe('internalTrafficPolicy Local (TestInternalTrafficPolicy)', () => {
  const svc = makeTestService('ns1', 'svc1', (s) => {
    s.clusterIP = '172.30.1.1';
    s.internalTrafficPolicy = 'Local';
    s.ports = [{ port: 80, protocol: 'TCP', targetPort: 80 }];
  });
  const port = [{ name: '', protocol: 'TCP' as const, port: 80 }];
  it('with local endpoints: the cluster IP jumps to KUBE-SVL- holding only them', () => {
    const r = syncIptablesProxier({
      services: [svc],
      endpointSlices: [
        makeTestEndpointSlice(
          'ns1',
          'svc1',
          1,
          [ep('10.0.1.1', { nodeName: 'test-node' }), ep('10.0.1.2', { nodeName: 'host1' })],
          port,
        ),
      ],
      node: TEST_NODE,
      options: FAKE_PROXIER_OPTIONS,
    });
    const svl = r.natRules.filter((l) => l.startsWith('-A KUBE-SVL-'));
    expect(svl).toHaveLength(2); // the masquerade rule and one endpoint
    expect(svl[1]).toMatch(/"ns1\/svc1 -> 10\.0\.1\.1:80" -j KUBE-SEP-/);
    expect(r.natChains.some((l) => l.startsWith(':KUBE-SVC-'))).toBe(false);
    expect(r.natRules.some((l) => l.includes('10.0.1.2'))).toBe(false);
  });
  it('with no local endpoints: filter DROPs the cluster IP ("has no local endpoints")', () => {
    const r = syncIptablesProxier({
      services: [svc],
      endpointSlices: [
        makeTestEndpointSlice('ns1', 'svc1', 1, [ep('10.0.1.2', { nodeName: 'host1' })], port),
      ],
      node: TEST_NODE,
      options: FAKE_PROXIER_OPTIONS,
    });
    expect(r.filterRules).toContain(
      '-A KUBE-SERVICES -m comment --comment "ns1/svc1 has no local endpoints" -m tcp -p tcp -d 172.30.1.1 --dport 80 -j DROP',
    );
    expect(r.natRules.some((l) => l.includes('172.30.1.1'))).toBe(false);
  });
});

describe('large cluster mode (largeClusterEndpointsThreshold = 1000)', () => {
  const svc = makeTestService('ns1', 'svc1', (s) => {
    s.clusterIP = '172.30.0.41';
    s.ports = [{ name: 'p80', port: 80, protocol: 'TCP', targetPort: 80 }];
  });
  const endpoints = (n: number) =>
    Array.from({ length: n }, (_, i) => ep(`10.${(i >> 8) & 255}.${i & 255}.1`));
  it('above 1000 endpoints the per-endpoint rules lose their comments', () => {
    const r = syncIptablesProxier({
      services: [svc],
      endpointSlices: [makeTestEndpointSlice('ns1', 'svc1', 1, endpoints(1001), p80)],
      node: TEST_NODE,
      options: FAKE_PROXIER_OPTIONS,
    });
    expect(r.largeClusterMode).toBe(true);
    const sep = r.natRules.filter((l) => l.startsWith('-A KUBE-SEP-'));
    expect(sep.every((l) => !l.includes('--comment'))).toBe(true);
    expect(r.natRules.find((l) => l.startsWith('-A KUBE-SVC-') && l.includes('statistic'))).toMatch(
      /^-A KUBE-SVC-XPGD46QRK7WJZT7O -m statistic --mode random --probability 0\.0009990010 -j KUBE-SEP-/,
    );
  });
  it('at 1000 they keep them', () => {
    const r = syncIptablesProxier({
      services: [svc],
      endpointSlices: [makeTestEndpointSlice('ns1', 'svc1', 1, endpoints(1000), p80)],
      node: TEST_NODE,
      options: FAKE_PROXIER_OPTIONS,
    });
    expect(r.largeClusterMode).toBe(false);
    expect(
      r.natRules.filter((l) => l.startsWith('-A KUBE-SEP-')).every((l) => l.includes('--comment')),
    ).toBe(true);
  });
});

describe('skipped Services', () => {
  it('headless and ExternalName Services get no rules', () => {
    const headless = makeTestService('ns1', 'h', (s) => {
      s.clusterIP = 'None';
      s.ports = [{ name: 'p', port: 80, protocol: 'TCP', targetPort: 80 }];
    });
    const ext = makeTestService('ns1', 'x', (s) => {
      s.type = 'ExternalName';
      s.externalName = 'example.com';
      s.ports = [{ name: 'p', port: 80, protocol: 'TCP', targetPort: 80 }];
    });
    const r = syncIptablesProxier({
      services: [headless, ext],
      endpointSlices: [
        makeTestEndpointSlice(
          'ns1',
          'h',
          1,
          [ep('10.0.0.1')],
          [{ name: 'p', protocol: 'TCP', port: 80 }],
        ),
      ],
      node: TEST_NODE,
    });
    expect(r.restoreText).not.toMatch(/ns1\//);
  });
});
