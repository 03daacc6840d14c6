/**
 * CNI ADD/DEL through flannel's CNI plugin, which delegates to the bridge
 * plugin with host-local IPAM (flannel's /run/flannel/subnet.env gives the
 * node's subnet and MTU; its delegate config sets isGateway and hairpinMode):
 * ensure cni0 with the gateway address, create the veth pair (eth0 in the
 * pod, veth… on the node, enslaved to cni0), address eth0 and add routes.
 */
import type { FdbEntry, Iface, Netns, Route } from '../model.ts';
import { hostAddress, prefixLength } from '../net/cidr.ts';
import { podMacFromIp } from '../net/mac.ts';
import type { Rng } from '../engine/rng.ts';
import type { World } from '../dataplane/world.ts';
import { randomMac, vethName } from './identity.ts';

export const BRIDGE = 'cni0';
export const CNI_NETWORK = 'cbr0'; // flannel's default network name: /var/lib/cni/networks/cbr0
/**
 * The multicast addresses on a new device's list, as `bridge fdb show`
 * prints them `self permanent` (reference same-node-bridge-fdb.txt): the
 * all-nodes and all-hosts groups on every device, and on cni0 also the
 * IGMP/MLD multicast-router-discovery groups (224.0.0.106, ff02::6a) the
 * bridge joins for multicast snooping.
 */
const PORT_MCAST = ['33:33:00:00:00:01', '01:00:5e:00:00:01'];
const BRIDGE_MCAST = [
  '33:33:00:00:00:01',
  '01:00:5e:00:00:6a',
  '33:33:00:00:00:6a',
  '01:00:5e:00:00:01',
];
const selfEntries = (dev: string, macs: readonly string[]): FdbEntry[] =>
  macs.map((mac) => ({ mac, port: dev, bridge: BRIDGE, permanent: true, flag: 'self' }));

function nextIfindex(ns: Netns): number {
  // A loop, not Math.max(...spread): a node with thousands of veths, once per pod.
  let max = 0;
  for (const i of ns.ifaces) if (i.ifindex > max) max = i.ifindex;
  return max + 1;
}

/** ensureBridge + ensureBridgeAddr: cni0 with the subnet's gateway, and the connected route. */
export function ensureBridge(world: World, nodeName: string, subnet: string, mtu: number): boolean {
  const host = world.netns(nodeName);
  if (host.ifaces.some((i) => i.name === BRIDGE)) return false;
  const gw = hostAddress(subnet, 1);
  // The reference captures set cni0's MAC to 0a:58 + gateway IP for reproducibility.
  const bridge: Iface = {
    name: BRIDGE,
    kind: 'bridge',
    mac: podMacFromIp(gw),
    ip: gw,
    prefixLength: prefixLength(subnet),
    mtu,
    ifindex: nextIfindex(host),
  };
  const route: Route = { dst: subnet, dev: BRIDGE, proto: 'kernel', scope: 'link', src: gw };
  const fdb: FdbEntry[] = [
    ...selfEntries(BRIDGE, BRIDGE_MCAST),
    { mac: bridge.mac, port: BRIDGE, bridge: BRIDGE, permanent: true, flag: 'master' },
  ];
  world.setNetns({
    ...host,
    ifaces: [...host.ifaces, bridge],
    routes: [...host.routes, route],
    fdb: [...host.fdb, ...fdb],
  });
  return true;
}

export interface VethResult {
  readonly hostVeth: string;
  readonly podNetns: Netns;
}

/** setupVeth: eth0 in the pod netns, its peer on the node enslaved to cni0 (hairpin as flannel's config says: on). */
export function addVethPair(
  world: World,
  rng: Rng,
  nodeName: string,
  podNetns: Netns,
  ip: string,
  subnet: string,
  podCIDR: string,
  mtu: number,
  hairpin = true,
): VethResult {
  const host = world.netns(nodeName);
  const hostVeth = vethName(rng);
  const hostIfindex = nextIfindex(host);
  const eth0: Iface = {
    name: 'eth0',
    kind: 'veth',
    mac: podMacFromIp(ip),
    ip,
    prefixLength: prefixLength(subnet),
    mtu,
    ifindex: 2,
    peer: { netns: host.id, iface: hostVeth },
  };
  const veth: Iface = {
    name: hostVeth,
    kind: 'veth',
    mac: randomMac(rng),
    mtu,
    ifindex: hostIfindex,
    peer: { netns: podNetns.id, iface: 'eth0' },
    master: BRIDGE,
    hairpin,
  };
  const gw = hostAddress(subnet, 1);
  const routes: Route[] = [
    { dst: 'default', via: gw, dev: 'eth0' },
    { dst: subnet, dev: 'eth0', proto: 'kernel', scope: 'link', src: ip },
    { dst: podCIDR, via: gw, dev: 'eth0' },
  ];
  const pod: Netns = { ...podNetns, ifaces: [...podNetns.ifaces, eth0], routes };
  world.setNetns({
    ...host,
    ifaces: [...host.ifaces, veth],
    fdb: [
      ...host.fdb,
      { mac: veth.mac, port: hostVeth, bridge: BRIDGE, permanent: true, flag: 'master' },
      ...selfEntries(hostVeth, PORT_MCAST),
    ],
  });
  world.setNetns(pod);
  return { hostVeth, podNetns: pod };
}

/** CNI DEL: the veth pair disappears with the netns; cni0 forgets the port's entries. */
export function removeVethPair(world: World, nodeName: string, hostVeth: string): void {
  const host = world.netns(nodeName);
  world.setNetns({
    ...host,
    ifaces: host.ifaces.filter((i) => i.name !== hostVeth),
    fdb: host.fdb.filter((e) => e.port !== hostVeth),
  });
}
