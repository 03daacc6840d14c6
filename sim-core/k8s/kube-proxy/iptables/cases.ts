/**
 * Service/EndpointSlice sets the round-trip, packet-walk and live tests share:
 * each a small cluster a node's kube-proxy could see (node kwr-node1,
 * 192.168.1.10, pods in 10.244.0.0/16; this node's pods in 10.244.0.0/24).
 */
import type { EndpointSlice, ProxyNode, Service } from '../../api-types.ts';
import { ep, makeTestEndpointSlice, makeTestService } from './test-objects.ts';

export const NODE: ProxyNode = {
  name: 'kwr-node1',
  ip: '192.168.1.10',
  clusterCIDR: '10.244.0.0/16',
};

export interface RulesetCase {
  readonly name: string;
  readonly services: readonly Service[];
  readonly endpointSlices: readonly EndpointSlice[];
}

const http = [{ name: 'http', protocol: 'TCP' as const, port: 8080 }];
const local = { nodeName: 'kwr-node1' };
const remote = { nodeName: 'kwr-node2' };

export const CASES: readonly RulesetCase[] = [
  {
    name: '3-endpoint ClusterIP',
    services: [
      makeTestService('default', 'web', (s) => {
        s.clusterIP = '10.96.0.50';
        s.ports = [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }];
      }),
    ],
    endpointSlices: [
      makeTestEndpointSlice(
        'default',
        'web',
        1,
        [ep('10.244.0.2', local), ep('10.244.0.3', local), ep('10.244.1.2', remote)],
        http,
      ),
    ],
  },
  {
    name: 'NodePort',
    services: [
      makeTestService('default', 'np', (s) => {
        s.type = 'NodePort';
        s.clusterIP = '10.96.0.60';
        s.ports = [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080, nodePort: 30080 }];
      }),
    ],
    endpointSlices: [makeTestEndpointSlice('default', 'np', 1, [ep('10.244.1.2', remote)], http)],
  },
  {
    name: 'LoadBalancer with source ranges',
    services: [
      makeTestService('default', 'lb', (s, svc) => {
        s.type = 'LoadBalancer';
        s.clusterIP = '10.96.0.70';
        s.ports = [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080, nodePort: 30081 }];
        s.loadBalancerSourceRanges = ['203.0.113.0/25', '192.168.1.0/24'];
        svc.loadBalancerIngress = ['172.18.255.200'];
      }),
    ],
    endpointSlices: [
      makeTestEndpointSlice(
        'default',
        'lb',
        1,
        [ep('10.244.0.2', local), ep('10.244.1.2', remote)],
        http,
      ),
    ],
  },
  {
    name: 'externalTrafficPolicy Local',
    services: [
      makeTestService('default', 'loc', (s, svc) => {
        s.type = 'LoadBalancer';
        s.clusterIP = '10.96.0.80';
        s.externalTrafficPolicy = 'Local';
        s.healthCheckNodePort = 31000;
        s.externalIPs = ['192.168.1.200'];
        s.ports = [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080, nodePort: 30082 }];
        svc.loadBalancerIngress = ['172.18.255.201'];
      }),
      makeTestService('default', 'noloc', (s) => {
        s.type = 'NodePort';
        s.clusterIP = '10.96.0.81';
        s.externalTrafficPolicy = 'Local';
        s.ports = [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080, nodePort: 30083 }];
      }),
    ],
    endpointSlices: [
      makeTestEndpointSlice(
        'default',
        'loc',
        1,
        [ep('10.244.0.2', local), ep('10.244.1.2', remote)],
        http,
      ),
      makeTestEndpointSlice('default', 'noloc', 1, [ep('10.244.1.3', remote)], http),
    ],
  },
  {
    name: 'ClientIP affinity',
    services: [
      makeTestService('default', 'sticky', (s) => {
        s.clusterIP = '10.96.0.90';
        s.sessionAffinity = 'ClientIP';
        s.sessionAffinityTimeoutSeconds = 10800;
        s.ports = [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }];
      }),
    ],
    endpointSlices: [
      makeTestEndpointSlice(
        'default',
        'sticky',
        1,
        [ep('10.244.0.2', local), ep('10.244.1.2', remote)],
        http,
      ),
    ],
  },
  {
    name: 'no endpoints, UDP, multiple ports',
    services: [
      makeTestService('kube-system', 'kube-dns', (s) => {
        s.clusterIP = '10.96.0.10';
        s.ports = [
          { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
          { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        ];
      }),
      makeTestService('default', 'empty', (s) => {
        s.type = 'NodePort';
        s.clusterIP = '10.96.0.99';
        s.ports = [{ port: 80, protocol: 'TCP', targetPort: 80, nodePort: 30099 }];
      }),
    ],
    endpointSlices: [
      makeTestEndpointSlice(
        'kube-system',
        'kube-dns',
        1,
        [ep('10.244.0.5', local)],
        [
          { name: 'dns', protocol: 'UDP', port: 53 },
          { name: 'dns-tcp', protocol: 'TCP', port: 53 },
        ],
      ),
    ],
  },
];
