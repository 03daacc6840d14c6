/**
 * ip_vs_update_conntrack (ip_vs_nfct.c), what net.ipv4.vs.conntrack=1 buys:
 * for a masqueraded connection's first packet, while its conntrack entry is
 * still unconfirmed and in the original direction, the entry's reply tuple
 * is changed to come from the real server (client → VIP stays the original
 * tuple; the reply will be real server → client). No NAT status bit is set:
 * the nat table does not rewrite these packets, IPVS does.
 */
import type { SkbCt } from '../ipt-hooks.ts';
import { hasPorts } from '../netfilter/conntrack-tuple.ts';
import type { Skb } from '../types.ts';
import type { IpvsConn } from './state.ts';

export function ipvsUpdateConntrack(skb: Skb, cp: IpvsConn): boolean {
  const ct = skb.ct as SkbCt | undefined;
  if (!ct?.entry || !ct.created || ct.dir !== 'original') return false;
  const reply = ct.entry.reply;
  const altered = hasPorts(reply)
    ? { ...reply, src: cp.dest.ip, sport: cp.dest.port }
    : { ...reply, src: cp.dest.ip };
  skb.ct = { ...ct, entry: { ...ct.entry, reply: altered } } satisfies SkbCt;
  return true;
}
