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
import { isLocalAddress } from './addresses.ts';
import { nfHook } from './nf-hook.ts';
import { lookupRoute } from './route.ts';
import { newSkb, setPacket } from './skb.ts';
import { sysctlOn } from './sysctl.ts';
import type { Dataplane, Skb } from './types.ts';
import { place } from './types.ts';
import { ipOutput } from './ip-output.ts';

export function ipRcv(
  dp: Dataplane,
  netnsId: string,
  dev: string,
  packet: Uint8Array,
  frame: Uint8Array,
): void {
  const skb = newSkb(netnsId, packet, '', { frame, inDev: dev });
  nfHook(dp, 'ipv4', 'PREROUTING', skb, (s) => ipRcvFinish(dp, s));
}

/** The input routing decision, made after PREROUTING (and its DNAT). */
export function ipRcvFinish(dp: Dataplane, skb: Skb): void {
  const ns = dp.world.netns(skb.netns);
  const dev = skb.inDev!;
  const ip = skb.ip;
  if (isLocalAddress(ns, ip.dstAddr)) {
    nfHook(dp, 'ipv4', 'INPUT', skb, (s) => {
      const handler = dp.protocols.get(s.ip.protocol);
      if (handler) handler(dp, s);
    });
    return;
  }
  const who = dp.label(skb.netns);
  if (!sysctlOn(ns, 'net.ipv4.ip_forward')) {
    dp.world.record({
      kind: 'error',
      place: place(ns, dev),
      ...(skb.frame ? { frame: skb.frame } : {}),
      summary: `${who} drops packet for ${ip.dstAddr}`,
      explanation: `${ip.dstAddr} is not ${who}'s address and ${ns.kind === 'pod' ? 'a pod does not forward' : `${who} does not forward`} (ip_forward=0), so the packet is dropped.`,
    });
    return;
  }
  if (ip.ttl <= 1) {
    dp.world.record({
      kind: 'error',
      place: place(ns, dev),
      ...(skb.frame ? { frame: skb.frame } : {}),
      summary: `TTL expired at ${who}`,
      explanation: `The packet's TTL is ${ip.ttl}; forwarding would take it to 0, so ${who} drops it.`,
    });
    icmpSend(
      dp,
      skb,
      ICMP_TIME_EXCEEDED,
      0,
      `${who} tells ${ip.srcAddr} with ICMP time exceeded (type 11, code 0: TTL exceeded in transit), quoting the packet — what traceroute relies on.`,
    );
    return;
  }
  const route = lookupRoute(ns, ip.dstAddr);
  if (!route) {
    dp.world.record({
      kind: 'error',
      place: place(ns, dev),
      ...(skb.frame ? { frame: skb.frame } : {}),
      summary: `${who}: no route to ${ip.dstAddr}`,
      explanation: `${who} has no route to ${ip.dstAddr}, so it cannot forward the packet.`,
    });
    icmpSend(
      dp,
      skb,
      ICMP_DEST_UNREACHABLE,
      0,
      `${who} tells ${ip.srcAddr} with ICMP destination unreachable (type 3, code 0: net unreachable), quoting the packet.`,
    );
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
  skb.why = `${dp.label(skb.netns)} routes (net.ipv4.ip_forward=1): ${skb.ip.dstAddr} is not its own address, so it forwards the packet, decrementing TTL ${ttl} → ${ttl - 1}.`;
  nfHook(dp, 'ipv4', 'FORWARD', skb, (s) => ipOutput(dp, s, route));
}
