/**
 * ARP input (net/ipv4/arp.c, arp_process): a request for one of our
 * addresses records the sender (neigh_event_ns: STALE, or REACHABLE when we
 * were waiting for it) and is answered with a unicast reply; a reply updates
 * only an entry we already have (arp_accept=0) and releases its queue.
 */
import type { Neighbor, Netns } from '../model.ts';
import type { ArpRepr } from '../wire/arp.ts';
import { arpReplyFrame } from './frames.ts';
import { findNeighbor, setNeighborState } from './neighbor.ts';
import { flushArpQueue, queuedCount } from './neigh-output.ts';
import { armReachable } from './nud.ts';
import type { Dataplane } from './types.ts';
import { iface, place } from './types.ts';
import { isLocalAddress } from './addresses.ts';
import { lookupRoute } from './route.ts';
import { sysctlOn } from './sysctl.ts';

export function arpRcv(
  dp: Dataplane,
  netnsId: string,
  dev: string,
  arp: ArpRepr,
  frame: Uint8Array,
): void {
  const ns = dp.world.netns(netnsId);
  const sip = arp.sourceProtocolAddr;
  const rx: ArpRx = {
    dp,
    netnsId,
    dev,
    arp,
    frame,
    ns,
    who: dp.label(netnsId),
    sip,
    sha: arp.sourceHardwareAddr,
    existing: findNeighbor(ns, sip, dev),
  };
  if (arp.operation === 1) arpRequest(rx);
  else arpReply(rx);
}

/** What both halves of arp_process read first: the namespace, the sender and what we know of it. */
interface ArpRx {
  readonly dp: Dataplane;
  readonly netnsId: string;
  readonly dev: string;
  readonly arp: ArpRepr;
  readonly frame: Uint8Array;
  readonly ns: Netns;
  readonly who: string;
  readonly sip: string;
  readonly sha: string;
  readonly existing: Neighbor | undefined;
}

function arpRequest(rx: ArpRx): void {
  const { dp, netnsId, dev, arp, frame, ns, who, sip, sha, existing } = rx;
  if (!isLocalAddress(ns, arp.targetProtocolAddr)) {
    if (ns.announced?.includes(arp.targetProtocolAddr)) return speakerReply(rx);
    const out = proxyRoute(ns, dev, arp.targetProtocolAddr);
    if (out) return proxyReply(rx, out);
    if (ns.kind === 'pod') {
      const own = sha === iface(ns, dev).mac;
      dp.world.record({
        kind: 'arp',
        place: place(ns, dev),
        frame,
        summary: own
          ? `${who} gets its own ARP request back (hairpin)`
          : `${who} ignores ARP for ${arp.targetProtocolAddr}`,
        facts: own
          ? { type: 'arp.own-request', who }
          : { type: 'arp.not-mine', who, target: arp.targetProtocolAddr },
      });
    }
    return;
  }
  // neigh_event_ns: the requester is recorded as STALE, unless we already know it at this MAC.
  const keep =
    existing &&
    existing.mac === sha &&
    existing.state !== 'FAILED' &&
    existing.state !== 'INCOMPLETE';
  const wasIncomplete = existing?.state === 'INCOMPLETE';
  if (!keep)
    dp.world.setNetns(
      setNeighborState(ns, sip, dev, wasIncomplete ? 'REACHABLE' : 'STALE', dp.world.timeUs, sha),
    );
  if (wasIncomplete) armReachable(dp, netnsId, sip, dev);
  const mine = iface(dp.world.netns(netnsId), dev);
  dp.ops.devQueueXmit(dp, netnsId, dev, arpReplyFrame(mine.mac, arp.targetProtocolAddr, sha, sip), {
    fact: { type: 'arp.reply', who, target: arp.targetProtocolAddr, sip, sha, known: !!keep },
    touched: [],
    origin: true,
  });
  if (wasIncomplete) flushArpQueue(dp, netnsId, dev, sip);
}

/**
 * arp_process's proxy case: the device forwards (IN_DEV_FORWARD), the
 * target is routed as unicast out of another device (arp_fwd_proxy:
 * rt->dst.dev != dev) and proxy_arp is on (conf.all or the device's own,
 * IN_DEV_PROXY_ARP is an OR). Answers the device the target is routed out of.
 */
function proxyRoute(ns: Netns, dev: string, target: string): string | undefined {
  const on = (k: string) =>
    sysctlOn(ns, `net.ipv4.conf.all.${k}`) || sysctlOn(ns, `net.ipv4.conf.${dev}.${k}`);
  if (!on('proxy_arp')) return undefined;
  if (!sysctlOn(ns, 'net.ipv4.ip_forward') && !sysctlOn(ns, `net.ipv4.conf.${dev}.forwarding`))
    return undefined;
  const route = lookupRoute(ns, target);
  if (!route || route.type || route.dev === dev) return undefined;
  return route.dev;
}

/**
 * The proxy reply: the requester is recorded (neigh_event_ns) and, with
 * proxy_delay 0 as Calico sets it, the kernel answers at once with the
 * receiving device's own MAC.
 */
function proxyReply(rx: ArpRx, out: string): void {
  const { dp, netnsId, dev, arp, ns, who, sip, sha, existing } = rx;
  const keep =
    existing &&
    existing.mac === sha &&
    existing.state !== 'FAILED' &&
    existing.state !== 'INCOMPLETE';
  if (!keep) dp.world.setNetns(setNeighborState(ns, sip, dev, 'STALE', dp.world.timeUs, sha));
  const mine = iface(dp.world.netns(netnsId), dev);
  const target = arp.targetProtocolAddr;
  dp.ops.devQueueXmit(dp, netnsId, dev, arpReplyFrame(mine.mac, target, sha, sip), {
    fact: { type: 'arp.proxy', who, dev, target, sip, mac: mine.mac, out },
    touched: [
      { table: 'route', netns: netnsId, key: lookupRoute(ns, target)!.dst, change: 'read' },
    ],
    origin: true,
  });
}

/**
 * A LoadBalancer address this node announces: the kernel ignores the request
 * (the address is not its own, and it learns nothing from it); the load
 * balancer's speaker, listening on a raw socket, answers with the node's MAC.
 */
function speakerReply(rx: ArpRx): void {
  const { dp, netnsId, dev, arp, who, sip, sha } = rx;
  const mine = iface(dp.world.netns(netnsId), dev);
  dp.ops.devQueueXmit(dp, netnsId, dev, arpReplyFrame(mine.mac, arp.targetProtocolAddr, sha, sip), {
    fact: { type: 'arp.speaker', who, target: arp.targetProtocolAddr, mac: mine.mac, to: sip },
    touched: [],
    origin: true,
  });
}

function arpReply(rx: ArpRx): void {
  const { dp, netnsId, dev, frame, ns, who, sip, sha, existing } = rx;
  if (!existing) {
    dp.world.record({
      kind: 'arp',
      place: place(ns, dev),
      frame,
      summary: `${who} ignores unsolicited ARP reply`,
      facts: { type: 'arp.unsolicited', who, sip },
    });
    return;
  }
  dp.world.setNetns(setNeighborState(ns, sip, dev, 'REACHABLE', dp.world.timeUs, sha));
  armReachable(dp, netnsId, sip, dev);
  const queued = queuedCount(dp, netnsId, dev, sip);
  dp.world.record({
    kind: 'arp',
    place: place(ns, dev),
    frame,
    summary: `${sip} is at ${sha}: REACHABLE`,
    facts: { type: 'arp.resolved', who, sip, sha, was: existing.state, queued },
    touched: [],
  });
  flushArpQueue(dp, netnsId, dev, sip);
}
