/**
 * IPv4 and ARP in one namespace: output (route lookup, then the neighbour
 * table, resolving with ARP when needed), input (local delivery or, on a
 * node with ip_forward=1, forwarding with a TTL decrement) and ARP input.
 */
import type { Netns, Place, TableRef } from '../model.ts';
import type { ArpRepr } from '../wire/arp.ts';
import { decrementTtl, parseIpv4 } from '../wire/ipv4.ts';
import { arpReplyFrame, arpRequestFrame, ethernetIpFrame } from './frames.ts';
import {
  findNeighbor,
  isUsable,
  MCAST_SOLICIT,
  RETRANS_TIME_US,
  setNeighborState,
} from './neighbor.ts';
import { formatRoute, lookupRoute } from './route.ts';
import { iface, LINK_DELAY_US, linkXmit, place, type Dataplane } from './stack.ts';
import { MAC_ZERO } from '../net/mac.ts';

/** Addresses this namespace owns (any interface: Linux's weak host model, arp_ignore=0). */
export function isLocalAddress(ns: Netns, ip: string): boolean {
  return isLoopback(ip) || ns.ifaces.some((i) => i.ip === ip);
}

/** 127.0.0.0/8: the whole block is local (the kernel's "local 127.0.0.0/8 dev lo" route). */
export function isLoopback(ip: string): boolean {
  return ip.startsWith('127.');
}

/**
 * A packet to one of our own addresses never reaches eth0: the local routing
 * table sends it through lo, whose frames carry all-zero MACs. Containers of
 * one pod share this lo, which is how a sidecar reaches the app on localhost.
 */
function loopbackOutput(
  dp: Dataplane,
  ns: Netns,
  packet: Uint8Array,
  dst: string,
  why: string,
): void {
  const frame = ethernetIpFrame(MAC_ZERO, MAC_ZERO, packet);
  dp.world.record({
    kind: 'transmit',
    place: place(ns, 'lo'),
    from: place(ns, 'lo'),
    frame,
    captured: true,
    summary: '',
    explanation: `${why} ${dst} is local ("local ${dst} dev lo table local"), so the packet loops back through lo and never leaves ${dp.label(ns.id)}.`,
    touched: [{ table: 'route', netns: ns.id, key: 'local', change: 'read' }],
  });
  dp.queue.push(dp.world.timeUs + LINK_DELAY_US, { type: 'rx', netns: ns.id, iface: 'lo', frame });
}

function devAddress(ns: Netns, dev: string): string | undefined {
  return iface(ns, dev).ip;
}

/**
 * Sends an IPv4 packet from `netnsId`. `why` starts the step's explanation
 * ("client's ping sends an echo request to 10.244.0.3.").
 */
export function ipOutput(
  dp: Dataplane,
  netnsId: string,
  packet: Uint8Array,
  why: string,
  extraTouched: readonly TableRef[] = [],
): void {
  const ns = dp.world.netns(netnsId);
  const ip = parseIpv4(packet).repr;
  if (isLocalAddress(ns, ip.dstAddr)) return loopbackOutput(dp, ns, packet, ip.dstAddr, why);
  const route = lookupRoute(ns, ip.dstAddr);
  if (!route) {
    dp.world.record({
      kind: 'error',
      place: place(ns),
      summary: `${ip.dstAddr}: Network is unreachable`,
      explanation: `${why} ${dp.label(netnsId)} has no route to ${ip.dstAddr}, so the kernel refuses to send (ENETUNREACH: "Network is unreachable").`,
    });
    dp.transport.unreachable(netnsId, packet, 'Network is unreachable');
    return;
  }
  const nexthop = route.via ?? ip.dstAddr;
  const routeRef: TableRef = { table: 'route', netns: netnsId, key: route.dst, change: 'read' };
  const routeText = `Route "${formatRoute(route)}" sends it ${route.via ? `to the gateway ${route.via}` : 'directly (on-link)'} on ${route.dev}`;
  const entry = findNeighbor(ns, nexthop, route.dev);
  if (isUsable(entry)) {
    let state = entry.state;
    if (state === 'STALE') {
      // Using a STALE entry starts the confirmation timer: STALE → DELAY.
      dp.world.setNetns(setNeighborState(ns, nexthop, route.dev, 'DELAY', dp.world.timeUs));
      state = 'DELAY';
    }
    const dev = iface(dp.world.netns(netnsId), route.dev);
    const frame = ethernetIpFrame(dev.mac, entry.mac, packet);
    const stale =
      entry.state === 'STALE'
        ? ' (STALE, so it is used and moves to DELAY until something confirms it)'
        : '';
    linkXmit(
      dp,
      netnsId,
      route.dev,
      frame,
      `${why} ${routeText}; the neighbour table has ${nexthop} at ${entry.mac}${stale}.`,
      [
        ...extraTouched,
        routeRef,
        {
          table: 'neighbor',
          netns: netnsId,
          key: nexthop,
          change: state === entry.state ? 'read' : 'updated',
        },
      ],
    );
    return;
  }
  const key = `${netnsId}|${route.dev}|${nexthop}`;
  const queue = dp.arpQueue.get(key);
  if (entry?.state === 'INCOMPLETE' && queue) {
    queue.push({ dev: route.dev, packet, why, ingress: dp.ingress });
    return;
  }
  dp.arpQueue.set(key, [{ dev: route.dev, packet, why, ingress: dp.ingress }]);
  dp.world.setNetns(setNeighborState(ns, nexthop, route.dev, 'INCOMPLETE', dp.world.timeUs));
  const sender = isLocalAddress(ns, ip.srcAddr) ? ip.srcAddr : devAddress(ns, route.dev)!;
  const senderNote =
    sender === ip.srcAddr
      ? ''
      : ` The packet's source ${ip.srcAddr} is not the node's own, so the request says "Tell ${sender}", ${route.dev}'s address.`;
  sendArpRequest(
    dp,
    netnsId,
    route.dev,
    nexthop,
    sender,
    1,
    `${why} ${routeText}, but the neighbour table has no entry for ${nexthop}: the kernel creates an INCOMPLETE entry, queues the packet and broadcasts an ARP request.${senderNote}`,
    [
      ...extraTouched,
      routeRef,
      { table: 'neighbor', netns: netnsId, key: nexthop, change: 'added' },
    ],
  );
}

function sendArpRequest(
  dp: Dataplane,
  netnsId: string,
  dev: string,
  target: string,
  sender: string,
  attempt: number,
  explanation: string,
  touched: readonly TableRef[],
): void {
  const ns = dp.world.netns(netnsId);
  linkXmit(
    dp,
    netnsId,
    dev,
    arpRequestFrame(iface(ns, dev).mac, sender, target),
    explanation,
    touched,
  );
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
  const ref: TableRef = { table: 'neighbor', netns: netnsId, key: target, change: 'updated' };
  if (attempt < MCAST_SOLICIT) {
    sendArpRequest(
      dp,
      netnsId,
      dev,
      target,
      sender,
      attempt + 1,
      `No ARP reply for ${target} after ${RETRANS_TIME_US / 1e6} s (retrans_time): ${dp.label(netnsId)} asks again (try ${attempt + 1} of ${MCAST_SOLICIT}, mcast_solicit).`,
      [ref],
    );
    return;
  }
  dp.world.setNetns(setNeighborState(ns, target, dev, 'FAILED', dp.world.timeUs));
  const key = `${netnsId}|${dev}|${target}`;
  const queued = dp.arpQueue.get(key) ?? [];
  dp.arpQueue.delete(key);
  dp.world.record({
    kind: 'arp',
    place: place(ns, dev),
    summary: `${target} FAILED: no ARP reply`,
    explanation: `Nobody answered ${MCAST_SOLICIT} ARP requests for ${target}: the entry becomes FAILED and the ${queued.length} queued packet(s) are dropped with "Destination Host Unreachable".`,
    touched: [ref],
  });
  for (const q of queued)
    dp.transport.unreachable(netnsId, q.packet, 'Destination Host Unreachable');
}

export function arpInput(
  dp: Dataplane,
  netnsId: string,
  dev: string,
  arp: ArpRepr,
  frame: Uint8Array,
): void {
  const ns = dp.world.netns(netnsId);
  const who = dp.label(netnsId);
  const sip = arp.sourceProtocolAddr;
  const sha = arp.sourceHardwareAddr;
  const existing = findNeighbor(ns, sip, dev);
  if (arp.operation === 1) {
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
    const mine = iface(dp.world.netns(netnsId), dev);
    const learned = keep
      ? `It already knows ${sip} at ${sha}.`
      : `It records ${sip} → ${sha} in its neighbour table as STALE, learned from the request itself, so it will not need an ARP of its own.`;
    linkXmit(
      dp,
      netnsId,
      dev,
      arpReplyFrame(mine.mac, arp.targetProtocolAddr, sha, sip),
      `${who} receives the ARP request for its own address ${arp.targetProtocolAddr}. ${learned} It answers with a unicast ARP reply to ${sha}.`,
      keep
        ? []
        : [{ table: 'neighbor', netns: netnsId, key: sip, change: existing ? 'updated' : 'added' }],
    );
    if (wasIncomplete) flushArpQueue(dp, netnsId, dev, sip);
    return;
  }
  // Reply: only a solicited (INCOMPLETE) or existing entry is updated; arp_accept=0 ignores the rest.
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
  const queued = dp.arpQueue.get(`${netnsId}|${dev}|${sip}`)?.length ?? 0;
  dp.world.record({
    kind: 'arp',
    place: place(ns, dev),
    frame,
    summary: `${sip} is at ${sha}: REACHABLE`,
    explanation:
      `${who} gets the answer it asked for: its neighbour entry for ${sip} goes from ${existing.state} to REACHABLE with lladdr ${sha}` +
      (queued ? `, and the ${queued} queued packet(s) can now be sent.` : '.'),
    touched: [{ table: 'neighbor', netns: netnsId, key: sip, change: 'updated' }],
  });
  flushArpQueue(dp, netnsId, dev, sip);
}

function flushArpQueue(dp: Dataplane, netnsId: string, dev: string, ip: string): void {
  const key = `${netnsId}|${dev}|${ip}`;
  const queued = dp.arpQueue.get(key);
  dp.arpQueue.delete(key);
  for (const q of queued ?? [])
    withIngress(dp, q.ingress, () => ipOutput(dp, netnsId, q.packet, q.why));
}

export function ipInput(
  dp: Dataplane,
  netnsId: string,
  dev: string,
  packet: Uint8Array,
  frame: Uint8Array,
): void {
  const ns = dp.world.netns(netnsId);
  const ip = parseIpv4(packet).repr;
  if (isLocalAddress(ns, ip.dstAddr)) {
    dp.transport.deliver(netnsId, dev, packet, frame);
    return;
  }
  if (ns.kind === 'pod') {
    dp.world.record({
      kind: 'error',
      place: place(ns, dev),
      frame,
      summary: `${dp.label(netnsId)} drops packet for ${ip.dstAddr}`,
      explanation: `${ip.dstAddr} is not ${dp.label(netnsId)}'s address and a pod does not forward (ip_forward=0), so the packet is dropped.`,
    });
    return;
  }
  if (ip.ttl <= 1) {
    dp.world.record({
      kind: 'error',
      place: place(ns, dev),
      frame,
      summary: `TTL expired at ${dp.label(netnsId)}`,
      explanation: `The packet's TTL is ${ip.ttl}; forwarding would take it to 0, so ${dp.label(netnsId)} drops it.`,
    });
    return;
  }
  withIngress(dp, place(ns, dev), () =>
    ipOutput(
      dp,
      netnsId,
      decrementTtl(packet),
      `${dp.label(netnsId)} routes (net.ipv4.ip_forward=1): ${ip.dstAddr} is not its own address, so it forwards the packet, decrementing TTL ${ip.ttl} → ${ip.ttl - 1}.`,
    ),
  );
}

/** Runs `fn` with the device a forwarded packet came in on, so output steps can start their hop there. */
function withIngress(dp: Dataplane, at: Place | undefined, fn: () => void): void {
  const saved = dp.ingress;
  dp.ingress = at;
  try {
    fn();
  } finally {
    dp.ingress = saved;
  }
}
