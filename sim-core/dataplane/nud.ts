/**
 * The neighbour state machine's timers (net/core/neighbour.c,
 * neigh_timer_handler), as background timers:
 *
 * - REACHABLE lasts reachable_time (a random value in [base/2, 3·base/2)
 *   with base_reachable_time = 30 s, drawn per device) after the last
 *   confirmation, then the entry goes STALE;
 * - DELAY (a STALE entry was used) waits delay_first_probe_time = 5 s: if
 *   something confirmed the neighbour meanwhile (a TCP ACK for our data:
 *   sk_dst_confirm), it is REACHABLE again; otherwise PROBE: unicast ARP
 *   requests to the known MAC, ucast_solicit = 3 of them retrans_time = 1 s
 *   apart, then FAILED (the reference's n2 → n1 unicast request 5 s after
 *   first contact).
 */
import type { Neighbor } from '../model.ts';
import { arpProbeFrame } from './frames.ts';
import { findNeighbor, putNeighbor } from './neighbor.ts';
import type { Dataplane } from './types.ts';
import { iface, place } from './types.ts';
import { lookupRoute } from './route.ts';
import { selectAddress } from './addresses.ts';

export const BASE_REACHABLE_TIME_US = 30_000_000;
export const DELAY_FIRST_PROBE_TIME_US = 5_000_000;
export const RETRANS_TIME_US = 1_000_000;
export const UCAST_SOLICIT = 3;

const reachableTimes = new WeakMap<Dataplane, Map<string, number>>();

/** neigh_rand_reach_time: one random reachable_time per device (neigh_parms). */
export function reachableTimeUs(dp: Dataplane, netns: string, dev: string): number {
  let byDev = reachableTimes.get(dp);
  if (!byDev) reachableTimes.set(dp, (byDev = new Map()));
  const key = `${netns}|${dev}`;
  let t = byDev.get(key);
  if (t === undefined) {
    t = BASE_REACHABLE_TIME_US / 2 + Math.floor(dp.rng.float() * BASE_REACHABLE_TIME_US);
    byDev.set(key, t);
  }
  return t;
}

function update(dp: Dataplane, netns: string, n: Neighbor, changes: Partial<Neighbor>): void {
  dp.world.setNetns(putNeighbor(dp.world.netns(netns), { ...n, ...changes }));
}

/** An entry became REACHABLE (or was confirmed): arm its ageing timer. */
export function armReachable(dp: Dataplane, netns: string, ip: string, dev: string): void {
  dp.timer(reachableTimeUs(dp, netns, dev), () => reachableTimer(dp, netns, ip, dev));
}

function reachableTimer(dp: Dataplane, netns: string, ip: string, dev: string): void {
  const ns = dp.world.findNetns(netns);
  const n = ns && findNeighbor(ns, ip, dev);
  if (!n || n.state !== 'REACHABLE') return;
  const confirmed = Math.max(n.confirmedUs ?? 0, n.updatedUs);
  const due = confirmed + reachableTimeUs(dp, netns, dev);
  if (due > dp.world.timeUs) {
    dp.timer(due - dp.world.timeUs, () => reachableTimer(dp, netns, ip, dev));
    return;
  }
  update(dp, netns, n, { state: 'STALE', updatedUs: dp.world.timeUs });
  dp.world.record({
    kind: 'arp',
    place: place(ns, dev),
    summary: `${ip} REACHABLE → STALE`,
    facts: {
      type: 'nud.stale',
      who: dp.label(netns),
      ip,
      reachableS: (reachableTimeUs(dp, netns, dev) / 1e6).toFixed(1),
    },
  });
}

/** A STALE entry was used and is now DELAY: wait delay_first_probe_time for a confirmation. */
export function armDelay(dp: Dataplane, netns: string, ip: string, dev: string): void {
  const since = dp.world.timeUs;
  dp.timer(DELAY_FIRST_PROBE_TIME_US, () => delayTimer(dp, netns, ip, dev, since));
}

function delayTimer(dp: Dataplane, netns: string, ip: string, dev: string, since: number): void {
  const ns = dp.world.findNetns(netns);
  const n = ns && findNeighbor(ns, ip, dev);
  if (!n || n.state !== 'DELAY') return;
  if ((n.confirmedUs ?? -1) >= since) {
    update(dp, netns, n, { state: 'REACHABLE', updatedUs: dp.world.timeUs });
    dp.world.record({
      kind: 'arp',
      place: place(ns, dev),
      summary: `${ip} DELAY → REACHABLE (confirmed)`,
      facts: { type: 'nud.confirmed', who: dp.label(netns), ip },
    });
    armReachable(dp, netns, ip, dev);
    return;
  }
  probe(dp, netns, n, 1);
}

function probe(dp: Dataplane, netns: string, n: Neighbor, attempt: number): void {
  const ns = dp.world.netns(netns);
  update(dp, netns, n, { state: 'PROBE', updatedUs: dp.world.timeUs });
  const dev = iface(ns, n.dev);
  // arp_solicit with nothing queued: inet_select_addr — a cali veth has no address of its own.
  const sender = dev.ip ?? selectAddress(ns);
  dp.ops.devQueueXmit(dp, netns, n.dev, arpProbeFrame(dev.mac, sender, n.mac!, n.ip), {
    fact: {
      type: 'nud.probe',
      who: dp.label(netns),
      ip: n.ip,
      mac: n.mac!,
      attempt,
      max: UCAST_SOLICIT,
    },
    touched: [],
    origin: true,
  });
  dp.timer(RETRANS_TIME_US, () => probeTimer(dp, netns, n.ip, n.dev, attempt));
}

function probeTimer(dp: Dataplane, netns: string, ip: string, dev: string, attempt: number): void {
  const ns = dp.world.findNetns(netns);
  const n = ns && findNeighbor(ns, ip, dev);
  if (!n || n.state !== 'PROBE') return;
  if (attempt < UCAST_SOLICIT) return probe(dp, netns, n, attempt + 1);
  update(dp, netns, n, { state: 'FAILED', updatedUs: dp.world.timeUs });
  dp.world.record({
    kind: 'arp',
    place: place(ns, dev),
    summary: `${ip} FAILED: no answer to ${UCAST_SOLICIT} probes`,
    facts: { type: 'nud.failed', ip, max: UCAST_SOLICIT },
  });
}

/** neigh_confirm: upper-layer proof that `ip` (our next hop toward it) is alive — TCP's sk_dst_confirm. */
export function neighConfirm(dp: Dataplane, netns: string, ip: string): void {
  const ns = dp.world.findNetns(netns);
  const route = ns && lookupRoute(ns, ip);
  if (!route) return;
  const hop = route.via ?? ip;
  const n = ns.neighbors.find((x) => x.ip === hop && x.dev === route.dev && x.mac);
  if (!n || (n.state !== 'DELAY' && n.state !== 'REACHABLE' && n.state !== 'PROBE')) return;
  update(dp, netns, n, { confirmedUs: dp.world.timeUs });
}
