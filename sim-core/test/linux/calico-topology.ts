/**
 * A Calico node pair as Linux objects, written out by hand for the kernel
 * test from what Calico's CNI plugin (dataplane/linux/dataplane_linux.go),
 * BIRD and felix (vxlan_mgr.go, route_table.go) leave on a node — never read
 * from the simulator's tables — and built in real namespaces with iproute2:
 *
 * - each pod a namespace whose eth0 (address /32) is the peer of the host's
 *   `cali…` veth; the pod's routes `169.254.1.1 dev eth0 scope link` and
 *   `default via 169.254.1.1 dev eth0`;
 * - the host end: MAC ee:ee:ee:ee:ee:ee, no address, proxy_arp=1,
 *   neigh proxy_delay=0, and a `/32` route `dev caliX scope link`;
 * - a blackhole for the node's own block, a default route via the node
 *   network's .1 (proxy ARP answers only for an address routed elsewhere);
 * - BGP: the other node's block `via <node IP> dev eth0 proto bird`;
 *   VXLAN: `vxlan.calico` (VNI 4096, dstport 4789, nolearning, MTU 1450)
 *   holding the node's tunnel address, and for the other node a route `via
 *   <its VTEP address> dev vxlan.calico onlink`, a permanent neighbour and
 *   an fdb entry `dst <node IP>`, as felix programs them.
 */
import { uplinkLines, waitUp, type Lab } from './lab.ts';

export interface CalicoPod {
  readonly name: string;
  readonly ip: string;
  /** eth0's MAC: random in Calico (the kernel's) and in the simulator; the lab takes the simulator's. */
  readonly mac: string;
  /** cali + 11 hex digits of sha1("<namespace>.<pod>"). */
  readonly hostVeth: string;
}

export interface CalicoVtep {
  readonly ip: string;
  readonly mac: string;
}

export interface CalicoNode {
  readonly name: string;
  readonly ip: string;
  readonly mac: string;
  /** The node's own block, held by a blackhole. */
  readonly block: string;
  readonly vtep?: CalicoVtep;
  readonly pod: CalicoPod;
}

export interface CalicoPair {
  readonly mode: 'bgp' | 'vxlan';
  /** The node network (a /24); its .1 is the nodes' default gateway. */
  readonly prefix: number;
  readonly gateway: string;
  readonly nodes: readonly [CalicoNode, CalicoNode];
}

export const CALICO_MAC = 'ee:ee:ee:ee:ee:ee';

/** Namespace names by role: node-1, node-1/pod-a. */
export type CalicoBuilt = Record<string, string>;

export async function buildCalicoPair(lab: Lab, pair: CalicoPair): Promise<CalicoBuilt> {
  const roles = pair.nodes.flatMap((n) => [n.name, `${n.name}/${n.pod.name}`]);
  const names = await lab.netns(roles.map((r) => r.replace('/', '-')));
  const built: CalicoBuilt = Object.fromEntries(roles.map((r, i) => [r, names[i]]));
  const ipv6Off = ['net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1'];
  await Promise.all(
    roles.map((r) =>
      lab.exec(built[r], [
        'sysctl',
        '-qw',
        ...ipv6Off,
        ...(r.includes('/') ? [] : ['net.ipv4.ip_forward=1']),
      ]),
    ),
  );
  const mtu = pair.mode === 'vxlan' ? 1450 : 1500;
  const [first, second] = pair.nodes;
  for (const node of pair.nodes) {
    const other = node === first ? second : first;
    const ns = built[node.name];
    const pod = built[`${node.name}/${node.pod.name}`];
    const v = node.pod.hostVeth;
    await lab.ipBatch(ns, [
      ...uplinkLines(node, pair, node === first ? built[second.name] : undefined),
      `route add blackhole ${node.block} proto ${pair.mode === 'vxlan' ? '80' : 'bird'}`,
      ...tunnelLines(pair, node, other),
      `link add ${v} type veth peer name eth0 netns ${pod}`,
      `link set ${v} address ${CALICO_MAC} mtu ${mtu}`,
    ]);
    // The CNI plugin's sysctls for the host end, before it comes up.
    await lab.exec(ns, [
      'sysctl',
      '-qw',
      `net.ipv4.conf.${v}.forwarding=1`,
      `net.ipv4.conf.${v}.proxy_arp=1`,
      `net.ipv4.conf.${v}.route_localnet=1`,
      `net.ipv4.neigh.${v}.proxy_delay=0`,
    ]);
    await lab.ipBatch(ns, [`link set ${v} up`, `route add ${node.pod.ip}/32 dev ${v} scope link`]);
    await lab.bridgeBatch(ns, fdbLines(pair, other));
    await lab.ipBatch(pod, [
      'link set lo up',
      `link set eth0 address ${node.pod.mac} mtu ${mtu}`,
      `addr add ${node.pod.ip}/32 dev eth0`,
      'link set eth0 up',
      'route add 169.254.1.1 dev eth0 scope link',
      'route add default via 169.254.1.1 dev eth0',
    ]);
  }
  for (const node of pair.nodes) {
    await waitUp(lab, built[`${node.name}/${node.pod.name}`], 'eth0');
    await waitUp(lab, built[node.name], node.pod.hostVeth);
  }
  return built;
}

function tunnelLines(pair: CalicoPair, node: CalicoNode, other: CalicoNode): string[] {
  if (pair.mode === 'bgp') return [`route add ${other.block} via ${other.ip} dev eth0 proto bird`];
  const own = node.vtep!;
  const peer = other.vtep!;
  return [
    `link add vxlan.calico type vxlan id 4096 local ${node.ip} dev eth0 dstport 4789 nolearning`,
    `link set vxlan.calico address ${own.mac} mtu 1450`,
    `addr add ${own.ip}/32 dev vxlan.calico`,
    'link set vxlan.calico up',
    `neigh replace ${peer.ip} lladdr ${peer.mac} dev vxlan.calico nud permanent`,
    `route add ${other.block} via ${peer.ip} dev vxlan.calico onlink`,
  ];
}

const fdbLines = (pair: CalicoPair, other: CalicoNode): string[] =>
  pair.mode === 'vxlan'
    ? [`fdb replace ${other.vtep!.mac} dev vxlan.calico dst ${other.ip} self permanent`]
    : [];
