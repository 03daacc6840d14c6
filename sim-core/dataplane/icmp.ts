/**
 * ICMP in the kernel (net/ipv4/icmp.c): the echo responder (icmp_echo: the
 * kernel answers, no process involved; no DF, its own IP ID) and icmp_send
 * for errors (port, host and net unreachable, time exceeded), which quote
 * the offending datagram and go out with TOS 0xc0 (IPTOS_PREC_INTERNETCONTROL).
 */
import type { Fact } from '../narration/facts.ts';
import { emitIcmp, ICMP_ECHO_REPLY, icmpErrorData, parseIcmp } from '../wire/icmp.ts';
import { IP_PROTO_ICMP } from '../wire/ipv4.ts';
import { isLocalAddress } from './addresses.ts';
import { lookupRoute } from './route.ts';
import { ipPacket } from './frames.ts';
import { ipRepr } from './ip-repr.ts';
import { sendIp } from './ip-output.ts';
import type { Dataplane, Skb } from './types.ts';
import { iface } from './types.ts';

/** icmp_reply for an echo request: same id, sequence and data. */
export function icmpEcho(dp: Dataplane, skb: Skb): void {
  const { repr: icmp } = parseIcmp(skb.packet.subarray(20));
  const reply = emitIcmp({ ...icmp, type: ICMP_ECHO_REPLY });
  const out = ipPacket(
    ipRepr(
      IP_PROTO_ICMP,
      skb.ip.dstAddr,
      skb.ip.srcAddr,
      dp.ipIdent(skb.netns, skb.ip.dstAddr, skb.ip.srcAddr, IP_PROTO_ICMP),
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
