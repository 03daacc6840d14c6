/**
 * NAT bindings (net/netfilter/nf_nat_core.c). NAT is decided once, for the
 * first packet of a connection, by rewriting the entry's *reply* tuple: a
 * DNAT to B makes the reply come from B, an SNAT to S makes it go to S.
 * Every later packet, in either direction, is rewritten from the two tuples
 * (ctNatRewrite), which is how replies get un-NATed without any rule.
 *
 * The DST manip happens at PREROUTING / OUTPUT, the SRC manip at
 * POSTROUTING / INPUT. Each is set up at most once (the *_NAT_DONE bits);
 * a connection that passes a NAT hook without matching a NAT rule gets a
 * "null binding" (ctNatNullBinding), which still makes its tuple unique.
 */
import {
  ctHasStatus,
  ctIsConfirmed,
  ctIsExpired,
  IPS,
  type CtDir,
  type CtEntry,
} from './conntrack-entry.ts';
import {
  bestIps,
  l4InRange,
  manipKey,
  protoSpecified,
  randomAll,
  srcInRange,
  withManipKey,
  type NatManip,
  type NatRange,
} from './conntrack-nat-range.ts';
import { l4protoUniqueTuple, natUsedTuple, type NatContext } from './conntrack-nat-port.ts';
import { ctBySource, ctRemove, type CtTable } from './conntrack-table.ts';
import { ctInvertTuple, ctTupleEqual, hasPorts, isIcmp, type CtTuple } from './conntrack-tuple.ts';

export interface CtEndpoint {
  readonly addr: string;
  /** The port, or for ICMP the echo id; absent for protocols without either. */
  readonly port?: number;
}

const doneBit = (manip: NatManip) => (manip === 'SRC' ? IPS.SRC_NAT_DONE : IPS.DST_NAT_DONE);
const natBit = (manip: NatManip) => (manip === 'SRC' ? IPS.SRC_NAT : IPS.DST_NAT);

/** nf_nat_initialized: has this manip been set up already? */
export function ctNatInitialized(entry: CtEntry, manip: NatManip): boolean {
  return ctHasStatus(entry, doneBit(manip));
}

/** nf_nat_setup_info's ending: alter the reply tuple if the mapping changed anything. */
function bind(entry: CtEntry, curr: CtTuple, next: CtTuple, manip: NatManip): CtEntry {
  let status = entry.status | doneBit(manip);
  let reply = entry.reply;
  if (!ctTupleEqual(next, curr)) {
    reply = ctInvertTuple(next)!;
    status |= natBit(manip);
  }
  return { ...entry, reply, status };
}

/**
 * A fixed binding: DNAT to `addr[:port]` sets the reply's source, SNAT sets
 * the reply's destination (for ICMP `port` is the id). No uniqueness search:
 * ctNatSetup is what the iptables targets do. Like nf_nat_setup_info it
 * leaves a confirmed entry, or one whose manip is already set up, alone.
 */
export function ctSetNat(
  entry: CtEntry,
  nat: { readonly kind: 'DNAT' | 'SNAT'; readonly addr: string; readonly port?: number },
): CtEntry {
  const manip: NatManip = nat.kind === 'DNAT' ? 'DST' : 'SRC';
  if (ctIsConfirmed(entry) || ctNatInitialized(entry, manip)) return entry;
  const curr = ctInvertTuple(entry.reply)!;
  let next: CtTuple = manip === 'DST' ? { ...curr, dst: nat.addr } : { ...curr, src: nat.addr };
  if (nat.port !== undefined) next = withManipKey(next, manip, nat.port);
  return bind(entry, curr, next, manip);
}

/** find_appropriate_src: reuse the mapping an earlier connection from this source got. */
function appropriateSrc(ctx: NatContext, orig: CtTuple, range: NatRange): CtTuple | undefined {
  for (const ct of ctBySource(ctx.table, orig)) {
    if (ctIsExpired(ct, ctx.nowUs)) continue;
    // The earlier connection's source as it was mapped, with this one's destination.
    const mapped = ctInvertTuple(ct.reply)!;
    const result = withManipKey({ ...orig, src: mapped.src }, 'SRC', manipKey(mapped, 'SRC') ?? 0);
    if (srcInRange(result, range)) return result;
  }
  return undefined;
}

/** get_unique_tuple: the tuple the connection will have after this manip. */
function uniqueTuple(ctx: NatContext, orig: CtTuple, range: NatRange, manip: NatManip) {
  const none = { evicted: [] };
  if (manip === 'SRC' && !randomAll(range)) {
    // 1) Keep the source as it is, or as an earlier connection mapped it.
    if (srcInRange(orig, range)) {
      // (nf_nat_used_tuple_new's extra check is for packets racing on two
      // CPUs, which a sequential model cannot produce.)
      if (!natUsedTuple(ctx, orig)) return { tuple: orig, ...none };
    } else {
      const mapped = appropriateSrc(ctx, orig, range);
      if (mapped !== undefined && !natUsedTuple(ctx, mapped)) return { tuple: mapped, ...none };
    }
  }
  // 2) The address, from the range.
  const tuple = bestIps(orig, range, manip);
  // 3) Keep the port if it is in range and unique, unless told to randomise.
  if (!randomAll(range)) {
    if (protoSpecified(range)) {
      const single = range.maxPort === undefined || range.maxPort === range.minPort;
      if (l4InRange(tuple, manip, range) && (single || !natUsedTuple(ctx, tuple))) {
        return { tuple, ...none };
      }
    } else if (!natUsedTuple(ctx, tuple)) {
      return { tuple, ...none };
    }
  }
  return l4protoUniqueTuple(ctx, tuple, range, manip);
}

/**
 * nf_nat_setup_info: what an iptables NAT target does for a new connection
 * (DNAT/REDIRECT with manip DST; SNAT/MASQUERADE with manip SRC, MASQUERADE's
 * range being the outgoing interface's address). `random` stands in for
 * get_random_u16 (a float in [0, 1)). Returns the table because the search
 * may evict TIME_WAIT entries (nf_nat_used_tuple_harder).
 */
export function ctNatSetup(
  table: CtTable,
  entry: CtEntry,
  range: NatRange,
  manip: NatManip,
  nowUs: number,
  random: () => number,
): { readonly table: CtTable; readonly entry: CtEntry } {
  if (ctIsConfirmed(entry) || ctNatInitialized(entry, manip)) return { table, entry };
  const curr = ctInvertTuple(entry.reply)!;
  const { tuple, evicted } = uniqueTuple({ table, entry, nowUs, random }, curr, range, manip);
  return { table: evicted.reduce(ctRemove, table), entry: bind(entry, curr, tuple, manip) };
}

/**
 * nf_nat_alloc_null_binding: a connection that met no NAT rule on this hook
 * is bound to its own address, which can still change its source port if
 * the tuple clashes.
 */
export function ctNatNullBinding(
  table: CtTable,
  entry: CtEntry,
  manip: NatManip,
  nowUs: number,
  random: () => number,
): { readonly table: CtTable; readonly entry: CtEntry } {
  const addr = manip === 'SRC' ? entry.reply.dst : entry.reply.src;
  return ctNatSetup(table, entry, { minAddr: addr }, manip, nowUs, random);
}

export interface CtNatRewrite {
  /** Write this destination at PREROUTING / OUTPUT (the DST manip). */
  readonly dst?: CtEndpoint;
  /** Write this source at POSTROUTING / INPUT (the SRC manip). */
  readonly src?: CtEndpoint;
}

function endpoint(t: CtTuple, side: 'src' | 'dst'): CtEndpoint {
  // An ICMP manip writes the id whichever side it rewrites (icmp_manip_pkt).
  if (isIcmp(t)) return { addr: t[side], port: t.id };
  if (hasPorts(t)) return { addr: t[side], port: side === 'src' ? t.sport : t.dport };
  return { addr: t[side] };
}

/**
 * nf_nat_packet / nf_nat_manip_pkt: what to rewrite in a packet of this
 * direction. The target is the inverse of the other direction's tuple:
 * original packets get DNAT on the destination and SNAT on the source;
 * replies get the source un-DNATed and the destination un-SNATed.
 */
export function ctNatRewrite(entry: CtEntry, dir: CtDir): CtNatRewrite {
  const other = dir === 'original' ? entry.reply : entry.original;
  const target = ctInvertTuple(other)!;
  // Statuses name the original direction; a reply inverts them (IPS_NAT_MASK ^).
  const dnat = ctHasStatus(entry, dir === 'original' ? IPS.DST_NAT : IPS.SRC_NAT);
  const snat = ctHasStatus(entry, dir === 'original' ? IPS.SRC_NAT : IPS.DST_NAT);
  return {
    ...(dnat ? { dst: endpoint(target, 'dst') } : {}),
    ...(snat ? { src: endpoint(target, 'src') } : {}),
  };
}
