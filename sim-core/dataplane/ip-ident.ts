/**
 * IP IDs of packets without a connected socket (ip_select_ident →
 * __ip_select_ident, net/ipv4/route.c ip_idents_reserve): one counter per
 * (destination, source, protocol) bucket, advanced by 1 plus a random step
 * below the jiffies elapsed since the bucket was last used. So a ping's
 * requests and the kernel's replies each rise with small gaps, and one
 * counter serves every packet between the same two addresses — pod B's echo
 * replies to A and its own pings to A share it (linux-reference §2,
 * cross-vxlan-extra: 0xb2e3, 0xb2ee, 0xb2fa, 0xb2fd, then B's request 0xb302).
 * The state lives in the netns, so stepping back shows it as it was.
 */
import type { Rng } from '../engine/rng.ts';
import type { Dataplane } from './types.ts';

/** CONFIG_HZ of Debian's kernels: a jiffy is 4 ms. */
export const HZ = 250;

export function ipSelectIdent(
  dp: Dataplane,
  rng: Rng,
  netnsId: string,
  src: string,
  dst: string,
  protocol: number,
): number {
  const ns = dp.world.netns(netnsId);
  const key = `${dst} ${src} ${protocol}`;
  const now = Math.floor((dp.world.timeUs * HZ) / 1e6);
  const cur = ns.ipIdents?.[key];
  let id: number;
  if (!cur)
    id = rng.int(1, 0xffff); // the bucket's random start (siphash of the addresses, per boot)
  else {
    const elapsed = now - cur.jiffies;
    id = (cur.id + 1 + (elapsed > 0 ? rng.int(0, elapsed - 1) : 0)) & 0xffff;
  }
  dp.world.setNetns({ ...ns, ipIdents: { ...ns.ipIdents, [key]: { id, jiffies: now } } });
  return id;
}
