/**
 * A cluster's data path as Linux objects, written out by hand for the kernel
 * test — like linux-reference.sh, and never read from the simulator — and
 * built in real namespaces with iproute2: each node a namespace with cni0
 * (the bridge CNI plugin's bridge), each pod a namespace whose eth0 is a
 * veth peer of a cni0 port, nodes joined by one veth pair (their eth0), and
 * flannel's side as its vxlan and host-gw backends set it up.
 */
import { waitUp, type Lab } from './lab.ts';

export interface PodDesc {
  /** The pod's name in the scenario (its netns is node/default/name there). */
  readonly name: string;
  readonly ip: string;
  readonly mac: string;
  /** The host end's name here; the simulator's is random (veth + 8 hex digits). */
  readonly hostVeth: string;
}

/** flannel.1 as flannel's vxlan backend creates it (VNI 1, UDP 8472, nolearning). */
export interface VtepDesc {
  readonly mac: string;
  /** The node subnet's network address, as a /32 on flannel.1. */
  readonly ip: string;
}

export interface NodeDesc {
  readonly name: string;
  /** The gateway address on cni0 and the prefix (10.244.0.1/24). */
  readonly cni0: { readonly cidr: string; readonly mac: string };
  /** The node network (absent on a one-node lab). */
  readonly eth0?: { readonly cidr: string; readonly mac: string };
  readonly vtep?: VtepDesc;
  /** cni0, ports and pods' eth0 (flannel's FLANNEL_MTU: 1450 under vxlan). */
  readonly mtu: number;
  /** The bridge plugin's hairpinMode on every port. */
  readonly hairpin: boolean;
  readonly sysctls: Readonly<Record<string, string>>;
  readonly pods: readonly PodDesc[];
}

/** How a node reaches another node's pod subnet. */
export type PeerRoute =
  | {
      readonly kind: 'vxlan';
      readonly subnet: string;
      readonly vtep: VtepDesc;
      readonly nodeIp: string;
    }
  | { readonly kind: 'host-gw'; readonly subnet: string; readonly nodeIp: string };

export interface Topology {
  readonly nodes: readonly NodeDesc[];
  /** Per node name: the routes flannel installs towards the others. */
  readonly peers?: Readonly<Record<string, readonly PeerRoute[]>>;
}

/** Namespace names by role: a node's name, or node/pod. */
export type Built = Record<string, string>;

const gatewayOf = (n: NodeDesc) => n.cni0.cidr.split('/')[0];
const prefixOf = (n: NodeDesc) => n.cni0.cidr.split('/')[1];

/**
 * Builds the topology: one `ip -batch` per namespace (nodes first, since a
 * node creates its pods' veth pairs), the sysctls before any device exists
 * (igmp_link_local_mcast_reports must be off before cni0 joins 224.0.0.106).
 */
export async function buildTopology(lab: Lab, topo: Topology): Promise<Built> {
  const roles = topo.nodes.flatMap((n) => [n.name, ...n.pods.map((p) => `${n.name}/${p.name}`)]);
  const names = await lab.netns(roles.map((r) => r.replace('/', '-')));
  const built: Built = Object.fromEntries(roles.map((r, i) => [r, names[i]]));
  const ipv6Off = ['net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1'];
  await Promise.all(
    roles.map((r) => {
      const node = topo.nodes.find((n) => n.name === r);
      const own = Object.entries(node?.sysctls ?? {}).map(([k, v]) => `${k}=${v}`);
      return lab.exec(built[r], ['sysctl', '-qw', ...ipv6Off, ...own]);
    }),
  );
  const [first, second] = topo.nodes;
  for (const node of topo.nodes) {
    // The node network: one veth pair between the two nodes, both ends named eth0.
    const wire =
      node === first && second?.eth0
        ? [`link add eth0 type veth peer name eth0 netns ${built[second.name]}`]
        : [];
    const peers = topo.peers?.[node.name] ?? [];
    await lab.ipBatch(built[node.name], [
      ...wire,
      ...nodeLines(node, built),
      ...peers.flatMap(peerLines),
    ]);
    await lab.bridgeBatch(built[node.name], peers.flatMap(fdbLines));
  }
  await Promise.all(
    topo.nodes.flatMap((node) =>
      node.pods.map(async (pod) => {
        const ns = built[`${node.name}/${pod.name}`];
        await lab.ipBatch(ns, podLines(node, pod));
        await waitUp(lab, ns, 'eth0');
      }),
    ),
  );
  for (const node of topo.nodes) await waitUp(lab, built[node.name], 'cni0');
  return built;
}

function nodeLines(node: NodeDesc, built: Built): string[] {
  const mtu = String(node.mtu);
  const lines = ['link set lo up'];
  if (node.eth0)
    lines.push(
      `link set eth0 address ${node.eth0.mac}`,
      `addr add ${node.eth0.cidr} dev eth0`,
      'link set eth0 up',
    );
  lines.push(
    'link add cni0 type bridge',
    `link set cni0 address ${node.cni0.mac} mtu ${mtu}`,
    `addr add ${node.cni0.cidr} dev cni0`,
    'link set cni0 up',
  );
  if (node.vtep) {
    // As flannel's vxlan backend creates it.
    const local = node.eth0!.cidr.split('/')[0];
    lines.push(
      `link add flannel.1 type vxlan id 1 local ${local} dev eth0 dstport 8472 nolearning`,
      `link set flannel.1 address ${node.vtep.mac} mtu ${mtu}`,
      `addr add ${node.vtep.ip}/32 dev flannel.1`,
      'link set flannel.1 up',
    );
  }
  for (const pod of node.pods) {
    const v = pod.hostVeth;
    lines.push(
      `link add ${v} type veth peer name eth0 netns ${built[`${node.name}/${pod.name}`]}`,
      `link set ${v} mtu ${mtu} master cni0`,
      `link set dev ${v} type bridge_slave hairpin ${node.hairpin ? 'on' : 'off'}`,
      `link set ${v} up`,
    );
  }
  return lines;
}

function podLines(node: NodeDesc, pod: PodDesc): string[] {
  const gw = gatewayOf(node);
  return [
    'link set lo up',
    `link set eth0 address ${pod.mac} mtu ${node.mtu}`,
    `addr add ${pod.ip}/${prefixOf(node)} dev eth0`,
    'link set eth0 up',
    // The routes flannel's CNI config gives a pod: isDefaultGateway, and the cluster's pod CIDR.
    `route add default via ${gw} dev eth0`,
    `route add 10.244.0.0/16 via ${gw} dev eth0`,
  ];
}

function peerLines(peer: PeerRoute): string[] {
  if (peer.kind === 'host-gw') return [`route add ${peer.subnet} via ${peer.nodeIp} dev eth0`];
  const { mac, ip } = peer.vtep;
  return [
    `route add ${peer.subnet} via ${ip} dev flannel.1 onlink`,
    `neigh replace ${ip} lladdr ${mac} dev flannel.1 nud permanent`,
  ];
}

const fdbLines = (peer: PeerRoute): string[] =>
  peer.kind === 'vxlan'
    ? [`fdb replace ${peer.vtep.mac} dev flannel.1 dst ${peer.nodeIp} self permanent`]
    : [];
