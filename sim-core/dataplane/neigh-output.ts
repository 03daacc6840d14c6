/**
 * The neighbour layer on output (neigh_output, neigh_resolve_output): with a
 * usable entry the frame is built and handed to the device; otherwise the
 * kernel creates an INCOMPLETE entry, queues the packet and broadcasts ARP
 * requests, retried every retrans_time up to mcast_solicit, then FAILED.
 */
import type { Netns, QueuedPacket, Route, TableRef } from '../model.ts';
import type { Fact } from '../narration/facts.ts';
import { ICMP_DEST_UNREACHABLE } from '../wire/icmp.ts';
import { arpRequestFrame, ethernetIpFrame } from './frames.ts';
import { icmpSend } from './icmp.ts';
import { armDelay } from './nud.ts';
import {
  findNeighbor,
  isUsable,
  MCAST_SOLICIT,
  RETRANS_TIME_US,
  setNeighborState,
} from './neighbor.ts';
import { formatRoute } from './route.ts';
import type { Dataplane, QueuedSkb, Skb } from './types.ts';
import { iface } from './types.ts';
import { broadcastMac, isLocalAddress, selectAddress } from './addresses.ts';

export function neighOutput(dp: Dataplane, skb: Skb, route: Route, nexthop: string): void {
  const netnsId = skb.netns;
  const ns = dp.world.netns(netnsId);
  const routeRef: TableRef = { table: 'route', netns: netnsId, key: route.dst, change: 'read' };
  const decided = {
    who: dp.label(netnsId),
    ...(skb.why ? { cause: skb.why } : {}),
    route: formatRoute(route),
    ...(route.via ? { via: route.via } : {}),
    dev: route.dev,
    nexthop,
  };
  const outDev = iface(ns, route.dev);
  if (route.type === 'broadcast' || route.type === 'multicast') {
    // arp_constructor: a broadcast or multicast neighbour is NUD_NOARP, its MAC computed (arp_mc_map).
    const mac = broadcastMac(skb.ip.dstAddr);
    dp.ops.devQueueXmit(dp, netnsId, route.dev, ethernetIpFrame(outDev.mac, mac, skb.packet), {
      fact: { type: 'neigh.xmit', ...decided, mac, stale: false },
      touched: [...skb.touched, routeRef],
      origin: true,
      skb,
      ...(skb.origin ? { from: skb.origin } : {}),
    });
    return;
  }
  if (outDev.kind === 'ipip') {
    // A NOARP device: no neighbour, no link-layer header; the driver wraps the packet itself.
    dp.ops.devQueueXmit(dp, netnsId, route.dev, skb.packet, {
      fact: { type: 'neigh.xmit', ...decided, mac: '', stale: false },
      touched: [...skb.touched, routeRef],
      origin: true,
      skb,
      nexthop,
      ...(skb.origin ? { from: skb.origin } : {}),
    });
    return;
  }
  const entry = findNeighbor(ns, nexthop, route.dev);
  if (isUsable(entry)) {
    let state = entry.state;
    if (state === 'STALE') {
      // Using a STALE entry starts the confirmation timer: STALE → DELAY.
      dp.world.setNetns(setNeighborState(ns, nexthop, route.dev, 'DELAY', dp.world.timeUs));
      armDelay(dp, netnsId, nexthop, route.dev);
      state = 'DELAY';
    }
    const dev = iface(dp.world.netns(netnsId), route.dev);
    const frame = ethernetIpFrame(dev.mac, entry.mac, skb.packet);
    if (skb.encap) dp.world.amendFrame(skb.encap.step, frame, skb.encap.inner);
    dp.ops.devQueueXmit(dp, netnsId, route.dev, frame, {
      fact: { type: 'neigh.xmit', ...decided, mac: entry.mac, stale: entry.state === 'STALE' },
      touched: [
        ...skb.touched,
        routeRef,
        {
          table: 'neighbor',
          netns: netnsId,
          key: nexthop,
          change: 'read',
        },
      ],
      origin: true,
      skb,
      ...(skb.origin ? { from: skb.origin } : {}),
    });
    return;
  }
  const waiting = queuedFor(ns, route.dev, nexthop);
  enqueue(dp, netnsId, { skb, route, nexthop });
  if (entry?.state === 'INCOMPLETE' && waiting.length > 0) return;
  dp.world.setNetns(
    setNeighborState(dp.world.netns(netnsId), nexthop, route.dev, 'INCOMPLETE', dp.world.timeUs),
  );
  // arp_solicit: the packet's source if it is ours, else the device's own address.
  const sender = isLocalAddress(ns, skb.ip.srcAddr)
    ? skb.ip.srcAddr
    : (iface(ns, route.dev).ip ?? selectAddress(ns));
  sendArpRequest(
    dp,
    netnsId,
    route.dev,
    nexthop,
    sender,
    1,
    {
      type: 'neigh.solicit',
      ...decided,
      sender,
      ...(sender === skb.ip.srcAddr ? {} : { foreignSource: skb.ip.srcAddr }),
    },
    [...skb.touched, routeRef],
  );
}

function sendArpRequest(
  dp: Dataplane,
  netnsId: string,
  dev: string,
  target: string,
  sender: string,
  attempt: number,
  fact: Fact,
  touched: readonly TableRef[],
): void {
  const ns = dp.world.netns(netnsId);
  dp.ops.devQueueXmit(dp, netnsId, dev, arpRequestFrame(iface(ns, dev).mac, sender, target), {
    fact,
    touched,
    origin: true,
  });
  dp.at(RETRANS_TIME_US, () => arpTimer(dp, netnsId, dev, target, sender, attempt));
}

/** neigh_timer_handler: retry every retrans_time, give up after mcast_solicit tries. */
function arpTimer(
  dp: Dataplane,
  netnsId: string,
  dev: string,
  target: string,
  sender: string,
  attempt: number,
): void {
  if (!dp.world.hasNetns(netnsId)) return;
  const ns = dp.world.netns(netnsId);
  if (findNeighbor(ns, target, dev)?.state !== 'INCOMPLETE') return;
  if (attempt < MCAST_SOLICIT) {
    sendArpRequest(
      dp,
      netnsId,
      dev,
      target,
      sender,
      attempt + 1,
      {
        type: 'neigh.resolicit',
        who: dp.label(netnsId),
        target,
        attempt: attempt + 1,
        max: MCAST_SOLICIT,
        waitS: RETRANS_TIME_US / 1e6,
      },
      [],
    );
    return;
  }
  dp.world.setNetns(setNeighborState(ns, target, dev, 'FAILED', dp.world.timeUs));
  const queued = dequeue(dp, netnsId, dev, target);
  dp.world.record({
    kind: 'arp',
    place: { node: ns.node, netns: ns.id, iface: dev },
    summary: `${target} FAILED: no ARP reply`,
    facts: { type: 'neigh.failed', target, tries: MCAST_SOLICIT, queued: queued.length },
    touched: [],
  });
  for (const q of queued) {
    if (isLocalAddress(dp.world.netns(netnsId), q.skb.ip.srcAddr))
      dp.ops.unreachable(dp, netnsId, q.skb.packet, 'Destination Host Unreachable');
    // A forwarded packet's sender hears it from us (ipv4_link_failure → icmp_send).
    else
      icmpSend(dp, q.skb, ICMP_DEST_UNREACHABLE, 1, {
        type: 'icmp.host-unreachable',
        who: dp.label(netnsId),
        target,
        src: q.skb.ip.srcAddr,
      });
  }
}

/** The entry resolved: send what waited for it, in order. */
export function flushArpQueue(dp: Dataplane, netnsId: string, dev: string, ip: string): void {
  for (const q of dequeue(dp, netnsId, dev, ip)) dp.ops.neighOutput(dp, q.skb, q.route, q.nexthop);
}

export function queuedCount(dp: Dataplane, netnsId: string, dev: string, ip: string): number {
  return queuedFor(dp.world.netns(netnsId), dev, ip).length;
}

/*
 * The queues live in the netns (stepping back shows what waited). A queued
 * skb is a frozen copy: the stages that send it later work on a fresh clone,
 * so an earlier step's state never sees it change.
 */
function queuedFor(ns: Netns, dev: string, ip: string): readonly QueuedPacket[] {
  return (ns.arpQueue ?? []).filter((q) => q.dev === dev && q.nexthop === ip);
}

function enqueue(dp: Dataplane, netnsId: string, q: QueuedSkb): void {
  const ns = dp.world.netns(netnsId);
  const skb = Object.freeze({ ...q.skb, touched: [...q.skb.touched] });
  const entry: QueuedPacket = {
    dev: q.route.dev,
    nexthop: q.nexthop,
    packet: skb.packet,
    context: { ...q, skb },
  };
  dp.world.setNetns({ ...ns, arpQueue: [...(ns.arpQueue ?? []), entry] });
}

function dequeue(dp: Dataplane, netnsId: string, dev: string, ip: string): QueuedSkb[] {
  const ns = dp.world.netns(netnsId);
  const mine = queuedFor(ns, dev, ip);
  if (mine.length === 0) return [];
  const rest = (ns.arpQueue ?? []).filter((q) => !mine.includes(q));
  dp.world.setNetns({ ...ns, arpQueue: rest.length ? rest : undefined });
  return mine.map((q) => {
    const c = q.context as QueuedSkb;
    return { ...c, skb: { ...c.skb, touched: [...c.skb.touched] } };
  });
}
