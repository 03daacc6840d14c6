/**
 * The cluster a file without a Cluster document runs on (MAN8): what kubeadm
 * and flannel give when nothing is set — clusterName "kubernetes", pods
 * 10.244.0.0/16 (flannel's kube-flannel.yml) cut into a /24 per node by the
 * range allocator in node order, Services 10.96.0.0/12, cluster.local,
 * kube-proxy in iptables mode, and kubeadm's CoreDNS add-on (2 replicas) —
 * on three nodes named and numbered as the built-in scenarios are
 * (node-1..node-3 at 192.168.1.10..12 on 192.168.1.0/24).
 */
import type { ClusterResult } from './cluster.ts';
import type { ClusterSpec } from './types.ts';

const AT = { line: 1, column: 1 };

export const DEFAULT_NODES = [
  { name: 'node-1', ip: '192.168.1.10', podCIDR: '10.244.0.0/24', pos: AT },
  { name: 'node-2', ip: '192.168.1.11', podCIDR: '10.244.1.0/24', pos: AT },
  { name: 'node-3', ip: '192.168.1.12', podCIDR: '10.244.2.0/24', pos: AT },
] as const;

export const DEFAULT_CLUSTER: ClusterSpec = {
  name: 'kubernetes',
  nodeNetwork: '192.168.1.0/24',
  podCIDR: '10.244.0.0/16',
  nodeCIDRMaskSize: 24,
  serviceCIDR: '10.96.0.0/12',
  clusterDomain: 'cluster.local',
  cni: { plugin: 'flannel', mode: 'vxlan' },
  kubeProxy: { mode: 'iptables' },
  seed: 1,
  nodes: DEFAULT_NODES,
  hosts: [],
  dns: { replicas: 2, pos: AT },
};

export function defaultCluster(): ClusterResult {
  return {
    name: DEFAULT_CLUSTER.name,
    spec: DEFAULT_CLUSTER,
    nodeNames: new Set(DEFAULT_NODES.map((n) => n.name)),
    hostNames: new Set(),
  };
}

export const DEFAULT_CLUSTER_NOTICE =
  'this file has no Cluster document: Kubewire uses kubeadm and flannel defaults, three nodes node-1..node-3 (192.168.1.10-12), pods 10.244.0.0/16, Services 10.96.0.0/12, CoreDNS';
