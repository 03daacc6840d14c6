/**
 * br_netfilter (net/bridge/br_netfilter_hooks.c): with
 * net.bridge.bridge-nf-call-iptables = 1, IPv4 frames crossing a bridge
 * go through iptables' PREROUTING, FORWARD and POSTROUTING as if routed,
 * without being routed. This is what makes a ClusterIP work between pods on
 * one node (linux-reference §4a):
 *
 * - PREROUTING's DNAT changes the destination IP. If the route to the new
 *   destination leaves through the same bridge, the packet stays bridged
 *   ("bridged DNAT"): only the destination MAC changes (to the endpoint's,
 *   from the node's neighbour table), the client's source MAC stays and the
 *   TTL is not decremented. With a confirmed (REACHABLE) neighbour that is
 *   done in place; otherwise the node's neighbour layer resolves it (ARP
 *   "Tell <cni0's address>") and hands the frame to the bridge device, whose
 *   br_dev_xmit restores the saved source MAC and goes on bridging.
 * - Otherwise the packet is routed by the node's IP stack, skipping a second
 *   PREROUTING (ip_sabotage_in).
 * - A forwarded frame then takes FORWARD and POSTROUTING (MASQUERADE,
 *   un-DNAT of replies, conntrack confirmation) before the port's xmit.
 */
import type { Netns } from '../model.ts';
import { ETHERTYPE_IPV4, parseEthernet } from '../wire/ethernet.ts';
import { parseIpv4 } from '../wire/ipv4.ts';
import { reframe } from './frames.ts';
import { findNeighbor } from './neighbor.ts';
import { nfHook } from './nf-hook.ts';
import { lookupRoute } from './route.ts';
import { newSkb } from './skb.ts';
import { sysctlOn } from './sysctl.ts';
import type { Dataplane, Skb, XmitFacts } from './types.ts';
import { place } from './types.ts';

/** NUD_CONNECTED: an entry the fast path may use without confirming it first. */
const CONNECTED = new Set(['REACHABLE', 'PERMANENT', 'NOARP']);

export function brNfApplies(dp: Dataplane, ns: Netns, frame: Uint8Array): boolean {
  if (ns.kind !== 'host' || !sysctlOn(ns, 'net.bridge.bridge-nf-call-iptables')) return false;
  if (parseEthernet(frame).repr.ethertype !== ETHERTYPE_IPV4) return false;
  // With no hooks registered there is nothing for br_netfilter to call.
  return dp.hooks(ns.id, 'ipv4', 'PREROUTING').length > 0;
}

export function brNfPreRouting(
  dp: Dataplane,
  netnsId: string,
  bridge: string,
  port: string,
  frame: Uint8Array,
): void {
  const { repr: eth, payload } = parseEthernet(frame);
  const packet = payload.subarray(0, parseIpv4(payload).totalLength);
  const skb = newSkb(netnsId, packet, undefined, { frame, inDev: bridge });
  skb.physIn = port;
  skb.bridged = { bridge, port, srcMac: eth.src };
  const dst = skb.ip.dstAddr;
  nfHook(dp, 'ipv4', 'PREROUTING', skb, (s) => preRoutingFinish(dp, s, frame, dst));
}

/** br_nf_pre_routing_finish: was the destination changed, and where does it go now? */
function preRoutingFinish(dp: Dataplane, skb: Skb, frame: Uint8Array, originalDst: string): void {
  const { bridge, port } = skb.bridged!;
  const ns = dp.world.netns(skb.netns);
  if (skb.ip.dstAddr === originalDst) {
    const out = skb.packet === parseEthernet(frame).payload ? frame : reframe(frame, skb.packet);
    dp.ops.bridgeFinish(dp, skb.netns, bridge, port, out, skb);
    return;
  }
  const route = lookupRoute(ns, skb.ip.dstAddr);
  if (!route || route.dev !== bridge) {
    // The new destination is elsewhere (another node): the node's IP stack routes it.
    skb.inDev = bridge;
    dp.ops.ipRcvFinish(dp, skb);
    return;
  }
  const nexthop = route.via ?? skb.ip.dstAddr;
  const entry = findNeighbor(ns, nexthop, bridge);
  const touched = [
    { table: 'route' as const, netns: skb.netns, key: route.dst, change: 'read' as const },
  ];
  if (entry?.mac && CONNECTED.has(entry.state)) {
    const out = reframe(frame, skb.packet, undefined, entry.mac);
    dp.world.record({
      kind: 'netfilter',
      from: place(ns, port),
      place: place(ns, bridge),
      frame: out,
      summary: `br_netfilter: bridged DNAT to ${skb.ip.dstAddr} (dst MAC ${entry.mac})`,
      facts: { type: 'brnf.dnat', bridge, dst: skb.ip.dstAddr, mac: entry.mac, state: entry.state },
      touched: [...touched, { table: 'neighbor', netns: skb.netns, key: nexthop, change: 'read' }],
    });
    dp.ops.bridgeFinish(dp, skb.netns, bridge, port, out, skb);
    return;
  }
  skb.bridged = { ...skb.bridged!, dnat: true };
  skb.touched = touched;
  skb.why = {
    type: 'brnf.slow',
    bridge,
    dst: skb.ip.dstAddr,
    ...(entry ? { state: entry.state } : {}),
  };
  dp.ops.neighOutput(dp, skb, route, nexthop);
}

/**
 * br_nf_pre_routing_finish_bridge_slow, reached from br_dev_xmit: the frame
 * as the neighbour layer built it (source MAC = the bridge's, which is what
 * `tcpdump -i cni0 -p` shows) gets the original source MAC back and goes on
 * to the FDB decision as if it had just come in on its port.
 */
export function restoreBridgedDnat(
  dp: Dataplane,
  netnsId: string,
  bridge: string,
  frame: Uint8Array,
  facts: XmitFacts,
): void {
  const skb = facts.skb!;
  const { port, srcMac } = skb.bridged!;
  const ns = dp.world.netns(netnsId);
  const restored = reframe(frame, skb.packet, srcMac);
  dp.world.record({
    kind: 'netfilter',
    from: place(ns, port),
    place: place(ns, bridge),
    frame,
    seenAt: [{ netns: netnsId, iface: bridge, direction: 'out' }],
    summary: `br_netfilter: bridged DNAT to ${skb.ip.dstAddr} via ${bridge}`,
    facts: { type: 'brnf.restore', sent: facts.fact, bridge, srcMac, port },
    touched: facts.touched,
  });
  skb.bridged = { ...skb.bridged!, dnat: false };
  dp.ops.bridgeFinish(dp, netnsId, bridge, port, restored, skb);
}

/** br_nf_forward_ip, then br_nf_post_routing, then the port's xmit. */
export function brNfForward(
  dp: Dataplane,
  netnsId: string,
  bridge: string,
  outPort: string,
  frame: Uint8Array,
  skb: Skb,
): void {
  skb.inDev = bridge;
  skb.outDev = bridge;
  skb.physOut = outPort;
  nfHook(dp, 'ipv4', 'FORWARD', skb, (s) =>
    nfHook(dp, 'ipv4', 'POSTROUTING', s, (t) => {
      const out = reframe(frame, t.packet);
      const rewritten = t.frame === undefined || !sameBytes(out, t.frame);
      dp.ops.bridgeEgress(dp, netnsId, bridge, [outPort], out, rewritten);
    }),
  );
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
