/**
 * Calico as the CNI plugin (cni-plugin's k8s.go and dataplane/linux, with
 * calico-ipam, and what calico-node's BIRD and felix leave on a node):
 *
 * - every pod gets a veth: eth0 in the pod with its address as a /32 and the
 *   routes `default via 169.254.1.1 dev eth0` and `169.254.1.1 dev eth0
 *   scope link`; on the host `cali` + the first 11 hex digits of
 *   sha1("<namespace>.<pod>") (VethNameForWorkload), MAC ee:ee:ee:ee:ee:ee,
 *   proxy_arp=1, proxy_delay=0, forwarding=1 and a /32 route `<ip> dev
 *   caliXXXXXXXXXXX scope link` — no bridge;
 * - each node's blocks are held by a blackhole route (BIRD's static
 *   protocol: `proto bird`; felix's with VXLAN: `proto 80`), and every other
 *   node routes them: bgp `via <node IP> dev eth0 proto bird`, ipip `via
 *   <node IP> dev tunl0 proto bird onlink`, vxlan `via <VTEP address> dev
 *   vxlan.calico onlink` with the VTEP's PERMANENT neighbour and its fdb
 *   entry, as felix programs them (vxlan_mgr.go);
 * - with a tunnel, calico-node gives the device an address from the node's
 *   first block at startup (handle ipip-tunnel-addr-<node> or
 *   vxlan-tunnel-addr-<node>), so the node claims its block before any pod.
 */
import { sha1 } from '@noble/hashes/legacy';
import { bytesToHex } from '@noble/hashes/utils';
import type {
  FdbEntry,
  Iface,
  Neighbor,
  Netns,
  PodStatus,
  Route,
  Socket,
  TableRef,
} from '../../model.ts';
import { hostAddress, ipToNumber } from '../../net/cidr.ts';
import type { Rng } from '../../engine/rng.ts';
import type { World } from '../../dataplane/world.ts';
import type { ClusterNode, ClusterSpec } from '../../scenario/types.ts';
import { CALICO_DEFAULT_BLOCK_SIZE, CALICO_DEFAULT_POOL } from '../../scenario/cluster-calico.ts';
import { randomMac } from '../identity.ts';
import { baseHostNetns } from './flannel.ts';
import {
  autoAssign,
  blockOf,
  blocksOf,
  createCalicoIpam,
  releaseByHandle,
  type CalicoIpam,
} from './calico-ipam.ts';
import type { CniPlugin } from './plugin.ts';

export const CALICO_HOST_MAC = 'ee:ee:ee:ee:ee:ee';
export const CALICO_POD_GATEWAY = '169.254.1.1';
export const CALICO_NETWORK = 'k8s-pod-network'; // calico.yaml's CNI network name
export const CALICO_VXLAN = { dev: 'vxlan.calico', vni: 4096, port: 4789, mtu: 1450 } as const;
export const TUNL0 = { dev: 'tunl0', mtu: 1480 } as const;

export type CalicoMode = 'bgp' | 'ipip' | 'vxlan';

/** VethNameForWorkload: "cali" + the first 11 hex digits of sha1("<namespace>.<pod>"). */
export function calicoVethName(namespace: string, pod: string): string {
  return `cali${bytesToHex(sha1(new TextEncoder().encode(`${namespace}.${pod}`))).slice(0, 11)}`;
}

/** felix's vtepMACForHost when the node has none stored: "f" (0x66) and the first 5 bytes of sha1(node name). */
export function calicoVtepMac(node: string): string {
  const h = sha1(new TextEncoder().encode(node));
  return [0x66, ...h.slice(0, 5)].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

export function calicoPodMtu(mode: string): number {
  return mode === 'vxlan' ? CALICO_VXLAN.mtu : mode === 'ipip' ? TUNL0.mtu : 1500;
}

/** The route a node has for another node's block. */
function remoteRoute(mode: CalicoMode, block: string, owner: ClusterNode, vtep?: string): Route {
  if (mode === 'vxlan') return { dst: block, via: vtep!, dev: CALICO_VXLAN.dev, onlink: true };
  if (mode === 'ipip')
    return { dst: block, via: owner.ip, dev: TUNL0.dev, proto: 'bird', onlink: true };
  return { dst: block, via: owner.ip, dev: 'eth0', proto: 'bird' };
}

function blackhole(mode: CalicoMode, block: string): Route {
  return { dst: block, dev: '', type: 'blackhole', proto: mode === 'vxlan' ? '80' : 'bird' };
}

const nextIfindex = (ns: Netns) => Math.max(0, ...ns.ifaces.map((i) => i.ifindex)) + 1;

export function calicoPlugin(cluster: ClusterSpec): CniPlugin {
  const mode = cluster.cni.mode as CalicoMode;
  const pool = cluster.cni.ipPool ?? CALICO_DEFAULT_POOL;
  let ipam: CalicoIpam = createCalicoIpam(pool, cluster.cni.blockSize ?? CALICO_DEFAULT_BLOCK_SIZE);
  const mtu = calicoPodMtu(mode);
  const byName = new Map(cluster.nodes.map((n) => [n.name, n]));
  const gateway = hostAddress(cluster.nodeNetwork, 1);
  /** Each node's tunnel address (tunl0's or vxlan.calico's), allocated by calico-node at startup. */
  const tunnel = new Map<string, string>();
  if (mode !== 'bgp')
    for (const n of cluster.nodes) {
      const type = mode === 'vxlan' ? 'vxlanTunnelAddress' : 'ipipTunnelAddress';
      const r = autoAssign(ipam, n.name, `${mode}-tunnel-addr-${n.name}`, { node: n.name, type });
      if (r.ok) {
        ipam = r.state;
        tunnel.set(n.name, r.ip);
      }
    }
  /** Pods wired: host veth, address and handle. */
  const wired = new Map<string, { veth: string; ip: string; handle: string }>();

  const vtepRows = (owner: ClusterNode): { neighbor: Neighbor; fdb: FdbEntry } | undefined => {
    const ip = tunnel.get(owner.name);
    if (mode !== 'vxlan' || !ip) return undefined;
    const mac = calicoVtepMac(owner.name);
    const dev = CALICO_VXLAN.dev;
    return {
      neighbor: { ip, dev, mac, state: 'PERMANENT', updatedUs: 0 },
      fdb: { mac, port: dev, bridge: dev, permanent: true, flag: 'self', dst: owner.ip },
    };
  };

  function hostNetns(node: ClusterNode): Netns {
    const base = baseHostNetns(cluster, node);
    const ifaces: Iface[] = [...base.ifaces];
    // Every real node has a default route (kubeadm picks the node IP from it); proxy ARP
    // for 169.254.1.1 needs one: the kernel answers only for an address it routes elsewhere.
    const routes: Route[] = [{ dst: 'default', via: gateway, dev: 'eth0' }, ...base.routes];
    const neighbors: Neighbor[] = [];
    const fdb: FdbEntry[] = [];
    const sockets: Socket[] = [];
    const own = tunnel.get(node.name);
    if (mode === 'ipip' && own)
      ifaces.push({
        name: TUNL0.dev,
        kind: 'ipip',
        mac: '00:00:00:00:00:00',
        ip: own,
        prefixLength: 32,
        mtu: TUNL0.mtu,
        ifindex: 3,
      });
    if (mode === 'vxlan' && own) {
      ifaces.push({
        name: CALICO_VXLAN.dev,
        kind: 'vxlan',
        mac: calicoVtepMac(node.name),
        ip: own,
        prefixLength: 32,
        mtu: CALICO_VXLAN.mtu,
        ifindex: 3,
        vxlan: { vni: CALICO_VXLAN.vni, port: CALICO_VXLAN.port },
      });
      sockets.push({
        protocol: 'udp',
        state: 'UNCONN',
        localAddr: '0.0.0.0',
        localPort: CALICO_VXLAN.port,
        owner: `kernel (${CALICO_VXLAN.dev})`,
        encap: { kind: 'vxlan', dev: CALICO_VXLAN.dev },
      });
    }
    for (const b of ipam.blocks.values()) {
      const owner = byName.get(b.affinity.slice('host:'.length))!;
      if (owner.name === node.name) {
        routes.push(blackhole(mode, b.cidr));
        continue;
      }
      routes.push(remoteRoute(mode, b.cidr, owner, tunnel.get(owner.name)));
      const rows = vtepRows(owner);
      if (rows && !neighbors.some((x) => x.ip === rows.neighbor.ip)) {
        neighbors.push(rows.neighbor);
        fdb.push(rows.fdb);
      }
    }
    return { ...base, ifaces, routes, neighbors, fdb, sockets };
  }

  const setBlocks = (world: World, node: string) =>
    world.setNode({ ...world.node(node), ipamBlocks: blocksOf(ipam, node) });

  /** A new block: its blackhole on the owner, a route to it on every other node. */
  function announce(world: World, owner: ClusterNode, block: string): TableRef[] {
    const touched: TableRef[] = [];
    world.updateNetns(owner.name, (ns) => ({
      ...ns,
      routes: [...ns.routes, blackhole(mode, block)],
    }));
    touched.push({ table: 'route', netns: owner.name, key: block, change: 'added' });
    const route = remoteRoute(mode, block, owner, tunnel.get(owner.name));
    for (const other of cluster.nodes) {
      if (other.name === owner.name) continue;
      world.updateNetns(other.name, (ns) => ({ ...ns, routes: [...ns.routes, route] }));
      touched.push({ table: 'route', netns: other.name, key: block, change: 'added' });
    }
    return touched;
  }

  return {
    type: 'calico',
    podMtu: mtu,
    hostNetns,
    initialNode: (node) => ({ ipamBlocks: blocksOf(ipam, node.name) }),
    add(world: World, rng: Rng, node: ClusterNode, pod: PodStatus) {
      const key = `${pod.namespace}/${pod.name}`;
      const handle = `${CALICO_NETWORK}.${pod.sandboxId}`;
      const r = autoAssign(ipam, node.name, handle, {
        namespace: pod.namespace,
        node: node.name,
        pod: pod.name,
      });
      if (!r.ok) {
        const reason = `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${pod.sandboxId}": plugin type="calico" failed (add): ${r.error}`;
        world.setPod({ ...pod, reason });
        world.removeNetns(pod.netns);
        world.record({
          kind: 'error',
          place: { node: node.name, netns: node.name },
          summary: `${key}: FailedCreatePodSandBox`,
          facts: { type: 'calico.exhausted', node: node.name, pool, reason },
          touched: [],
        });
        return undefined;
      }
      ipam = r.state;
      if (r.claimed) {
        setBlocks(world, node.name);
        const touched = announce(world, node, r.claimed);
        world.record({
          kind: 'setup',
          place: { node: node.name, netns: node.name },
          summary: `calico-ipam: block ${r.claimed} affine to ${node.name}`,
          facts: {
            type: 'calico.block',
            node: node.name,
            block: r.claimed,
            pool,
            mode,
            local: `blackhole ${r.claimed} proto ${mode === 'vxlan' ? '80' : 'bird'}`,
            peers: cluster.nodes.length - 1,
          },
          touched,
        });
      }
      setBlocks(world, node.name);
      world.setPod({ ...pod, ip: r.ip });
      const ordinal = ipToNumber(r.ip) - ipToNumber(r.block.split('/')[0]);
      world.record({
        kind: 'setup',
        place: { node: node.name, netns: node.name },
        summary: `calico-ipam: ${r.ip} → ${key}`,
        facts: {
          type: 'calico.ipam',
          pod: key,
          node: node.name,
          ip: r.ip,
          block: r.block,
          ordinal,
          handle,
        },
        touched: [{ table: 'ipam', netns: node.name, key: r.ip, change: 'added' }],
      });

      const hostVeth = calicoVethName(pod.namespace, pod.name);
      const host = world.netns(node.name);
      const eth0: Iface = {
        name: 'eth0',
        kind: 'veth',
        mac: randomMac(rng),
        ip: r.ip,
        prefixLength: 32,
        mtu,
        ifindex: 2,
        peer: { netns: host.id, iface: hostVeth },
      };
      const veth: Iface = {
        name: hostVeth,
        kind: 'veth',
        mac: CALICO_HOST_MAC,
        mtu,
        ifindex: nextIfindex(host),
        peer: { netns: pod.netns, iface: 'eth0' },
      };
      const conf = `net.ipv4.conf.${hostVeth}`;
      world.setNetns({
        ...host,
        ifaces: [...host.ifaces, veth],
        routes: [...host.routes, { dst: `${r.ip}/32`, dev: hostVeth, scope: 'link' }],
        sysctls: {
          ...host.sysctls,
          [`${conf}.forwarding`]: '1',
          [`${conf}.proxy_arp`]: '1',
          [`${conf}.route_localnet`]: '1',
          [`net.ipv4.neigh.${hostVeth}.proxy_delay`]: '0',
        },
      });
      const podNs = world.netns(pod.netns);
      world.setNetns({
        ...podNs,
        ifaces: [...podNs.ifaces, eth0],
        routes: [
          { dst: 'default', via: CALICO_POD_GATEWAY, dev: 'eth0' },
          { dst: `${CALICO_POD_GATEWAY}/32`, dev: 'eth0', scope: 'link' },
        ],
      });
      wired.set(key, { veth: hostVeth, ip: r.ip, handle });
      world.record({
        kind: 'setup',
        place: { node: node.name, netns: pod.netns, iface: 'eth0' },
        from: { node: node.name, netns: node.name, iface: hostVeth },
        summary: `veth pair eth0 ↔ ${hostVeth}`,
        facts: { type: 'calico.veth', ip: r.ip, hostVeth, mtu, node: node.name },
        touched: [
          { table: 'route', netns: node.name, key: `${r.ip}/32`, change: 'added' },
          { table: 'route', netns: pod.netns, key: 'default', change: 'added' },
        ],
      });
      return { ip: r.ip };
    },
    del(world: World, pod: PodStatus) {
      const key = `${pod.namespace}/${pod.name}`;
      const w = wired.get(key);
      wired.delete(key);
      if (w) {
        const conf = `net.ipv4.conf.${w.veth}.`;
        world.updateNetns(pod.node, (ns) => ({
          ...ns,
          ifaces: ns.ifaces.filter((i) => i.name !== w.veth),
          routes: ns.routes.filter((rt) => rt.dev !== w.veth),
          neighbors: ns.neighbors.filter((n) => n.dev !== w.veth),
          sysctls: Object.fromEntries(
            Object.entries(ns.sysctls ?? {}).filter(
              ([k]) => !k.startsWith(conf) && k !== `net.ipv4.neigh.${w.veth}.proxy_delay`,
            ),
          ),
        }));
      }
      world.removeNetns(pod.netns);
      const block = w ? blockOf(ipam, w.ip)?.cidr : undefined;
      if (w) ipam = releaseByHandle(ipam, w.handle);
      setBlocks(world, pod.node);
      return {
        type: 'calico.delete',
        pod: key,
        veth: w?.veth ?? '',
        ip: pod.ip ?? '',
        block: block ?? '',
      };
    },
  };
}
