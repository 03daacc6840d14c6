/** Which addresses a namespace owns (inet_addr_type / the local routing table). */
import type { Iface, Netns } from '../model.ts';
import { ipToNumber, numberToIp } from '../net/cidr.ts';
import { dummyHolds } from './ipvs/kube-ipvs0.ts';

export const LIMITED_BROADCAST = '255.255.255.255';
/** The all-hosts group (RFC 1112): every multicast-capable interface is a member. */
export const ALL_HOSTS = '224.0.0.1';

/** 224.0.0.0/4. */
export function isMulticast(ip: string): boolean {
  const first = Number(ip.slice(0, ip.indexOf('.')));
  return first >= 224 && first <= 239;
}

/** The subnet broadcast of an interface's address (`ip addr`'s brd), for prefixes up to /30. */
function subnetBroadcast(i: Iface): string | undefined {
  if (!i.ip || i.prefixLength === undefined || i.prefixLength > 30) return undefined;
  const host = 2 ** (32 - i.prefixLength) - 1;
  const n = ipToNumber(i.ip);
  return numberToIp(n - (n % (host + 1)) + host);
}

/**
 * A destination the local table routes as RTN_BROADCAST or RTN_MULTICAST
 * (`ip route show table local`: `broadcast 10.244.1.255 dev cni0`), with the
 * device a packet to it leaves by or arrives on: the subnet broadcast's own
 * device; for 255.255.255.255 and a multicast group, the device holding the
 * source address (ip_route_output_key's "special hack"; `ping -I` aside).
 */
export function broadcastRoute(
  ns: Netns,
  dst: string,
  src?: string,
): { readonly type: 'broadcast' | 'multicast'; readonly dev: string | undefined } | undefined {
  if (dst === LIMITED_BROADCAST || isMulticast(dst)) {
    const dev = ns.ifaces.find((i) => i.ip !== undefined && i.ip === src && i.kind !== 'loopback');
    const any = ns.ifaces.find((i) => i.ip && i.kind !== 'loopback');
    return { type: dst === LIMITED_BROADCAST ? 'broadcast' : 'multicast', dev: (dev ?? any)?.name };
  }
  // A subnet broadcast (prefix ≤ /30) ends in binary …11: most unicast addresses stop here.
  if ((ipToNumber(dst) & 3) !== 3) return undefined;
  for (const i of ns.ifaces)
    if (subnetBroadcast(i) === dst) return { type: 'broadcast', dev: i.name };
  return undefined;
}

/** The MAC a broadcast or multicast IPv4 packet is sent to (arp_mc_map: 01:00:5e + the group's low 23 bits). */
export function broadcastMac(dst: string): string {
  if (!isMulticast(dst)) return 'ff:ff:ff:ff:ff:ff';
  const n = ipToNumber(dst);
  const hex = (x: number) => x.toString(16).padStart(2, '0');
  return `01:00:5e:${hex((n >> 16) & 0x7f)}:${hex((n >> 8) & 0xff)}:${hex(n & 0xff)}`;
}

/**
 * Addresses this namespace owns (any interface: Linux's weak host model,
 * arp_ignore=0), kube-ipvs0's virtual addresses included.
 */
export function isLocalAddress(ns: Netns, ip: string): boolean {
  return isLoopback(ip) || ns.ifaces.some((i) => i.ip === ip) || dummyHolds(ns.ipvs?.dummy, ip);
}

/** 127.0.0.0/8: the whole block is local (the kernel's "local 127.0.0.0/8 dev lo" route). */
export function isLoopback(ip: string): boolean {
  return ip.startsWith('127.');
}

/**
 * inet_select_addr for a device with no address of its own (a Calico cali
 * veth): the first address of scope link or wider on any device, in device
 * order — lo's 127.0.0.1 is scope host, so the node's eth0 address.
 */
export function selectAddress(ns: Netns): string {
  const dev = [...ns.ifaces]
    .sort((a, b) => a.ifindex - b.ifindex)
    .find((i) => i.ip && i.kind !== 'loopback');
  return dev?.ip ?? '0.0.0.0';
}
