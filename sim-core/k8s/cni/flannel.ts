/**
 * flannel as the CNI plugin: flanneld leaves each host with flannel.1 (vxlan
 * backend) or nothing extra (host-gw) and a route toward every other node's
 * pod subnet; its CNI plugin delegates to the bridge plugin with host-local
 * IPAM (cni-bridge.ts, ipam-host-local.ts).
 */
import type { FdbEntry, Iface, Neighbor, Netns, PodStatus, Route, Socket } from '../../model.ts';
import { hostAddress, prefixLength } from '../../net/cidr.ts';
import type { Rng } from '../../engine/rng.ts';
import type { World } from '../../dataplane/world.ts';
import type { ClusterNode, ClusterSpec } from '../../scenario/types.ts';
import { addVethPair, BRIDGE, CNI_NETWORK, ensureBridge, removeVethPair } from '../cni-bridge.ts';
import { nodeMac, vtepMac } from '../identity.ts';
import {
  allocate,
  createHostLocal,
  ipamFiles,
  release,
  type HostLocalState,
} from '../ipam-host-local.ts';
import { LOOPBACK } from '../node.ts';
import { switchPort, UNDERLAY } from '../underlay.ts';
import type { CniPlugin } from './plugin.ts';

export const VXLAN_MTU = 1450; // FLANNEL_MTU: 1500 − 50 bytes of VXLAN overhead
export const FLANNEL_VNI = 1;
export const FLANNEL_VXLAN_PORT = 8472; // the Linux kernel's historic default, flannel's too

export function flannelPodMtu(cluster: ClusterSpec): number {
  return cluster.cni.mode === 'vxlan' ? VXLAN_MTU : 1500;
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

/** The node's eth0 on the node network, and lo: what every plugin starts from. */
export function baseHostNetns(cluster: ClusterSpec, node: ClusterNode): Netns {
  const ifaces: Iface[] = [
    LOOPBACK,
    {
      name: 'eth0',
      kind: 'ethernet',
      mac: nodeMac(node.ip),
      ip: node.ip,
      prefixLength: prefixLength(cluster.nodeNetwork),
      mtu: 1500,
      ifindex: 2,
      peer: { netns: UNDERLAY, iface: switchPort(node.name) },
    },
  ];
  const routes: Route[] = [
    { dst: cluster.nodeNetwork, dev: 'eth0', proto: 'kernel', scope: 'link', src: node.ip },
  ];
  return {
    id: node.name,
    node: node.name,
    kind: 'host',
    ifaces,
    routes,
    neighbors: [],
    fdb: [],
    sockets: [],
    ...(node.kernel?.sysctls ? { sysctls: node.kernel.sysctls } : {}),
    ...(node.kernel?.promiscuous ? { promiscuous: node.kernel.promiscuous } : {}),
  };
}

export function flannelHostNetns(cluster: ClusterSpec, node: ClusterNode): Netns {
  const base = baseHostNetns(cluster, node);
  const vxlan = cluster.cni.mode === 'vxlan';
  const ifaces: Iface[] = [...base.ifaces];
  const routes: Route[] = [...base.routes];
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
  return { ...base, ifaces, routes, neighbors, fdb, sockets };
}

/** flannel's CNI plugin delegating to bridge + host-local, with flanneld's host setup. */
export function flannelPlugin(cluster: ClusterSpec): CniPlugin {
  const ipam = new Map<string, HostLocalState>(
    cluster.nodes.map((n) => [n.name, createHostLocal(CNI_NETWORK, n.podCIDR)]),
  );
  /** Host veth of each running pod ("ns/name" → veth name). */
  const veths = new Map<string, string>();
  const mtu = flannelPodMtu(cluster);
  const setIpam = (world: World, node: string, state: HostLocalState) => {
    ipam.set(node, state);
    world.setNode({ ...world.node(node), ipam: ipamFiles(state) });
  };

  return {
    type: 'flannel',
    podMtu: mtu,
    hostNetns: (node) => flannelHostNetns(cluster, node),
    add(world: World, rng: Rng, node: ClusterNode, pod: PodStatus) {
      const key = `${pod.namespace}/${pod.name}`;
      const netnsId = pod.netns;
      const r = allocate(ipam.get(node.name)!, pod.sandboxId, 'eth0');
      if (!r.ok) {
        const reason = `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${pod.sandboxId}": plugin type="flannel" failed (add): failed to delegate add: failed to allocate for range 0: ${r.error}`;
        world.setPod({ ...pod, reason });
        world.removeNetns(netnsId);
        world.record({
          kind: 'error',
          place: { node: node.name, netns: node.name },
          summary: `${key}: FailedCreatePodSandBox`,
          facts: { type: 'cni.ipam-exhausted', node: node.name, podCIDR: node.podCIDR, reason },
          touched: [{ table: 'ipam', netns: node.name, key: 'last_reserved_ip.0', change: 'read' }],
        });
        return undefined;
      }
      setIpam(world, node.name, r.state);
      world.setPod({ ...pod, ip: r.ip });
      world.record({
        kind: 'setup',
        place: { node: node.name, netns: node.name },
        summary: `host-local: ${r.ip} → ${key}`,
        facts: {
          type: 'cni.ipam',
          pod: key,
          node: node.name,
          podCIDR: node.podCIDR,
          ip: r.ip,
          network: CNI_NETWORK,
        },
        touched: [],
      });

      if (ensureBridge(world, node.name, node.podCIDR, mtu)) {
        world.record({
          kind: 'setup',
          place: { node: node.name, netns: node.name, iface: BRIDGE },
          summary: `bridge plugin creates ${BRIDGE} ${r.gateway}`,
          facts: {
            type: 'cni.bridge',
            node: node.name,
            bridge: BRIDGE,
            gateway: r.gateway,
            podCIDR: node.podCIDR,
          },
          touched: [],
        });
      }
      const veth = addVethPair(
        world,
        rng,
        node.name,
        world.netns(netnsId),
        r.ip,
        node.podCIDR,
        cluster.podCIDR,
        mtu,
        cluster.cni.hairpinMode ?? true,
      );
      veths.set(key, veth.hostVeth);
      world.record({
        kind: 'setup',
        place: { node: node.name, netns: netnsId, iface: 'eth0' },
        from: { node: node.name, netns: node.name, iface: veth.hostVeth },
        summary: `veth pair eth0 ↔ ${veth.hostVeth}`,
        facts: {
          type: 'cni.veth',
          ip: r.ip,
          prefix: veth.podNetns.ifaces[1].prefixLength ?? 24,
          mtu,
          hostVeth: veth.hostVeth,
          bridge: BRIDGE,
          hairpin: cluster.cni.hairpinMode ?? true,
          gateway: r.gateway,
          clusterCIDR: cluster.podCIDR,
        },
        touched: [
          { table: 'fdb', netns: node.name, key: veth.podNetns.ifaces[1].mac, change: 'read' },
        ],
      });
      return { ip: r.ip };
    },
    del(world: World, pod: PodStatus) {
      const key = `${pod.namespace}/${pod.name}`;
      const veth = veths.get(key);
      if (veth) removeVethPair(world, pod.node, veth);
      veths.delete(key);
      world.removeNetns(pod.netns);
      const state = ipam.get(pod.node)!;
      setIpam(world, pod.node, release(state, pod.sandboxId, 'eth0'));
      return {
        type: 'kubelet.delete',
        pod: key,
        veth: veth ?? '',
        network: CNI_NETWORK,
        ip: pod.ip ?? '',
        lastReserved: state.lastReservedIp ?? '',
      };
    },
  };
}
