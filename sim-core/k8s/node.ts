/**
 * A node's host network namespace as kubeadm + flannel leave it before any
 * pod runs: lo, eth0 on the node network, flannel.1 (vxlan backend) and the
 * routes flannel installs toward every other node's pod subnet. cni0 does
 * not exist yet: the bridge CNI plugin creates it on the first CNI ADD.
 */
import type { FdbEntry, Iface, Neighbor, Netns, Route, Socket } from '../model.ts';
import { hostAddress, prefixLength } from '../net/cidr.ts';
import type { ClusterNode, ClusterSpec } from '../scenario/types.ts';
import { nodeMac, vtepMac } from './identity.ts';
import { switchPort, UNDERLAY } from './underlay.ts';

export const VXLAN_MTU = 1450; // FLANNEL_MTU: 1500 − 50 bytes of VXLAN overhead
export const FLANNEL_VNI = 1;
export const FLANNEL_VXLAN_PORT = 8472; // the Linux kernel's historic default, flannel's too

/** Every network namespace starts with lo: 127.0.0.1/8, MTU 65536, ifindex 1. */
export const LOOPBACK: Iface = {
  name: 'lo',
  kind: 'loopback',
  mac: '00:00:00:00:00:00',
  ip: '127.0.0.1',
  prefixLength: 8,
  mtu: 65536,
  ifindex: 1,
};

export function podMtu(cluster: ClusterSpec): number {
  return cluster.cni.plugin === 'flannel' && cluster.cni.mode === 'vxlan' ? VXLAN_MTU : 1500;
}

/** What every other node's host holds for a node: flannel's route, and with vxlan its VTEP's neighbour and FDB entry. */
interface Peer {
  readonly name: string;
  readonly route: Route;
  readonly neighbor?: Neighbor;
  readonly fdb?: FdbEntry;
}

/**
 * The per-node entries, built once per cluster and shared by every host
 * (the rows are immutable): n hosts × n − 1 rows is what a real flannel
 * cluster holds, but building each row n − 1 times was most of the time a
 * 512-node cluster took to start.
 */
const PEERS = new WeakMap<ClusterSpec, readonly Peer[]>();

function peersOf(cluster: ClusterSpec): readonly Peer[] {
  let peers = PEERS.get(cluster);
  if (peers) return peers;
  const vxlan = cluster.cni.mode === 'vxlan';
  peers = cluster.nodes.map((other): Peer => {
    if (!vxlan)
      return { name: other.name, route: { dst: other.podCIDR, via: other.ip, dev: 'eth0' } };
    const vtep = hostAddress(other.podCIDR, 0);
    return {
      name: other.name,
      route: { dst: other.podCIDR, via: vtep, dev: 'flannel.1', onlink: true },
      neighbor: {
        ip: vtep,
        dev: 'flannel.1',
        mac: vtepMac(vtep),
        state: 'PERMANENT',
        updatedUs: 0,
      },
      fdb: {
        mac: vtepMac(vtep),
        port: 'flannel.1',
        bridge: 'flannel.1',
        permanent: true,
        flag: 'self',
        dst: other.ip,
      },
    };
  });
  PEERS.set(cluster, peers);
  return peers;
}

export function hostNetns(cluster: ClusterSpec, node: ClusterNode): Netns {
  const nodePrefix = prefixLength(cluster.nodeNetwork);
  const vxlan = cluster.cni.mode === 'vxlan';
  const ifaces: Iface[] = [
    LOOPBACK,
    {
      name: 'eth0',
      kind: 'ethernet',
      mac: nodeMac(node.ip),
      ip: node.ip,
      prefixLength: nodePrefix,
      mtu: 1500,
      ifindex: 2,
      peer: { netns: UNDERLAY, iface: switchPort(node.name) },
    },
  ];
  const routes: Route[] = [
    { dst: cluster.nodeNetwork, dev: 'eth0', proto: 'kernel', scope: 'link', src: node.ip },
  ];
  const neighbors: Neighbor[] = [];
  const fdb: FdbEntry[] = [];
  const sockets: Socket[] = [];
  if (vxlan) {
    // vxlan_sock_add: the device's UDP socket on the wildcard address (udp_tunnel_sock).
    sockets.push({
      protocol: 'udp',
      state: 'UNCONN',
      localAddr: '0.0.0.0',
      localPort: FLANNEL_VXLAN_PORT,
      owner: 'kernel (flannel.1)',
      encap: { kind: 'vxlan', dev: 'flannel.1' },
    });
    const own = hostAddress(node.podCIDR, 0);
    ifaces.push({
      name: 'flannel.1',
      kind: 'vxlan',
      mac: vtepMac(own),
      ip: own,
      prefixLength: 32,
      mtu: VXLAN_MTU,
      ifindex: 3,
    });
  }
  for (const other of peersOf(cluster)) {
    if (other.name === node.name) continue;
    routes.push(other.route);
    if (other.neighbor) neighbors.push(other.neighbor);
    if (other.fdb) fdb.push(other.fdb);
  }
  return {
    id: node.name,
    node: node.name,
    kind: 'host',
    ifaces,
    routes,
    neighbors,
    fdb,
    sockets,
    ...(node.kernel?.sysctls ? { sysctls: node.kernel.sysctls } : {}),
    ...(node.kernel?.promiscuous ? { promiscuous: node.kernel.promiscuous } : {}),
  };
}
