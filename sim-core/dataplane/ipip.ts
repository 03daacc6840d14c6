/**
 * IP-in-IP (RFC 2003) as Linux's ipip module does it for Calico's tunl0:
 * the fallback tunnel device with no fixed endpoints (ip_tunnel_xmit takes
 * the destination from the route's next hop, `via <node IP> dev tunl0
 * onlink`), NOARP and no link-layer header. The outer header: protocol 4,
 * source the node's address toward the remote, TTL inherited from the inner
 * packet (tunl0's ttl is 0, "inherit"), DF copied from the inner packet,
 * DSCP 0, an ID from the node's counter. Receive: protocol 4 to one of our
 * addresses is unwrapped (ipip_rcv) and the inner packet received on tunl0.
 */
import type { Iface } from '../model.ts';
import { parseIpv4 } from '../wire/ipv4.ts';
import { ipPacket } from './frames.ts';
import { lookupRoute } from './route.ts';
import { newSkb } from './skb.ts';
import type { Dataplane, Driver, Skb, XmitFacts } from './types.ts';
import { place } from './types.ts';

export const IP_PROTO_IPIP = 4;

function ipipXmit(
  dp: Dataplane,
  netnsId: string,
  dev: Iface,
  packet: Uint8Array,
  facts: XmitFacts,
): void {
  const ns = dp.world.netns(netnsId);
  const inner = parseIpv4(packet).repr;
  const remote = facts.nexthop ?? inner.dstAddr;
  const out = lookupRoute(ns, remote);
  const local = out?.src ?? ns.ifaces.find((i) => i.name === out?.dev)?.ip ?? dev.ip!;
  const id = dp.ipIdent(netnsId, local, remote, IP_PROTO_IPIP);
  const outer = ipPacket(
    {
      dscp: 0,
      ecn: inner.ecn,
      identification: id,
      dontFragment: inner.dontFragment,
      ttl: inner.ttl,
      protocol: IP_PROTO_IPIP,
      srcAddr: local,
      dstAddr: remote,
    },
    packet,
  );
  const before = facts.skb?.frame;
  dp.world.record({
    kind: 'route',
    from: facts.from ?? place(ns, dev.name),
    place: place(ns, dev.name),
    ...(before ? { frame: before } : {}),
    summary: `${dp.label(netnsId)} routes ${inner.srcAddr} → ${inner.dstAddr} into ${dev.name} (TTL ${inner.ttl})`,
    facts: facts.fact,
    touched: facts.touched,
  });
  const step = dp.world.record({
    kind: 'encap',
    from: place(ns, dev.name),
    place: place(ns, out?.dev ?? 'eth0'),
    ...(before ? { frame: before } : {}),
    summary: `${dev.name}: IP-in-IP ${local} → ${remote}`,
    facts: { type: 'ipip.encap', dev: dev.name, local, remote, ttl: inner.ttl },
    touched: [],
  });
  const skb = newSkb(netnsId, outer, { type: 'ipip.send', who: dp.label(netnsId) });
  dp.ops.ipLocalOut(dp, before ? { ...skb, encap: { step: step.index, inner: before } } : skb);
}

export const ipipDriver: Driver = { xmit: ipipXmit };

/** ipip_rcv: protocol 4 for us, with a tunnel device to take it. */
export function ipipRcv(dp: Dataplane, skb: Skb): void {
  const ns = dp.world.netns(skb.netns);
  const tunl = ns.ifaces.find((i) => i.kind === 'ipip');
  if (!tunl) return;
  const hl = (skb.packet[0] & 0x0f) * 4;
  const inner = skb.packet.slice(hl);
  dp.world.record({
    kind: 'decap',
    from: place(ns, skb.inDev),
    place: place(ns, tunl.name),
    ...(skb.frame ? { frame: skb.frame } : {}),
    summary: `${tunl.name}: decapsulated from ${skb.ip.srcAddr}`,
    facts: { type: 'ipip.decap', who: dp.label(skb.netns), dev: tunl.name, from: skb.ip.srcAddr },
  });
  dp.ops.ipRcv(dp, skb.netns, tunl.name, inner, skb.frame ?? inner);
}
