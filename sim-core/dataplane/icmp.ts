/**
 * ICMP in the kernel (net/ipv4/icmp.c): the echo responder (icmp_echo: the
 * kernel answers, no process involved; no DF, its own IP ID) and icmp_send
 * for errors (port, host and net unreachable, time exceeded), which quote
 * the offending datagram and go out with TOS 0xc0 (IPTOS_PREC_INTERNETCONTROL).
 */
import type { Fact } from '../narration/facts.ts';
import { emitIcmp, ICMP_ECHO_REPLY, icmpErrorData, parseIcmp } from '../wire/icmp.ts';
import { IP_PROTO_ICMP } from '../wire/ipv4.ts';
import { isLocalAddress, selectAddress } from './addresses.ts';
import { sysctl } from './sysctl.ts';
import { lookupRoute } from './route.ts';
import { ipPacket } from './frames.ts';
import { ipRepr } from './ip-repr.ts';
import { sendIp } from './ip-output.ts';
import type { Dataplane, Skb } from './types.ts';
import { findIface, iface, place } from './types.ts';

/** icmp_reply for an echo request: same id, sequence and data. */
export function icmpEcho(dp: Dataplane, skb: Skb): void {
  const { repr: icmp } = parseIcmp(skb.packet.subarray(20));
  const ns = dp.world.netns(skb.netns);
  let src = skb.ip.dstAddr;
  if (skb.broadcast) {
    // icmp_echo: "RFC 1122 3.2.2.6 … MAY be silently ignored", unless the sysctl says 0.
    const value = sysctl(ns, 'net.ipv4.icmp_echo_ignore_broadcasts') ?? '1';
    if (value !== '0') {
      dp.world.record({
        kind: 'icmp',
        place: place(ns, skb.inDev),
        ...(skb.frame ? { frame: skb.frame } : {}),
        summary: `${dp.label(skb.netns)} ignores the ${skb.broadcast} echo request`,
        facts: {
          type: 'icmp.ignore-broadcast',
          who: dp.label(skb.netns),
          dst: skb.ip.dstAddr,
          kind: skb.broadcast,
          src: skb.ip.srcAddr,
          seq: icmp.sequence,
        },
      });
      return;
    }
    // icmp_reply answers from the receiving device's address (fib_compute_spec_dst), not the group.
    const dev = skb.inDev === undefined ? undefined : findIface(ns, skb.inDev);
    src = dev?.ip ?? selectAddress(ns);
  }
  const reply = emitIcmp({ ...icmp, type: ICMP_ECHO_REPLY });
  const out = ipPacket(
    ipRepr(
      IP_PROTO_ICMP,
      src,
      skb.ip.srcAddr,
      dp.ipIdent(skb.netns, src, skb.ip.srcAddr, IP_PROTO_ICMP),
      false,
    ),
    reply,
  );
  sendIp(dp, skb.netns, out, {
    type: 'icmp.echo-reply',
    who: dp.label(skb.netns),
    src: skb.ip.srcAddr,
    id: icmp.identifier,
    seq: icmp.sequence,
  });
}

/** icmp_send: an ICMP error back to the packet's source. */
export function icmpSend(dp: Dataplane, skb: Skb, type: number, code: number, why: Fact): void {
  const ns = dp.world.netns(skb.netns);
  // A packet for us is answered from the address it was sent to; a forwarded one from the
  // source address of the route back to its sender (icmp_errors_use_inbound_ifaddr = 0).
  let src = skb.ip.dstAddr;
  if (!isLocalAddress(ns, src)) {
    const back = lookupRoute(ns, skb.ip.srcAddr);
    src = back?.src ?? (back ? iface(ns, back.dev).ip : undefined) ?? src;
  }
  const msg = emitIcmp({ type, code, identifier: 0, sequence: 0, data: icmpErrorData(skb.packet) });
  const out = ipPacket(
    ipRepr(
      IP_PROTO_ICMP,
      src,
      skb.ip.srcAddr,
      dp.ipIdent(skb.netns, src, skb.ip.srcAddr, IP_PROTO_ICMP),
      false,
      0x30,
    ),
    msg,
  );
  sendIp(dp, skb.netns, out, why);
}
