/**
 * What `-m ipvs` sees of a packet: nothing unless IPVS forwarded it
 * (skb->ipvs_property); then the IPVS connection xt_ipvs finds by
 * conn_out_get on the packet's header taken in reverse (ip_vs_fill_iph_skb
 * with inverse = true), i.e. the connection whose client and destination
 * are this packet's source and destination.
 */
import type { IpvsPacketInfo } from '../netfilter/packet.ts';
import type { Dataplane, Skb } from '../types.ts';
import { connOut, hasIpvsProperty } from './conn-key.ts';

const PROTO: Readonly<Record<number, 'TCP' | 'UDP' | 'SCTP'>> = {
  6: 'TCP',
  17: 'UDP',
  132: 'SCTP',
};
const PROTO_NUM = { TCP: 6, UDP: 17, SCTP: 132 } as const;

export function ipvsPacketInfo(
  dp: Dataplane,
  skb: Skb,
  ports: { sport?: number; dport?: number },
): IpvsPacketInfo | undefined {
  if (!hasIpvsProperty(skb)) return undefined;
  const state = dp.world.netns(skb.netns).ipvs;
  const p = PROTO[skb.ip.protocol];
  if (!state || !p || ports.sport === undefined || ports.dport === undefined) return {};
  const cp = connOut(
    state,
    p,
    { ip: skb.ip.dstAddr, port: ports.dport },
    { ip: skb.ip.srcAddr, port: ports.sport },
    dp.world.timeUs,
  );
  if (!cp) return {};
  return {
    conn: {
      protocol: PROTO_NUM[cp.protocol],
      vaddr: cp.virtual.ip,
      vport: cp.virtual.port,
      method: 'MASQ',
    },
  };
}
