/**
 * nf_nat_l4proto_unique_tuple (net/netfilter/nf_nat_core.c): choose the
 * port (or ICMP id) that makes a NATed tuple unique.
 *
 * Without a port range a source port keeps its class: below 512 maps into
 * 1–511, below 1024 into 600–1023, anything else into 1024–65535; a
 * destination port is never changed. The search starts at a random offset
 * for SRC manips and for --random / --random-fully (DNAT without them
 * starts at the bottom of the range), tries up to 128 consecutive values,
 * then halves the window from a fresh random offset until it is under 16.
 * The offset is a u16, so it wraps at 65536: with the 64512-port default
 * range, ports 1024–2047 are twice as likely to be tried first.
 */
import { IPS, type CtEntry } from './conntrack-entry.ts';
import {
  manipKey,
  portRange,
  protoSpecified,
  randomAll,
  withManipKey,
  type NatManip,
  type NatRange,
} from './conntrack-nat-range.ts';
import { ctLookup, ctTupleTaken, type CtTable } from './conntrack-table.ts';
import { TCP_STATES } from './conntrack-tcp.ts';
import { seqAfter } from './conntrack-tcp-window.ts';
import {
  ctInvertTuple,
  IPPROTO_SCTP,
  IPPROTO_TCP,
  IPPROTO_UDP,
  IPPROTO_UDPLITE,
  isIcmp,
  type CtTuple,
} from './conntrack-tuple.ts';

const NF_NAT_MAX_ATTEMPTS = 128;
const NF_NAT_HARDER_THRESH = NF_NAT_MAX_ATTEMPTS / 4;

/** What NAT needs to ask the table, and the random source standing in for get_random_u16. */
export interface NatContext {
  readonly table: CtTable;
  /** The unconfirmed entry being NATed (nf_nat_used_tuple's ignored_conntrack). */
  readonly entry: CtEntry;
  readonly nowUs: number;
  readonly random: () => number;
}

const randomU16 = (ctx: NatContext) => Math.floor(ctx.random() * 0x10000) & 0xffff;

/** nf_nat_used_tuple: NAT to `tuple` would clash if its inverse is a live entry's tuple. */
export function natUsedTuple(ctx: NatContext, tuple: CtTuple): boolean {
  const reply = ctInvertTuple(tuple);
  return reply !== undefined && ctTupleTaken(ctx.table, reply, ctx.entry, ctx.nowUs);
}

/**
 * nf_nat_used_tuple_harder: in the last 32 attempts for a TCP SYN, a
 * clashing entry that is SNATed, in TIME_WAIT or later, and older in sequence
 * space (nf_seq_has_advanced) is evicted rather than counted as taken.
 */
function usedHarder(
  ctx: NatContext,
  tuple: CtTuple,
  attemptsLeft: number,
  evicted: CtEntry[],
): boolean {
  const tcp = ctx.entry.proto.kind === 'tcp' ? ctx.entry.proto.tcp : undefined;
  if (
    attemptsLeft > NF_NAT_HARDER_THRESH ||
    tuple.protocol !== IPPROTO_TCP ||
    tcp?.state !== 'SYN_SENT'
  ) {
    return natUsedTuple(ctx, tuple);
  }
  const hit = ctLookup(ctx.table, ctInvertTuple(tuple)!, ctx.nowUs);
  if (hit === undefined) return false;
  const old = hit.entry;
  if (hit.dir === 'original' || old.proto.kind !== 'tcp') return true;
  const oldTcp = old.proto.tcp;
  // nf_nat_may_kill
  const mayKill =
    TCP_STATES.indexOf(oldTcp.state) >= TCP_STATES.indexOf('TIME_WAIT') &&
    (old.status & (IPS.FIXED_TIMEOUT | IPS.DYING)) === 0 &&
    (old.status & IPS.SRC_NAT) !== 0;
  if (!mayKill || !seqAfter(tcp.seen[0].tdEnd, oldTcp.seen[0].tdEnd)) return true;
  evicted.push(old);
  return false;
}

export interface UniqueTuple {
  readonly tuple: CtTuple;
  /** Entries nf_nat_used_tuple_harder killed to free the tuple. */
  readonly evicted: readonly CtEntry[];
}

/** The search itself; returns the last value tried when every one is taken. */
export function l4protoUniqueTuple(
  ctx: NatContext,
  start: CtTuple,
  range: NatRange,
  manip: NatManip,
): UniqueTuple {
  const evicted: CtEntry[] = [];
  const key = manipKey(start, manip);
  const ported = [IPPROTO_TCP, IPPROTO_UDP, IPPROTO_UDPLITE, IPPROTO_SCTP].includes(start.protocol);
  if (key === undefined || (!ported && !isIcmp(start))) return { tuple: start, evicted };
  let min: number;
  let size: number;
  if (protoSpecified(range)) {
    const [lo, hi] = portRange(range);
    [min, size] = [lo, hi - lo + 1];
  } else if (isIcmp(start)) {
    [min, size] = [0, 65536];
  } else if (manip === 'DST') {
    return { tuple: start, evicted };
  } else if (key < 1024) {
    // "Loose convention: >> 512 is credential passing".
    [min, size] = key < 512 ? [1, 511] : [600, 424];
  } else {
    [min, size] = [1024, 65535 - 1024 + 1];
  }
  let off = randomAll(range) || manip !== 'DST' ? randomU16(ctx) : 0;
  let attempts = Math.min(size, NF_NAT_MAX_ATTEMPTS);
  let tuple = start;
  for (;;) {
    for (let i = 0; i < attempts; i++, off = (off + 1) & 0xffff) {
      tuple = withManipKey(start, manip, min + (off % size));
      if (!usedHarder(ctx, tuple, attempts - i, evicted)) return { tuple, evicted };
    }
    if (attempts >= size || attempts < 16) return { tuple, evicted };
    attempts = Math.floor(attempts / 2);
    off = randomU16(ctx);
  }
}
