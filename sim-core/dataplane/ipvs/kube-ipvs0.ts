/**
 * kube-ipvs0: the dummy device kube-proxy creates in IPVS mode (netlink
 * LinkAdd type dummy, left DOWN) and binds every ClusterIP, externalIP and
 * LoadBalancer IP to as a /32, so the kernel treats packets to them as local
 * (the local routing table gets "local 10.96.0.10 dev kube-ipvs0") and they
 * reach IPVS at LOCAL_IN. A node holds thousands of these, so they are kept
 * in one list with a lookup index rather than one interface entry each.
 */
import type { Iface, Netns } from '../../model.ts';

export const KUBE_IPVS0 = 'kube-ipvs0';

/** The addresses bound to each dummy device of a namespace, in bind order. */
export type DummyAddresses = Readonly<Record<string, readonly string[]>>;

const index = new WeakMap<DummyAddresses, ReadonlySet<string>>();

/** Whether one of the namespace's dummy devices holds `ip` (O(1) after the first lookup). */
export function dummyHolds(addrs: DummyAddresses | undefined, ip: string): boolean {
  if (!addrs) return false;
  let set = index.get(addrs);
  if (!set) index.set(addrs, (set = new Set(Object.values(addrs).flat())));
  return set.has(ip);
}

/** A random locally administered unicast MAC (eth_hw_addr_random), from two seeded u32s. */
export function randomMac(a: number, b: number): string {
  const bytes = [
    ((a >>> 24) & 0xfe) | 0x02,
    (a >>> 16) & 255,
    (a >>> 8) & 255,
    a & 255,
    b >>> 24,
    (b >>> 16) & 255,
  ];
  return bytes.map((x) => x.toString(16).padStart(2, '0')).join(':');
}

/** The namespace with kube-ipvs0 added (or kept) and `addresses` as its addresses. */
export function withKubeIpvs0(ns: Netns, mac: string): Netns {
  if (ns.ifaces.some((i) => i.name === KUBE_IPVS0)) return ns;
  const ifindex = Math.max(0, ...ns.ifaces.map((i) => i.ifindex)) + 1;
  const dev: Iface = { name: KUBE_IPVS0, kind: 'dummy', mac, mtu: 1500, ifindex };
  return { ...ns, ifaces: [...ns.ifaces, dev] };
}
