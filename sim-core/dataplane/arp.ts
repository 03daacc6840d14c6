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
    if (ns.kind === 'pod') {
      const own = sha === iface(ns, dev).mac;
      dp.world.record({
        kind: 'arp',
        place: place(ns, dev),
        frame,
        summary: own
          ? `${who} gets its own ARP request back (hairpin)`
          : `${who} ignores ARP for ${arp.targetProtocolAddr}`,
        explanation: own
          ? `${who} receives its own request: cni0 floods broadcasts back out of the ingress port too, because flannel's CNI config turns hairpin mode on for every pod port. The sender is its own address, so the kernel ignores it.`
          : `${who} receives the broadcast, but ${arp.targetProtocolAddr} is not its address, so it ignores the request (and creates no neighbour entry).`,
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
  const learned = keep
    ? `It already knows ${sip} at ${sha}.`
    : `It records ${sip} → ${sha} in its neighbour table as STALE, learned from the request itself, so it will not need an ARP of its own.`;
  dp.ops.devQueueXmit(dp, netnsId, dev, arpReplyFrame(mine.mac, arp.targetProtocolAddr, sha, sip), {
    explanation: `${who} receives the ARP request for its own address ${arp.targetProtocolAddr}. ${learned} It answers with a unicast ARP reply to ${sha}.`,
    touched: [],
    origin: true,
  });
  if (wasIncomplete) flushArpQueue(dp, netnsId, dev, sip);
}

function arpReply(rx: ArpRx): void {
  const { dp, netnsId, dev, frame, ns, who, sip, sha, existing } = rx;
  if (!existing) {
    dp.world.record({
      kind: 'arp',
      place: place(ns, dev),
      frame,
      summary: `${who} ignores unsolicited ARP reply`,
      explanation: `${who} has no entry for ${sip}, so it ignores this unsolicited reply (arp_accept=0).`,
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
    explanation:
      `${who} gets the answer it asked for: its neighbour entry for ${sip} goes from ${existing.state} to REACHABLE with lladdr ${sha}` +
      (queued ? `, and the ${queued} queued packet(s) can now be sent.` : '.'),
    touched: [],
  });
  flushArpQueue(dp, netnsId, dev, sip);
}
