/**
 * The conntrack table (net->ct's nf_conntrack_hash) as a persistent value.
 *
 * The kernel hashes each entry twice, once per direction, so a packet of
 * either direction finds it. Here `byTuple` maps both tuple keys to the
 * entry's id and direction, and `byId` holds the entries; both are HAMTs, so
 * a change copies the few trie nodes on its path and shares the rest with the
 * previous version. A per-packet update touches only `byId`.
 *
 * `bySource` is nf_nat_bysource: the entries whose source NAT has been set
 * up, by original source address, port and protocol, newest first, so an
 * SNAT can reuse the mapping an earlier connection from the same socket got.
 *
 * Only confirmed entries are in the table (see ctNew and ctConfirm).
 */
import {
  hamtDelete,
  hamtEmpty,
  hamtGet,
  hamtSet,
  hamtValues,
  type Hamt,
} from '../../engine/hamt.ts';
import {
  ctHasStatus,
  ctIsConfirmed,
  ctIsExpired,
  IPS,
  IPS_NAT_DONE_MASK,
  type CtDir,
  type CtEntry,
} from './conntrack-entry.ts';
import {
  ctTupleEqual,
  ctTupleKey,
  hasPorts,
  IPPROTO_UDP,
  IPPROTO_UDPLITE,
  isIcmp,
  type CtTuple,
} from './conntrack-tuple.ts';

interface CtRef {
  readonly id: number;
  readonly dir: CtDir;
}

export interface CtTable {
  readonly byTuple: Hamt<CtRef>;
  readonly byId: Hamt<CtEntry>;
  readonly bySource: Hamt<readonly number[]>;
}

export interface CtHit {
  readonly entry: CtEntry;
  readonly dir: CtDir;
}

export const CT_EMPTY: CtTable = { byTuple: hamtEmpty(), byId: hamtEmpty(), bySource: hamtEmpty() };

/** hash_by_src / same_src: protocol, source address and source port (or ICMP id). */
function sourceKey(t: CtTuple): string {
  const key = hasPorts(t) ? t.sport : isIcmp(t) ? t.id : 0;
  return `${t.protocol}|${t.src}|${key}`;
}

/** The entries SNAT-mapped from this tuple's source, newest first (find_appropriate_src's chain). */
export function ctBySource(table: CtTable, tuple: CtTuple): CtEntry[] {
  const ids = hamtGet(table.bySource, sourceKey(tuple)) ?? [];
  return ids.map((id) => ctGet(table, id)!);
}

function withSource(table: CtTable, entry: CtEntry, add: boolean): Hamt<readonly number[]> {
  if (!ctHasStatus(entry, IPS.SRC_NAT_DONE)) return table.bySource;
  const key = sourceKey(entry.original);
  const ids = (hamtGet(table.bySource, key) ?? []).filter((id) => id !== entry.id);
  if (add) return hamtSet(table.bySource, key, [entry.id, ...ids]);
  return ids.length === 0 ? hamtDelete(table.bySource, key) : hamtSet(table.bySource, key, ids);
}

export function ctCount(table: CtTable): number {
  return table.byId.size;
}

export function ctGet(table: CtTable, id: number): CtEntry | undefined {
  return hamtGet(table.byId, String(id));
}

/**
 * __nf_conntrack_find_get: the entry one of whose tuples equals `tuple`, and
 * which of its directions matched. With `nowUs`, an expired entry counts as
 * absent, as the kernel's lookup skips (and reaps) it.
 */
export function ctLookup(table: CtTable, tuple: CtTuple, nowUs?: number): CtHit | undefined {
  const ref = hamtGet(table.byTuple, ctTupleKey(tuple));
  if (ref === undefined) return undefined;
  const entry = ctGet(table, ref.id)!;
  if (nowUs !== undefined && ctIsExpired(entry, nowUs)) return undefined;
  return { entry, dir: ref.dir };
}

function insert(table: CtTable, entry: CtEntry): CtTable {
  const original: CtRef = { id: entry.id, dir: 'original' };
  const reply: CtRef = { id: entry.id, dir: 'reply' };
  let byTuple = hamtSet(table.byTuple, ctTupleKey(entry.original), original);
  byTuple = hamtSet(byTuple, ctTupleKey(entry.reply), reply);
  const byId = hamtSet(table.byId, String(entry.id), entry);
  return { byTuple, byId, bySource: withSource(table, entry, true) };
}

/** nf_ct_delete: the table without this entry (matched by id). */
export function ctRemove(table: CtTable, entry: CtEntry): CtTable {
  const old = ctGet(table, entry.id);
  if (old === undefined) return table;
  // A NAT_CLASH loser holds only its reply tuple: the original one is the winner's.
  const mine = (t: Hamt<CtRef>, key: string) =>
    hamtGet(t, key)?.id === old.id ? hamtDelete(t, key) : t;
  let byTuple = mine(table.byTuple, ctTupleKey(old.original));
  byTuple = mine(byTuple, ctTupleKey(old.reply));
  const byId = hamtDelete(table.byId, String(old.id));
  return { byTuple, byId, bySource: withSource(table, old, false) };
}

/**
 * Store a new version of a confirmed entry (same id, same tuples: the
 * tuples of a confirmed entry never change). No-op for entries not in the
 * table.
 */
export function ctPut(table: CtTable, entry: CtEntry): CtTable {
  if (ctGet(table, entry.id) === undefined) return table;
  return { ...table, byId: hamtSet(table.byId, String(entry.id), entry) };
}

/**
 * nf_conntrack_tuple_taken: is `tuple` one of the tuples of another live
 * entry? (Used by NAT, which asks about the reply tuple it would create.)
 * An entry whose original tuple equals the asker's is the same flow, and
 * does not count.
 */
export function ctTupleTaken(
  table: CtTable,
  tuple: CtTuple,
  asker: CtEntry,
  nowUs: number,
): boolean {
  const hit = ctLookup(table, tuple, nowUs);
  if (hit === undefined || hit.entry.id === asker.id) return false;
  return !ctTupleEqual(hit.entry.original, asker.original);
}

/** IPS_NAT_CLASH shares its bit with IPS_UNTRACKED in the kernel. */
const IPS_NAT_CLASH = IPS.UNTRACKED;
/** nf_ct_resolve_clash_harder: the loser lives one second (HZ). */
const NAT_CLASH_TIMEOUT_US = 1_000_000;

export interface CtConfirmResult {
  readonly table: CtTable;
  /** The entry the packet now belongs to (an existing one after a resolved clash). */
  readonly entry: CtEntry;
  readonly verdict: 'accept' | 'drop';
}

/**
 * __nf_conntrack_confirm, run when the packet that created the entry leaves
 * the box (POSTROUTING or INPUT): start the timer relative to now, set
 * CONFIRMED, insert both tuples.
 *
 * If either tuple is already taken (NAT picked a reply tuple that exists),
 * the packet is dropped, except for UDP where nf_ct_resolve_clash lets it
 * join the existing entry when that one was not NATed or has the same
 * tuples; failing that, for an original-direction clash of two UDP packets
 * NATed differently (a resolver's A and AAAA queries racing through
 * MASQUERADE --random-fully), nf_ct_resolve_clash_harder (Linux 5.8+)
 * inserts the loser under its reply tuple only, with IPS_NAT_CLASH and a
 * fixed 1 s timeout, and lets the packet through: its answer still finds
 * its way back.
 */
export function ctConfirm(table: CtTable, entry: CtEntry, nowUs: number): CtConfirmResult {
  if (ctIsConfirmed(entry)) return { table, entry, verdict: 'accept' };
  if (ctHasStatus(entry, IPS.DYING)) return { table, entry, verdict: 'drop' };
  let t = table;
  for (const tuple of [entry.original, entry.reply]) {
    const hit = ctLookup(t, tuple);
    if (hit === undefined) continue;
    if (ctIsExpired(hit.entry, nowUs)) {
      t = ctRemove(t, hit.entry);
      continue;
    }
    const proto = entry.original.protocol;
    const udp = proto === IPPROTO_UDP || proto === IPPROTO_UDPLITE;
    const same =
      ctTupleEqual(hit.entry.original, entry.original) &&
      ctTupleEqual(hit.entry.reply, entry.reply);
    if (udp && ((hit.entry.status & IPS_NAT_DONE_MASK) === 0 || same)) {
      return { table: t, entry: hit.entry, verdict: 'accept' };
    }
    if (
      proto === IPPROTO_UDP &&
      tuple === entry.original &&
      ctLookup(t, entry.reply) === undefined
    ) {
      const loser: CtEntry = {
        ...entry,
        status: entry.status | IPS.CONFIRMED | IPS_NAT_CLASH | IPS.FIXED_TIMEOUT,
        expiresUs: nowUs + NAT_CLASH_TIMEOUT_US,
      };
      const ref: CtRef = { id: loser.id, dir: 'reply' };
      const byTuple = hamtSet(t.byTuple, ctTupleKey(loser.reply), ref);
      const byId = hamtSet(t.byId, String(loser.id), loser);
      return { table: { ...t, byTuple, byId }, entry: loser, verdict: 'accept' };
    }
    return { table: t, entry, verdict: 'drop' };
  }
  const confirmed: CtEntry = {
    ...entry,
    status: entry.status | IPS.CONFIRMED,
    expiresUs: nowUs + entry.timeoutUs,
  };
  return { table: insert(t, confirmed), entry: confirmed, verdict: 'accept' };
}

/** Every entry, in id order (the kernel lists them in hash-bucket order); NAT_CLASH losers are hidden from conntrack -L. */
export function ctEntries(table: CtTable): CtEntry[] {
  return allEntries(table).filter((e) => (e.status & IPS_NAT_CLASH) === 0);
}

function allEntries(table: CtTable): CtEntry[] {
  return [...hamtValues(table.byId)].sort((a, b) => a.id - b.id);
}

/** gc_worker: drop every entry whose timeout has run out. */
export function ctExpire(table: CtTable, nowUs: number): { table: CtTable; expired: CtEntry[] } {
  const expired = allEntries(table).filter((e) => ctIsExpired(e, nowUs));
  return { table: expired.reduce(ctRemove, table), expired };
}
