/** The IPv4 header a Linux sender writes: TTL 64 (ip_default_ttl), DSCP/ECN 0. */
import type { Ipv4Repr } from '../wire/ipv4.ts';

export const DEFAULT_TTL = 64;

export function ipRepr(
  protocol: number,
  src: string,
  dst: string,
  identification: number,
  dontFragment: boolean,
  dscp = 0,
): Ipv4Repr {
  return {
    dscp,
    ecn: 0,
    identification,
    dontFragment,
    ttl: DEFAULT_TTL,
    protocol,
    srcAddr: src,
    dstAddr: dst,
  };
}
