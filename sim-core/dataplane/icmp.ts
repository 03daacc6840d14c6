/**
 * ICMP in the kernel (net/ipv4/icmp.c): the echo responder (icmp_echo: the
 * kernel answers, no process involved; no DF, its own IP ID) and icmp_send
 * for errors (port, host and net unreachable, time exceeded), which quote
 * the offending datagram and go out with TOS 0xc0 (IPTOS_PREC_INTERNETCONTROL).
 */
import { emitIcmp, ICMP_ECHO_REPLY, icmpErrorData, parseIcmp } from '../wire/icmp.ts';
import { IP_PROTO_ICMP } from '../wire/ipv4.ts';
import { isLocalAddress } from './addresses.ts';
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
    ipRepr(IP_PROTO_ICMP, skb.ip.dstAddr, skb.ip.srcAddr, dp.rng.int(1, 0xffff), false),
    reply,
  );
  sendIp(
    dp,
    skb.netns,
    out,
    `${dp.label(skb.netns)}'s kernel answers the echo request from ${skb.ip.srcAddr} itself (no process involved): an echo reply with the same id ${icmp.identifier}, seq ${icmp.sequence} and payload.`,
  );
}

/** icmp_send: an ICMP error back to the packet's source. */
export function icmpSend(dp: Dataplane, skb: Skb, type: number, code: number, why: string): void {
  const ns = dp.world.netns(skb.netns);
  // The source is the address the packet was sent to when it is ours, else the receiving device's.
  const src = isLocalAddress(ns, skb.ip.dstAddr)
    ? skb.ip.dstAddr
    : ((skb.inDev ? iface(ns, skb.inDev).ip : undefined) ?? skb.ip.dstAddr);
  const msg = emitIcmp({ type, code, identifier: 0, sequence: 0, data: icmpErrorData(skb.packet) });
  const out = ipPacket(
    ipRepr(IP_PROTO_ICMP, src, skb.ip.srcAddr, dp.rng.int(1, 0xffff), false, 0x30),
    msg,
  );
  sendIp(dp, skb.netns, out, why);
}
