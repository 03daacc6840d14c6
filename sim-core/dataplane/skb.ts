/**
 * Making and rewriting packet contexts. A NAT or a TTL decrement replaces the
 * packet's bytes; setPacket keeps the parsed header in step, so later stages
 * never re-parse what an earlier one already read.
 */
import type { Place, TableRef } from '../model.ts';
import type { Fact } from '../narration/facts.ts';
import { parseIpv4 } from '../wire/ipv4.ts';
import type { Skb } from './types.ts';

export function newSkb(
  netns: string,
  packet: Uint8Array,
  why: Fact | undefined,
  extra: { frame?: Uint8Array; inDev?: string; origin?: Place; touched?: TableRef[] } = {},
): Skb {
  return {
    netns,
    packet,
    ip: parseIpv4(packet).repr,
    mark: 0,
    ...(why ? { why } : {}),
    touched: extra.touched ?? [],
    ...(extra.frame ? { frame: extra.frame } : {}),
    ...(extra.inDev ? { inDev: extra.inDev } : {}),
    ...(extra.origin ? { origin: extra.origin } : {}),
  };
}

export function setPacket(skb: Skb, packet: Uint8Array): void {
  skb.packet = packet;
  skb.ip = parseIpv4(packet).repr;
}
