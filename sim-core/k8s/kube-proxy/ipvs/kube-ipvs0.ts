/**
 * The kube-ipvs0 dummy device kube-proxy creates (netlink LinkAdd of type
 * dummy, never set up) and binds every ClusterIP, externalIP and LoadBalancer
 * IP to as a /32, so the node accepts packets for them and IPVS (on
 * LOCAL_IN) can take them. `ip addr show kube-ipvs0` as iproute2 prints it.
 */

export interface DummyDevice {
  readonly ifindex: number;
  /** A random locally administered address, as the dummy driver gives (eth_hw_addr_random). */
  readonly mac: string;
  readonly addresses: readonly string[];
}

/** `ip addr show kube-ipvs0`: DOWN, BROADCAST,NOARP, each address /32 scope global. */
export function ipAddrShowKubeIpvs0(dev: DummyDevice): string {
  const lines = [
    `${dev.ifindex}: kube-ipvs0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN group default qlen 1000`,
    `    link/ether ${dev.mac} brd ff:ff:ff:ff:ff:ff`,
  ];
  for (const ip of dev.addresses)
    lines.push(
      `    inet ${ip}/32 scope global kube-ipvs0`,
      '       valid_lft forever preferred_lft forever',
    );
  return `${lines.join('\n')}\n`;
}
