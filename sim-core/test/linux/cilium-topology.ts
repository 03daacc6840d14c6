/**
 * A Cilium native-routing node pair as plain Linux objects, written out by
 * hand for the kernel test from what cilium-cni (plugins/cilium-cni
 * prepareIP, connector.Endpoint2IfName) and cilium-agent with
 * `routingMode: native` + `autoDirectNodeRoutes: true` leave on a node —
 * never read from the simulator's tables — and built with iproute2:
 *
 * - cilium_host / cilium_net, a veth pair; cilium_host holds the router IP
 *   as a /32, with `<router IP> dev cilium_host proto kernel scope link` and
 *   the node's own pod CIDR `via <router IP> dev cilium_host proto kernel
 *   src <router IP>`;
 * - autoDirectNodeRoutes: the other node's pod CIDR `via <node IP> dev eth0
 *   proto kernel`;
 * - each pod a namespace whose eth0 (its address a /32) is the peer of the
 *   host's `lxc…` veth, with `<router IP> dev eth0 scope link` and `default
 *   via <router IP> dev eth0 mtu 1500`;
 * - rp_filter off, ip_forward on, as the agent sets them.
 *
 * What eBPF does and plain Linux cannot: cil_from_netdev / ipv4_local_delivery
 * redirect a packet for a local endpoint straight to its lxc with the MAC
 * from the endpoint map. The kernel build stands in for that with what
 * Cilium itself offers without BPF host routing: a per-endpoint route
 * `<pod IP> dev lxc… scope link` (`endpointRoutes.enabled`) and a permanent
 * neighbour for the pod's MAC (the endpoint map's entry). bpf_lxc's ARP
 * responder is stood in for by the kernel answering ARP for the router IP,
 * a local address, on the lxc device with the lxc's MAC (arp_ignore=0).
 */
import { uplinkLines, waitUp, type Lab } from './lab.ts';

export interface CiliumPod {
  readonly name: string;
  readonly ip: string;
  /** eth0's MAC: random in Cilium and in the simulator; the lab takes the simulator's. */
  readonly mac: string;
  readonly lxc: string;
  /** The lxc device's MAC, random too; taken from the simulator. */
  readonly lxcMac: string;
}

export interface CiliumNode {
  readonly name: string;
  readonly ip: string;
  readonly mac: string;
  readonly podCidr: string;
  readonly routerIp: string;
  readonly pod: CiliumPod;
}

export interface CiliumPair {
  readonly prefix: number;
  readonly gateway: string;
  readonly nodes: readonly [CiliumNode, CiliumNode];
}

export type CiliumBuilt = Record<string, string>;

export async function buildCiliumNativePair(lab: Lab, pair: CiliumPair): Promise<CiliumBuilt> {
  const roles = pair.nodes.flatMap((n) => [n.name, `${n.name}/${n.pod.name}`]);
  const names = await lab.netns(roles.map((r) => r.replace('/', '-')));
  const built: CiliumBuilt = Object.fromEntries(roles.map((r, i) => [r, names[i]]));
  await Promise.all(
    roles.map((r) =>
      lab.exec(built[r], [
        'sysctl',
        '-qw',
        'net.ipv6.conf.all.disable_ipv6=1',
        'net.ipv6.conf.default.disable_ipv6=1',
        'net.ipv4.conf.all.rp_filter=0',
        'net.ipv4.conf.default.rp_filter=0',
        ...(r.includes('/') ? [] : ['net.ipv4.ip_forward=1']),
      ]),
    ),
  );
  const [first, second] = pair.nodes;
  for (const node of pair.nodes) {
    const other = node === first ? second : first;
    const ns = built[node.name];
    const pod = built[`${node.name}/${node.pod.name}`];
    const { lxc } = node.pod;
    await lab.ipBatch(ns, [
      ...uplinkLines(node, pair, node === first ? built[second.name] : undefined),
      'link add cilium_host type veth peer name cilium_net',
      'link set cilium_net up',
      `addr add ${node.routerIp}/32 dev cilium_host`,
      'link set cilium_host up',
      `route replace ${node.routerIp} dev cilium_host proto kernel scope link`,
      `route add ${node.podCidr} via ${node.routerIp} dev cilium_host proto kernel src ${node.routerIp}`,
      `route add ${other.podCidr} via ${other.ip} dev eth0 proto kernel`,
      `link add ${lxc} type veth peer name eth0 netns ${pod}`,
      `link set ${lxc} address ${node.pod.lxcMac}`,
      `link set ${lxc} up`,
      `route add ${node.pod.ip}/32 dev ${lxc} scope link`,
      `neigh replace ${node.pod.ip} lladdr ${node.pod.mac} dev ${lxc} nud permanent`,
    ]);
    await lab.ipBatch(pod, [
      'link set lo up',
      `link set eth0 address ${node.pod.mac}`,
      `addr add ${node.pod.ip}/32 dev eth0`,
      'link set eth0 up',
      `route add ${node.routerIp} dev eth0 scope link`,
      `route add default via ${node.routerIp} dev eth0 mtu 1500`,
    ]);
  }
  for (const node of pair.nodes) {
    await waitUp(lab, built[`${node.name}/${node.pod.name}`], 'eth0');
    await waitUp(lab, built[node.name], node.pod.lxc);
  }
  return built;
}
