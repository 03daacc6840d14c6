/** Hosts on the node network outside the cluster (spec.hosts). */
import type { Netns } from '../model.ts';
import { prefixLength } from '../net/cidr.ts';
import type { ClusterSpec, ExternalHost } from '../scenario/types.ts';
import { nodeMac } from './identity.ts';
import { LOOPBACK } from './node.ts';
import { switchPort, UNDERLAY } from './underlay.ts';

/**
 * A machine on the node network that is not a node (spec.hosts): lo and an
 * eth0 cabled to the switch and the on-link route to the node network, as a
 * laptop on the same LAN has. Its namespace id is its name.
 */
export function externalNetns(cluster: ClusterSpec, host: ExternalHost): Netns {
  const prefix = prefixLength(cluster.nodeNetwork);
  return {
    id: host.name,
    node: host.name,
    kind: 'external',
    ifaces: [
      LOOPBACK,
      {
        name: 'eth0',
        kind: 'ethernet',
        mac: nodeMac(host.ip),
        ip: host.ip,
        prefixLength: prefix,
        mtu: 1500,
        ifindex: 2,
        peer: { netns: UNDERLAY, iface: switchPort(host.name) },
      },
    ],
    routes: [
      { dst: cluster.nodeNetwork, dev: 'eth0', proto: 'kernel', scope: 'link', src: host.ip },
    ],
    neighbors: [],
    fdb: [],
    ...(host.listen?.length || host.dns
      ? {
          sockets: [
            ...(host.listen ?? []).map((port) => ({
              protocol: 'tcp' as const,
              state: 'LISTEN',
              localAddr: '0.0.0.0',
              localPort: port,
              owner: 'server',
              recvQ: 0,
              sendQ: 4096,
            })),
            // A DNS server (spec.hosts[].dns) on UDP 53.
            ...(host.dns
              ? [
                  {
                    protocol: 'udp' as const,
                    state: 'UNCONN',
                    localAddr: '0.0.0.0',
                    localPort: 53,
                    owner: DNS_SERVER_OWNER,
                    recvQ: 0,
                    sendQ: 0,
                  },
                ]
              : []),
          ],
        }
      : {}),
  };
}

/** The program that holds a host's DNS socket. */
export const DNS_SERVER_OWNER = 'named';
