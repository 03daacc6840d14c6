/**
 * The IPv4 neighbour table (ARP cache) of one network namespace, as Linux's
 * NUD state machine uses it (net/core/neighbour.c, net/ipv4/arp.c):
 *
 * - output to an unknown IP creates an INCOMPLETE entry and broadcasts a
 *   request, retried every retrans_time (1 s) up to mcast_solicit (3) times,
 *   then FAILED;
 * - a solicited reply makes it REACHABLE;
 * - a request for one of our addresses records the sender as STALE
 *   (neigh_event_ns) without an ARP of our own;
 * - using a STALE entry moves it to DELAY (confirmation pending: after
 *   delay_first_probe_time = 5 s it would PROBE).
 */
import type { Neighbor, NeighborState, Netns } from '../model.ts';

export const RETRANS_TIME_US = 1_000_000;
export const MCAST_SOLICIT = 3;

export function findNeighbor(ns: Netns, ip: string, dev?: string): Neighbor | undefined {
  return ns.neighbors.find((n) => n.ip === ip && (dev === undefined || n.dev === dev));
}

export function putNeighbor(ns: Netns, entry: Neighbor): Netns {
  const i = ns.neighbors.findIndex((n) => n.ip === entry.ip && n.dev === entry.dev);
  const neighbors = [...ns.neighbors];
  if (i < 0) neighbors.push(entry);
  else neighbors[i] = entry;
  return { ...ns, neighbors };
}

export function setNeighborState(
  ns: Netns,
  ip: string,
  dev: string,
  state: NeighborState,
  timeUs: number,
  mac?: string,
): Netns {
  const old = findNeighbor(ns, ip, dev);
  return putNeighbor(ns, {
    ip,
    dev,
    state,
    updatedUs: timeUs,
    ...((mac ?? old?.mac) ? { mac: mac ?? old?.mac } : {}),
  });
}

/** Whether an entry can be used to send now (it has a link-layer address). */
export function isUsable(n: Neighbor | undefined): n is Neighbor & { mac: string } {
  return !!n && !!n.mac && n.state !== 'INCOMPLETE' && n.state !== 'FAILED';
}
