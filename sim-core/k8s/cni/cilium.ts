/**
 * Cilium as the CNI plugin, as cilium-cni and cilium-agent leave a node:
 *
 * - cilium_host / cilium_net, a veth pair in the host namespace; cilium_host
 *   holds the router IP, the agent's first allocation from the node's
 *   cluster-pool CIDR (cilium-ipam.ts);
 * - every pod gets a veth: `lxc` + the first 12 hex digits of
 *   sha256("<containerID>:eth0") on the host (connector.Endpoint2IfName on the
 *   CNI attachment ID, IFNAMSIZ − len("tmp") − 1 digits), eth0 in the pod
 *   with its address as a /32 and `default via <router IP> dev eth0 mtu M`
 *   plus `<router IP> dev eth0 scope link` (cilium-cni's prepareIP);
 * - routes, all `proto kernel` (linux_defaults.RTProto): the node's own CIDR
 *   and the router IP on cilium_host; in tunnel mode every other node's CIDR
 *   `via <router IP> dev cilium_host … mtu 1450`, in native mode with
 *   autoDirectNodeRoutes `via <node IP> dev eth0`;
 * - tunnel mode has cilium_vxlan, a flow-based (external) VXLAN device on
 *   UDP 8472: the eBPF program sets VNI and remote per packet, and the VNI is
 *   the source pod's security identity;
 * - the agent's BPF maps: the endpoint map (cilium_lxc) and the ipcache.
 *
 * The eBPF programs are cilium-bpf.ts.
 */
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex } from '@noble/hashes/utils';
import type {
  BpfEndpoint,
  CiliumMaps,
  Iface,
  IpcacheEntry,
  Netns,
  PodStatus,
  Route,
  Socket,
} from '../../model.ts';
import { createRng, type Rng } from '../../engine/rng.ts';
import { hostAddress, ipToNumber, prefixLength } from '../../net/cidr.ts';
import type { World } from '../../dataplane/world.ts';
import type { ClusterNode, ClusterSpec } from '../../scenario/types.ts';
import { CILIUM_DEFAULT_MASK_SIZE, CILIUM_DEFAULT_POOL } from '../../scenario/cluster-cilium.ts';
import { randomMac } from '../identity.ts';
import { baseHostNetns } from './flannel.ts';
import { allocateNext, nodePodCidr, release, type NodePool } from './cilium-ipam.ts';
import { ciliumPrograms } from './cilium-bpf.ts';
import type { CniPlugin } from './plugin.ts';

export const CILIUM_VXLAN = { dev: 'cilium_vxlan', port: 8472 } as const;
export const CILIUM_TUNNEL_MTU = 1450; // 1500 − 50 bytes of VXLAN
/** Reserved security identities (pkg/identity/numericidentity.go). */
export const RESERVED_IDENTITY = {
  host: 1,
  world: 2,
  unmanaged: 3,
  health: 4,
  init: 5,
  'remote-node': 6,
  'kube-apiserver': 7,
  ingress: 8,
} as const;
/** Identities for label sets start here (MinimalNumericIdentity); the cluster-local range ends at 65535. */
const MIN_IDENTITY = 256;
const MAX_IDENTITY = 65535;
/** The endpoint ID pool: 1 … 4095 (endpointmanager's idallocator). */
const MAX_ENDPOINT_ID = 4095;

export type CiliumMode = 'vxlan' | 'native';

/** connector.Endpoint2IfName(containerID + ":" + ifName): "lxc" + 12 hex digits of its sha256. */
export function ciliumLxcName(containerId: string, ifName = 'eth0'): string {
  const sum = bytesToHex(sha256(new TextEncoder().encode(`${containerId}:${ifName}`)));
  return `lxc${sum.slice(0, 12)}`;
}

/** The labels a pod's security identity is derived from, as `cilium identity list` prints them. */
export function identityLabels(
  namespace: string,
  labels: Readonly<Record<string, string>>,
): string[] {
  return [
    ...Object.entries(labels).map(([k, v]) => `k8s:${k}=${v}`),
    'k8s:io.cilium.k8s.policy.cluster=default',
    'k8s:io.cilium.k8s.policy.serviceaccount=default',
    `k8s:io.kubernetes.pod.namespace=${namespace}`,
  ].sort();
}

interface Wired {
  readonly node: string;
  readonly lxc: string;
  readonly ip: string;
  readonly identity: number;
  readonly endpoint: BpfEndpoint;
}

export function ciliumPlugin(cluster: ClusterSpec): CniPlugin {
  const mode = cluster.cni.mode as CiliumMode;
  const pool = cluster.cni.clusterPoolIPv4PodCIDRList ?? CILIUM_DEFAULT_POOL;
  const mask = cluster.cni.clusterPoolIPv4MaskSize ?? CILIUM_DEFAULT_MASK_SIZE;
  const seeded = createRng(cluster.seed).fork('cilium');
  const routeMtu = mode === 'vxlan' ? CILIUM_TUNNEL_MTU : 1500;
  const gateway = hostAddress(cluster.nodeNetwork, 1);
  const pools = new Map<string, NodePool>();
  const ipamRng = new Map<string, Rng>();
  const router = new Map<string, string>();
  cluster.nodes.forEach((n, i) => {
    const rng = seeded.fork(`ipam/${n.name}`);
    const a = allocateNext({ cidr: nodePodCidr(pool, mask, i), used: new Map() }, rng, 'router');
    pools.set(n.name, a!.pool);
    router.set(n.name, a!.ip);
    ipamRng.set(n.name, rng);
  });
  const cidrOf = (node: string) => pools.get(node)!.cidr;
  const identityRng = seeded.fork('identity');
  const identities = new Map<string, number>();
  const endpointIds = new Map<string, Set<number>>();
  const endpointRng = seeded.fork('endpoint-id');
  const wired = new Map<string, Wired>();
  const vxlanMac = new Map(
    cluster.nodes.map((n) => [n.name, randomMac(seeded.fork(`vxlan/${n.name}`))]),
  );
  const hostMac = new Map(
    cluster.nodes.map((n) => [n.name, randomMac(seeded.fork(`host/${n.name}`))]),
  );
  const netMac = new Map(
    cluster.nodes.map((n) => [n.name, randomMac(seeded.fork(`net/${n.name}`))]),
  );

  function allocateIdentity(labels: string[]): number {
    const key = labels.join(',');
    let id = identities.get(key);
    if (id !== undefined) return id;
    const taken = new Set(identities.values());
    do id = identityRng.int(MIN_IDENTITY, MAX_IDENTITY);
    while (taken.has(id));
    identities.set(key, id);
    return id;
  }

  function allocateEndpointId(node: string): number {
    const used = endpointIds.get(node) ?? new Set<number>();
    let id: number;
    do id = endpointRng.int(1, MAX_ENDPOINT_ID);
    while (used.has(id));
    endpointIds.set(node, new Set([...used, id]));
    return id;
  }

  /** The node's cilium_lxc: its own addresses as (localhost), then its pods. */
  function endpointMap(node: ClusterNode): BpfEndpoint[] {
    const local = [...wired.values()].filter((w) => w.node === node.name).map((w) => w.endpoint);
    return [{ ip: node.ip }, { ip: router.get(node.name)! }, ...local];
  }

  function ipcache(node: ClusterNode): IpcacheEntry[] {
    const none = '0.0.0.0';
    const tunnelTo = (n: string, ip: string) => (mode === 'vxlan' && n !== node.name ? ip : none);
    const rows: IpcacheEntry[] = [
      { prefix: '0.0.0.0/0', identity: RESERVED_IDENTITY.world, tunnelEndpoint: none },
    ];
    for (const n of cluster.nodes) {
      const own = n.name === node.name;
      const id = own ? RESERVED_IDENTITY.host : RESERVED_IDENTITY['remote-node'];
      rows.push({ prefix: `${n.ip}/32`, identity: id, tunnelEndpoint: none });
      rows.push({
        prefix: `${router.get(n.name)}/32`,
        identity: id,
        tunnelEndpoint: tunnelTo(n.name, n.ip),
      });
      // Tunnel mode: the other nodes' CIDRs, so a packet to any address in them goes through the tunnel.
      if (!own && mode === 'vxlan')
        rows.push({
          prefix: cidrOf(n.name),
          identity: RESERVED_IDENTITY.world,
          tunnelEndpoint: n.ip,
        });
    }
    for (const w of wired.values()) {
      const n = cluster.nodes.find((x) => x.name === w.node)!;
      rows.push({
        prefix: `${w.ip}/32`,
        identity: w.identity,
        tunnelEndpoint: tunnelTo(n.name, n.ip),
      });
    }
    return rows.sort(
      (a, b) =>
        ipToNumber(a.prefix.split('/')[0]) - ipToNumber(b.prefix.split('/')[0]) ||
        prefixLength(a.prefix) - prefixLength(b.prefix),
    );
  }

  const maps = (node: ClusterNode): CiliumMaps => ({
    endpoints: endpointMap(node),
    ipcache: ipcache(node),
  });

  function syncMaps(world: World): void {
    for (const n of cluster.nodes) {
      const status = world.node(n.name);
      // The service map (cilium-lb.ts) is the agent's too: keep it.
      world.setNode({ ...status, bpf: { ...status.bpf, ...maps(n) } });
    }
  }

  function hostNetns(node: ClusterNode): Netns {
    const base = baseHostNetns(cluster, node);
    const rip = router.get(node.name)!;
    const ifaces: Iface[] = [
      ...base.ifaces,
      {
        name: 'cilium_net',
        kind: 'veth',
        mac: netMac.get(node.name)!,
        mtu: 1500,
        ifindex: 3,
        peer: { netns: node.name, iface: 'cilium_host' },
      },
      {
        name: 'cilium_host',
        kind: 'veth',
        mac: hostMac.get(node.name)!,
        ip: rip,
        prefixLength: 32,
        mtu: 1500,
        ifindex: 4,
        peer: { netns: node.name, iface: 'cilium_net' },
      },
    ];
    const sockets: Socket[] = [];
    if (mode === 'vxlan') {
      ifaces.push({
        name: CILIUM_VXLAN.dev,
        kind: 'vxlan',
        mac: vxlanMac.get(node.name)!,
        mtu: 1500,
        ifindex: 5,
        vxlan: { vni: 0, port: CILIUM_VXLAN.port, external: true },
      });
      sockets.push({
        protocol: 'udp',
        state: 'UNCONN',
        localAddr: '0.0.0.0',
        localPort: CILIUM_VXLAN.port,
        owner: `kernel (${CILIUM_VXLAN.dev})`,
        encap: { kind: 'vxlan', dev: CILIUM_VXLAN.dev },
      });
    }
    const routes: Route[] = [
      { dst: 'default', via: gateway, dev: 'eth0' },
      ...base.routes,
      { dst: cidrOf(node.name), via: rip, dev: 'cilium_host', proto: 'kernel', src: rip },
      { dst: `${rip}/32`, dev: 'cilium_host', proto: 'kernel', scope: 'link' },
    ];
    for (const other of cluster.nodes) {
      if (other.name === node.name) continue;
      routes.push(
        mode === 'vxlan'
          ? {
              dst: cidrOf(other.name),
              via: rip,
              dev: 'cilium_host',
              proto: 'kernel',
              src: rip,
              mtu: routeMtu,
            }
          : { dst: cidrOf(other.name), via: other.ip, dev: 'eth0', proto: 'kernel' },
      );
    }
    const sysctls = {
      ...base.sysctls,
      'net.ipv4.conf.cilium_host.rp_filter': '0',
      'net.ipv4.conf.cilium_net.rp_filter': '0',
      ...(mode === 'vxlan' ? { 'net.ipv4.conf.cilium_vxlan.rp_filter': '0' } : {}),
    };
    return { ...base, ifaces, routes, sockets, sysctls };
  }

  const programs = ciliumPrograms({
    mode,
    isNode: (netns) => router.has(netns),
  });

  return {
    type: 'cilium-cni',
    podMtu: routeMtu,
    hostNetns,
    initialNode: (node) => ({ podCIDR: cidrOf(node.name), bpf: maps(node) }),
    tc: programs,
    add(world: World, rng: Rng, node: ClusterNode, pod: PodStatus, labels = {}) {
      const key = `${pod.namespace}/${pod.name}`;
      const a = allocateNext(pools.get(node.name)!, ipamRng.get(node.name)!, key);
      if (!a) {
        const reason = `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${pod.sandboxId}": plugin type="cilium-cni" failed (add): unable to allocate IP via local cilium agent: [POST /ipam][502] postIpamFailure  range is full`;
        world.setPod({ ...pod, reason });
        world.removeNetns(pod.netns);
        world.record({
          kind: 'error',
          place: { node: node.name, netns: node.name },
          summary: `${key}: FailedCreatePodSandBox`,
          facts: { type: 'cilium.exhausted', node: node.name, cidr: cidrOf(node.name), reason },
          touched: [],
        });
        return undefined;
      }
      pools.set(node.name, a.pool);
      const ip = a.ip;
      world.setPod({ ...pod, ip });
      world.record({
        kind: 'setup',
        place: { node: node.name, netns: node.name },
        summary: `cilium ipam: ${ip} → ${key}`,
        facts: {
          type: 'cilium.ipam',
          pod: key,
          node: node.name,
          ip,
          cidr: cidrOf(node.name),
          pool,
        },
        touched: [{ table: 'ipam', netns: node.name, key: ip, change: 'added' }],
      });
      const lxc = ciliumLxcName(pod.sandboxId);
      const host = world.netns(node.name);
      const rip = router.get(node.name)!;
      const eth0: Iface = {
        name: 'eth0',
        kind: 'veth',
        mac: randomMac(rng),
        ip,
        prefixLength: 32,
        mtu: 1500,
        ifindex: 2,
        peer: { netns: host.id, iface: lxc },
      };
      const ifindex = Math.max(0, ...host.ifaces.map((i) => i.ifindex)) + 1;
      const veth: Iface = {
        name: lxc,
        kind: 'veth',
        mac: randomMac(rng),
        mtu: 1500,
        ifindex,
        peer: { netns: pod.netns, iface: 'eth0' },
      };
      world.setNetns({
        ...host,
        ifaces: [...host.ifaces, veth],
        sysctls: { ...host.sysctls, [`net.ipv4.conf.${lxc}.rp_filter`]: '0' },
      });
      const podNs = world.netns(pod.netns);
      world.setNetns({
        ...podNs,
        ifaces: [...podNs.ifaces, eth0],
        routes: [
          { dst: 'default', via: rip, dev: 'eth0', mtu: routeMtu },
          { dst: `${rip}/32`, dev: 'eth0', scope: 'link' },
        ],
      });
      world.record({
        kind: 'setup',
        place: { node: node.name, netns: pod.netns, iface: 'eth0' },
        from: { node: node.name, netns: node.name, iface: lxc },
        summary: `veth pair eth0 ↔ ${lxc}`,
        facts: { type: 'cilium.veth', ip, lxc, router: rip, mtu: routeMtu, node: node.name },
        touched: [{ table: 'route', netns: pod.netns, key: 'default', change: 'added' }],
      });
      const labelSet = identityLabels(pod.namespace, labels);
      const identity = allocateIdentity(labelSet);
      const id = allocateEndpointId(node.name);
      const endpoint: BpfEndpoint = {
        ip,
        id,
        secId: identity,
        ifindex,
        mac: eth0.mac,
        nodeMac: veth.mac,
        pod: key,
      };
      wired.set(key, { node: node.name, lxc, ip, identity, endpoint });
      syncMaps(world);
      world.record({
        kind: 'control',
        place: { node: node.name, netns: node.name },
        summary: `cilium-agent: endpoint ${id}, identity ${identity}`,
        facts: {
          type: 'cilium.endpoint',
          pod: key,
          node: node.name,
          ip,
          id,
          identity,
          labels: labelSet.join(' '),
          lxc,
          nodes: cluster.nodes.length,
        },
        touched: [
          { table: 'bpf-endpoint', netns: node.name, key: ip, change: 'added' },
          ...cluster.nodes.map((n) => ({
            table: 'bpf-ipcache' as const,
            netns: n.name,
            key: `${ip}/32`,
            change: 'added' as const,
          })),
        ],
      });
      return { ip };
    },
    del(world: World, pod: PodStatus) {
      const key = `${pod.namespace}/${pod.name}`;
      const w = wired.get(key);
      wired.delete(key);
      if (w) {
        world.updateNetns(pod.node, (ns) => ({
          ...ns,
          ifaces: ns.ifaces.filter((i) => i.name !== w.lxc),
          neighbors: ns.neighbors.filter((n) => n.dev !== w.lxc),
        }));
        pools.set(pod.node, release(pools.get(pod.node)!, key));
      }
      world.removeNetns(pod.netns);
      syncMaps(world);
      return { type: 'cilium.delete', pod: key, lxc: w?.lxc ?? '', ip: pod.ip ?? '' };
    },
  };
}
