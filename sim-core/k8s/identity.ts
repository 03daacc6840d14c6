/**
 * Names and addresses that real components pick at random, drawn from the
 * simulation's seeded generator so traces are reproducible, in the formats
 * the real components use.
 */
import type { Rng } from '../engine/rng.ts';

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/** A containerd container ID: 64 lowercase hex digits. */
export function containerId(rng: Rng): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += hex(rng.u32(), 8);
  return s;
}

/** The CNI bridge plugin's host-side veth name: "veth" + 4 random bytes in hex (ip.RandomVethName). */
export function vethName(rng: Rng): string {
  return `veth${hex(rng.u32(), 8)}`;
}

/** A kernel-assigned random MAC (eth_random_addr): locally administered, unicast. */
export function randomMac(rng: Rng): string {
  const b = [
    rng.int(0, 255),
    rng.int(0, 255),
    rng.int(0, 255),
    rng.int(0, 255),
    rng.int(0, 255),
    rng.int(0, 255),
  ];
  b[0] = (b[0] & 0xfe) | 0x02;
  return b.map((x) => hex(x, 2)).join(':');
}

/** Node NIC MAC as in the reference captures: 52:54:00 (QEMU's OUI) + the IP's last three octets. */
export function nodeMac(ip: string): string {
  const o = ip.split('.').map(Number);
  return ['52', '54', '00', ...o.slice(1).map((x) => hex(x, 2))].join(':');
}

/** flannel.1's VtepMAC as in the reference (flannel leaves it random): 6e:00 + subnet's network address. */
export function vtepMac(subnetNetwork: string): string {
  const o = subnetNetwork.split('.').map(Number);
  return ['6e', '00', ...o.map((x) => hex(x, 2))].join(':');
}
