/**
 * IPv4 output (net/ipv4/ip_output.c, route.c): a socket's packet gets its
 * route, then OUTPUT (where kube-proxy's DNAT of a node's own connection
 * happens; a changed destination is routed again, ip_route_me_harder), then
 * ip_output: POSTROUTING and the neighbour layer. A packet to one of our own
 * addresses takes the local table's route through lo.
 */
import type { Fact } from '../narration/facts.ts';
import type { Route, TableRef } from '../model.ts';
import { MAC_ZERO } from '../net/mac.ts';
import { broadcastRoute, isLocalAddress, LIMITED_BROADCAST } from './addresses.ts';
import { ethernetIpFrame } from './frames.ts';
import { nfHook } from './nf-hook.ts';
import { formatRoute, lookupRoute } from './route.ts';
import { newSkb } from './skb.ts';
import type { Dataplane, Skb } from './types.ts';
import { iface, place } from './types.ts';

/** A locally generated packet: what a socket's sendmsg, or the kernel's own reply, ends in. */
export function sendIp(
  dp: Dataplane,
  netnsId: string,
  packet: Uint8Array,
  why: Fact | undefined,
  touched: TableRef[] = [],
): void {
  dp.ops.ipLocalOut(dp, newSkb(netnsId, packet, why, { touched }));
}

export function ipLocalOut(dp: Dataplane, skb: Skb): void {
  const ns = dp.world.netns(skb.netns);
  const dst = skb.ip.dstAddr;
  const bc = broadcastRoute(ns, dst, skb.ip.srcAddr);
  if (bc?.dev) {
    // RTN_BROADCAST / RTN_MULTICAST: out of that device, to a link-layer broadcast or group MAC.
    const src = iface(ns, bc.dev).ip;
    const route: Route = {
      type: bc.type,
      dst,
      dev: bc.dev,
      ...(bc.type === 'broadcast' && dst !== LIMITED_BROADCAST
        ? { proto: 'kernel' as const, scope: 'link' as const }
        : {}),
      ...(src ? { src } : {}),
    };
    skb.outDev = bc.dev;
    nfHook(dp, 'ipv4', 'OUTPUT', skb, (s) => ipOutput(dp, s, route));
    return;
  }
  if (isLocalAddress(ns, dst)) {
    skb.outDev = 'lo';
    nfHook(dp, 'ipv4', 'OUTPUT', skb, (s) =>
      nfHook(dp, 'ipv4', 'POSTROUTING', s, (t) => loopbackOutput(dp, t)),
    );
    return;
  }
  const route = lookupRoute(ns, dst);
  if (!route) {
    dp.world.record({
      kind: 'error',
      place: place(ns),
      summary: `${dst}: Network is unreachable`,
      facts: {
        type: 'ip.unreachable-out',
        ...(skb.why ? { cause: skb.why } : {}),
        who: dp.label(skb.netns),
        dst,
      },
    });
    dp.ops.unreachable(dp, skb.netns, skb.packet, 'Network is unreachable');
    return;
  }
  if (route.type === 'blackhole') {
    // ip_route_output for RTN_BLACKHOLE: the socket's send fails with EINVAL.
    dp.world.record({
      kind: 'error',
      place: place(ns),
      summary: `${dst}: matches blackhole ${route.dst}`,
      facts: { type: 'ip.blackhole', who: dp.label(skb.netns), dst, route: formatRoute(route) },
      touched: [{ table: 'route', netns: skb.netns, key: route.dst, change: 'read' }],
    });
    dp.ops.unreachable(dp, skb.netns, skb.packet, 'Invalid argument');
    return;
  }
  skb.outDev = route.dev;
  nfHook(dp, 'ipv4', 'OUTPUT', skb, (s) => {
    // ip_route_me_harder: a DNAT in OUTPUT changed the destination, so route again.
    const again = s.ip.dstAddr === dst ? route : lookupRoute(dp.world.netns(s.netns), s.ip.dstAddr);
    if (!again) return;
    s.outDev = again.dev;
    ipOutput(dp, s, again);
  });
}

/** ip_output: POSTROUTING, then the neighbour layer toward the route's next hop. */
export function ipOutput(dp: Dataplane, skb: Skb, route: Route): void {
  nfHook(dp, 'ipv4', 'POSTROUTING', skb, (s) =>
    dp.ops.neighOutput(dp, s, route, route.via ?? s.ip.dstAddr),
  );
}

/**
 * A packet to one of our own addresses never reaches eth0: the local routing
 * table sends it through lo, whose frames carry all-zero MACs. Containers of
 * one pod share this lo, which is how a sidecar reaches the app on localhost.
 */
function loopbackOutput(dp: Dataplane, skb: Skb): void {
  const dst = skb.ip.dstAddr;
  dp.ops.devQueueXmit(dp, skb.netns, 'lo', ethernetIpFrame(MAC_ZERO, MAC_ZERO, skb.packet), {
    fact: {
      type: 'ip.loopback',
      ...(skb.why ? { cause: skb.why } : {}),
      who: dp.label(skb.netns),
      dst,
    },
    touched: [{ table: 'route', netns: skb.netns, key: 'local', change: 'read' }],
    origin: true,
  });
}
