/** Which addresses a namespace owns (inet_addr_type / the local routing table). */
import type { Netns } from '../model.ts';
import { dummyHolds } from './ipvs/kube-ipvs0.ts';

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
