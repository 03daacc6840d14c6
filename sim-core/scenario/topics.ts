/**
 * What the built-in library teaches: the source material's sections, grouped
 * into the topics a course walks through, in its order. The app's picker
 * groups the built-ins under these (each built-in's first topic in
 * public/scenarios/index.json), and the README's coverage table lists, for
 * each topic, every built-in that shows it.
 */
export interface Topic {
  readonly id: TopicId;
  readonly title: string;
  /** The headings of the source material this topic covers. */
  readonly sections: readonly string[];
}

export type TopicId =
  | 'ranges'
  | 'flat-network'
  | 'pause'
  | 'veth-bridge-arp'
  | 'cni-ipam'
  | 'cross-node'
  | 'kube-proxy'
  | 'clusterip-allocation'
  | 'headless'
  | 'endpointslices'
  | 'coredns'
  | 'ingress';

export const TOPICS: readonly Topic[] = [
  {
    id: 'ranges',
    title: 'Three ranges that must not overlap',
    sections: ['Three Non-Overlapping IP Ranges'],
  },
  {
    id: 'flat-network',
    title: 'The flat network: an IP per pod, no NAT',
    sections: [
      'The Kubernetes Networking Guarantee',
      'Every Pod Gets Its Own IP',
      'No NAT Between Pods',
      'Same-Flat Network Across All Nodes',
    ],
  },
  {
    id: 'pause',
    title: 'Pause, crash isolation and the shared loopback',
    sections: [
      'IP Per Container (via Pause)',
      'The Pause Container & Network Namespace',
      'Network Namespace Held by Pause',
      'Crash Isolation',
      'Shared loopback',
    ],
  },
  {
    id: 'veth-bridge-arp',
    title: 'veth pairs, the cni0 bridge and ARP',
    sections: [
      'veth Pairs & the CNI Bridge',
      'veth Pair = Virtual Cable',
      'Bridge Acts Like a Switch',
      'ARP Resolution',
    ],
  },
  {
    id: 'cni-ipam',
    title: 'CNI ADD/DEL and host-local IPAM',
    sections: [
      'Container Network Interface',
      'IP Address Management',
      'host-local IPAM',
      'Node Subnet Pre-allocated',
      'No IP Conflicts',
    ],
  },
  {
    id: 'cross-node',
    title: 'Across nodes: VXLAN and the CNI modes',
    sections: ['VXLAN Encapsulation', '| CNI / Mode |'],
  },
  {
    id: 'kube-proxy',
    title: 'kube-proxy: iptables and IPVS',
    sections: ['kube-proxy & Service Load Balancing', '| iptables | IPVS |'],
  },
  {
    id: 'clusterip-allocation',
    title: 'Where a ClusterIP comes from',
    sections: ['How ClusterIPs Are Allocated', 'Any Unallocated IP Works'],
  },
  {
    id: 'headless',
    title: 'Headless Services',
    sections: ['Headless Services', 'Headless = No ClusterIP', 'Headless = Direct Pod IPs'],
  },
  {
    id: 'endpointslices',
    title: 'EndpointSlices and a pod’s death',
    sections: [
      'Endpoints & EndpointSlices',
      'EndpointSlices (~100 per Service)',
      'Pod Death → Endpoint Removal',
    ],
  },
  {
    id: 'coredns',
    title: 'CoreDNS: Service, pod and SRV records',
    sections: ['CoreDNS & Service Discovery', 'Pod FQDN', 'SRV Records'],
  },
  {
    id: 'ingress',
    title: 'Ingress and TLS termination',
    sections: [
      'Ingress & HTTP Routing',
      'Ingress Controller vs Ingress Resource',
      'TLS Termination',
    ],
  },
];

const BY_ID = new Map(TOPICS.map((t) => [t.id, t]));

export function topicById(id: string): Topic | undefined {
  return BY_ID.get(id as TopicId);
}
