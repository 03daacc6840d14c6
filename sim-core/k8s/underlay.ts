/**
 * The node network (192.168.1.0/24 in the seed): the physical switch every
 * node's eth0 is cabled to. It is modelled as one more learning bridge in a
 * namespace of its own, so ARP and MAC learning on the underlay are the same
 * code, and the same steps, as on cni0.
 */
import type { Iface, Netns } from '../model.ts';
import type { ClusterSpec } from '../scenario/types.ts';

/** '@' cannot appear in a node name (DNS-1123), so these ids never clash. */
export const UNDERLAY = '@network';
export const SWITCH = 'switch';

export const switchPort = (node: string) => `port-${node}`;

export function underlayNetns(cluster: ClusterSpec): Netns {
  const ifaces: Iface[] = [
    { name: SWITCH, kind: 'bridge', mac: '02:00:00:00:00:01', mtu: 1500, ifindex: 1 },
    ...[...cluster.nodes, ...cluster.hosts].map<Iface>((n, i) => ({
      name: switchPort(n.name),
      kind: 'ethernet',
      mac: `02:00:00:00:01:${(i + 1).toString(16).padStart(2, '0')}`,
      mtu: 1500,
      ifindex: i + 2,
      master: SWITCH,
      peer: { netns: n.name, iface: 'eth0' },
    })),
  ];
  return {
    id: UNDERLAY,
    node: UNDERLAY,
    kind: 'network',
    ifaces,
    routes: [],
    neighbors: [],
    fdb: [],
  };
}
