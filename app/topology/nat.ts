/**
 * A step that rewrote the packet's addresses, read from its facts: the nat
 * table's DNAT/SNAT/MASQUERADE on a connection's first packet (nf.nat),
 * conntrack applying the same binding to later packets and undoing it on
 * replies (ct.nat), and IPVS's masquerading forward and un-NAT of replies
 * (ipvs.nat, ipvs.reply). Pure: facts → change.
 */
import type { Fact } from '@kubewire/sim-core';

export interface NatChange {
  readonly what: 'source' | 'destination';
  /** "ip:port" before and after the rewrite. */
  readonly before: string;
  readonly after: string;
  /** A reply of the connection: the binding is undone. */
  readonly reply: boolean;
  /** "DNAT", "MASQUERADE", "un-DNAT", "IPVS"… for the tag. */
  readonly kind: string;
}

export function natOf(facts: Fact | undefined): NatChange | null {
  if (!facts) return null;
  switch (facts.type) {
    case 'nf.nat':
      return facts.nat && facts.changed
        ? {
            what: facts.nat.what,
            before: facts.nat.before,
            after: facts.nat.after,
            reply: false,
            kind: facts.nat.kind,
          }
        : null;
    case 'ct.nat':
      return {
        what: facts.what,
        before: facts.before,
        after: facts.after,
        reply: facts.reply,
        // A reply's source un-NAT undoes a DNAT; its destination un-NAT undoes an SNAT.
        kind: facts.reply
          ? facts.what === 'source'
            ? 'un-DNAT'
            : 'un-SNAT'
          : facts.what === 'destination'
            ? 'DNAT'
            : 'SNAT',
      };
    case 'ipvs.nat':
      return {
        what: 'destination',
        before: facts.before,
        after: facts.after,
        reply: false,
        kind: 'IPVS NAT',
      };
    case 'ipvs.reply':
      return {
        what: 'source',
        before: facts.before,
        after: facts.after,
        reply: true,
        kind: 'IPVS un-NAT',
      };
    default:
      return null;
  }
}

/**
 * The Service a NAT belongs to and the endpoint it chose: the side of the
 * rewrite that is one of the Service's addresses is the VIP, the other the
 * endpoint. A masquerade (client → node address) names no Service.
 */
export function natService(
  nat: NatChange,
  addresses: ReadonlyMap<string, string>,
): { service: string; endpoint: string } | null {
  const before = addresses.get(nat.before);
  if (before) return { service: before, endpoint: nat.after };
  const after = addresses.get(nat.after);
  if (after) return { service: after, endpoint: nat.before };
  return null;
}

/** The IP of an "ip:port". */
export const hostOf = (ipPort: string) => ipPort.replace(/:\d+$/, '');
