/**
 * IPv4 receive (net/ipv4/ip_input.c, ip_forward.c): ip_rcv runs PREROUTING,
 * and only then ip_rcv_finish decides local or forward — so a DNAT in
 * PREROUTING changes where the packet goes. A local packet takes INPUT to
 * its protocol handler; a forwarded one loses one TTL, takes FORWARD, then
 * leaves through ip_output (POSTROUTING, neighbour, device).
 */
import { ICMP_DEST_UNREACHABLE, ICMP_TIME_EXCEEDED } from '../wire/icmp.ts';
import { decrementTtl } from '../wire/ipv4.ts';
import { icmpSend } from './icmp.ts';
import { ALL_HOSTS, broadcastRoute, isLocalAddress } from './addresses.ts';
import { nfHook } from './nf-hook.ts';
import { formatRoute, lookupRoute } from './route.ts';
import { newSkb, setPacket } from './skb.ts';
import { sysctlOn } from './sysctl.ts';
import type { Dataplane, Skb } from './types.ts';
import { findIface, place } from './types.ts';
import { ipOutput } from './ip-output.ts';

export function ipRcv(
  dp: Dataplane,
  netnsId: string,
  dev: string,
  packet: Uint8Array,
  frame: Uint8Array,
): void {
  const skb = newSkb(netnsId, packet, undefined, { frame, inDev: dev });
  nfHook(dp, 'ipv4', 'PREROUTING', skb, (s) => ipRcvFinish(dp, s));
}

/** The input routing decision, made after PREROUTING (and its DNAT). */
export function ipRcvFinish(dp: Dataplane, skb: Skb): void {
  const ns = dp.world.netns(skb.netns);
  const dev = skb.inDev!;
  const ip = skb.ip;
  const local = isLocalAddress(ns, ip.dstAddr);
  const bc = local ? undefined : broadcastRoute(ns, ip.dstAddr);
  const who = dp.label(skb.netns);
  if (bc?.type === 'multicast' && ip.dstAddr !== ALL_HOSTS) {
    // ip_check_mc_rcu: a group no socket here joined is not delivered (nor routed: no mrouted).
    dp.world.record({
      kind: 'error',
      place: place(ns, dev),
      ...(skb.frame ? { frame: skb.frame } : {}),
      summary: `${who} is not in group ${ip.dstAddr}`,
      facts: { type: 'ip.not-member', who, group: ip.dstAddr },
    });
    return;
  }
  if (bc) skb.broadcast = bc.type;
  if (bc || local) {
    nfHook(dp, 'ipv4', 'INPUT', skb, (s) => {
      const handler = dp.protocols.get(s.ip.protocol);
      if (handler) handler(dp, s);
    });
    return;
  }
  if (!sysctlOn(ns, 'net.ipv4.ip_forward')) {
    dp.world.record({
      kind: 'error',
      place: place(ns, dev),
      ...(skb.frame ? { frame: skb.frame } : {}),
      summary: `${who} drops packet for ${ip.dstAddr}`,
      facts: { type: 'ip.no-forward', who, dst: ip.dstAddr, pod: ns.kind === 'pod' },
    });
    return;
  }
  if (ip.ttl <= 1) {
    dp.world.record({
      kind: 'error',
      place: place(ns, dev),
      ...(skb.frame ? { frame: skb.frame } : {}),
      summary: `TTL expired at ${who}`,
      facts: { type: 'ip.ttl-expired', who, ttl: ip.ttl },
    });
    icmpSend(dp, skb, ICMP_TIME_EXCEEDED, 0, { type: 'icmp.time-exceeded', who, src: ip.srcAddr });
    return;
  }
  const route = lookupRoute(ns, ip.dstAddr);
  if (!route) {
    dp.world.record({
      kind: 'error',
      place: place(ns, dev),
      ...(skb.frame ? { frame: skb.frame } : {}),
      summary: `${who}: no route to ${ip.dstAddr}`,
      facts: { type: 'ip.no-route', who, dst: ip.dstAddr },
    });
    icmpSend(dp, skb, ICMP_DEST_UNREACHABLE, 0, {
      type: 'icmp.net-unreachable',
      who,
      src: ip.srcAddr,
    });
    return;
  }
  if (route.type === 'blackhole') {
    // ip_error for RTN_BLACKHOLE: dropped without an ICMP error.
    dp.world.record({
      kind: 'error',
      place: place(ns, dev),
      ...(skb.frame ? { frame: skb.frame } : {}),
      summary: `${who}: ${ip.dstAddr} matches blackhole ${route.dst}`,
      facts: { type: 'ip.blackhole', who, dst: ip.dstAddr, route: formatRoute(route) },
      touched: [{ table: 'route', netns: skb.netns, key: route.dst, change: 'read' }],
    });
    return;
  }
  ipForward(dp, skb, route);
}

function ipForward(
  dp: Dataplane,
  skb: Skb,
  route: NonNullable<ReturnType<typeof lookupRoute>>,
): void {
  const ns = dp.world.netns(skb.netns);
  const ttl = skb.ip.ttl;
  setPacket(skb, decrementTtl(skb.packet));
  skb.outDev = route.dev;
  skb.origin = place(ns, skb.inDev);
  const inDev = skb.inDev === undefined ? undefined : findIface(ns, skb.inDev);
  // A veth that is no bridge port, on a node: Calico's cali devices, where even same-node traffic is routed.
  const routedFrom =
    ns.kind === 'host' && inDev?.kind === 'veth' && !inDev.master ? { routedFrom: inDev.name } : {};
  skb.why = {
    type: 'ip.forward',
    who: dp.label(skb.netns),
    dst: skb.ip.dstAddr,
    ttl,
    ...routedFrom,
  };
  nfHook(dp, 'ipv4', 'FORWARD', skb, (s) => ipOutput(dp, s, route));
}
