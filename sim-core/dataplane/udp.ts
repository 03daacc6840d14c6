/**
 * UDP receive (net/ipv4/udp.c, __udp4_lib_rcv): find the socket bound to the
 * destination port (exact address first, then the wildcard). A UDP tunnel
 * socket hands the datagram to its encap_rcv (VXLAN); an ordinary socket
 * queues it for its program; with no socket the kernel answers ICMP port
 * unreachable.
 */
import type { Netns, Socket } from '../model.ts';
import { ICMP_DEST_UNREACHABLE } from '../wire/icmp.ts';
import { parseUdp } from '../wire/udp.ts';
import { icmpSend } from './icmp.ts';
import type { Dataplane, Skb } from './types.ts';
import { place } from './types.ts';
import { vxlanEncapRcv } from './vxlan.ts';
import { udpProgramOf } from './udp-program.ts';

const ICMP_PORT_UNREACH = 3;

export function udpLookup(ns: Netns, addr: string, port: number): Socket | undefined {
  const udp = (ns.sockets ?? []).filter((s) => s.protocol === 'udp' && s.localPort === port);
  return udp.find((s) => s.localAddr === addr) ?? udp.find((s) => s.localAddr === '0.0.0.0');
}

export function udpRcv(dp: Dataplane, skb: Skb): void {
  const ns = dp.world.netns(skb.netns);
  const udp = parseUdp(skb.packet.subarray(20)).repr;
  const sock = udpLookup(ns, skb.ip.dstAddr, udp.dstPort);
  if (sock?.encap?.kind === 'vxlan') {
    vxlanEncapRcv(dp, skb, sock.encap.dev, udp.payload);
    return;
  }
  if (sock) {
    dp.world.record({
      kind: 'transmit',
      place: place(ns, skb.inDev),
      ...(skb.frame ? { frame: skb.frame } : {}),
      summary: `${sock.owner} receives ${udp.payload.length} bytes on UDP ${udp.dstPort}`,
      facts: {
        type: 'udp.deliver',
        from: `${skb.ip.srcAddr}:${udp.srcPort}`,
        socket: `${sock.localAddr}:${sock.localPort}`,
        owner: sock.owner,
      },
    });
    udpProgramOf(
      dp,
      skb.netns,
      sock,
    )?.(dp, {
      netns: skb.netns,
      src: skb.ip.srcAddr,
      srcPort: udp.srcPort,
      dst: skb.ip.dstAddr,
      dstPort: udp.dstPort,
      payload: udp.payload,
      skb,
    });
    return;
  }
  icmpSend(dp, skb, ICMP_DEST_UNREACHABLE, ICMP_PORT_UNREACH, {
    type: 'udp.port-unreachable',
    who: dp.label(skb.netns),
    port: udp.dstPort,
  });
}
