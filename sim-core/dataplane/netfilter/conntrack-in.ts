/**
 * nf_conntrack_in (net/netfilter/nf_conntrack_core.c): what the conntrack
 * hook at PREROUTING and OUTPUT does with a packet. Find its entry by
 * either tuple (or make an unconfirmed one), run the protocol tracker, and
 * classify the packet for `--ctstate`:
 *
 * - reply direction: ESTABLISHED;
 * - original direction: ESTABLISHED once a reply has been seen, RELATED for
 *   an expected connection, NEW otherwise (a retransmitted SYN is still NEW);
 * - ICMP errors quoting a tracked packet: RELATED, and nothing changes;
 * - anything the tracker refuses: INVALID, with no entry attached.
 *
 * SEEN_REPLY is set after the tracker ran, so the first reply is processed
 * as "not yet replied".
 */
import {
  ctHasStatus,
  ctIsExpired,
  ctNew,
  ctTupleOf,
  IPS,
  type CtDir,
  type CtEntry,
  type CtState,
} from './conntrack-entry.ts';
import { l4Packet, type CtPacket } from './conntrack-l4.ts';
import { ctLookup, ctPut, ctRemove, type CtHit, type CtTable } from './conntrack-table.ts';
import { ctInvertTuple, icmpIsError, isIcmp, type CtTuple } from './conntrack-tuple.ts';

export interface CtUpdateResult {
  readonly table: CtTable;
  /** The entry the packet belongs to now; undefined when the packet is INVALID. */
  readonly entry: CtEntry | undefined;
  readonly dir: CtDir;
  readonly ctstate: CtState;
  /** TCP is reopening a closed tuple: the old entry is gone, look the packet up again. */
  readonly repeat?: true;
  /** Why the tracker ignored or refused the packet (the kernel's log text). */
  readonly note?: string;
}

function ctinfo(entry: CtEntry, dir: CtDir): CtState {
  if (dir === 'reply' || ctHasStatus(entry, IPS.SEEN_REPLY)) return 'ESTABLISHED';
  return ctHasStatus(entry, IPS.EXPECTED) ? 'RELATED' : 'NEW';
}

/**
 * One packet of a known (or just created) entry, in direction `dir`. A
 * confirmed entry's new version replaces the old in the returned table; an
 * unconfirmed one is only returned (ctConfirm inserts it later).
 */
export function ctUpdate(
  table: CtTable,
  entry: CtEntry,
  dir: CtDir,
  packet: CtPacket,
  nowUs: number,
): CtUpdateResult {
  const ctstate = ctinfo(entry, dir);
  const r = l4Packet(entry, dir, packet, nowUs);
  const note = r.note === undefined ? {} : { note: r.note };
  switch (r.verdict) {
    case 'invalid':
      return { table, entry: undefined, dir, ctstate: 'INVALID', ...note };
    case 'repeat':
      return {
        table: ctRemove(table, entry),
        entry: undefined,
        dir,
        ctstate: 'INVALID',
        repeat: true,
        ...note,
      };
    case 'kill': {
      // nf_ct_kill: out of the table; the packet itself still passes.
      const dying = { ...r.entry, status: r.entry.status | IPS.DYING };
      return { table: ctRemove(table, entry), entry: dying, dir, ctstate, ...note };
    }
    case 'accept': {
      let e = r.entry;
      if (dir === 'reply') e = { ...e, status: e.status | IPS.SEEN_REPLY };
      return { table: ctPut(table, e), entry: e, dir, ctstate, ...note };
    }
  }
}

/**
 * nf_conntrack_inet_error: an ICMP error is RELATED to the entry whose tuple
 * is the inverse of the quoted packet's (the quote shows the packet as it was
 * sent, so its inverse is what the entry expects back), provided the error is
 * addressed to that direction's destination.
 */
export function ctLookupRelated(
  table: CtTable,
  quoted: CtTuple,
  outerDst: string,
  nowUs: number,
): CtHit | undefined {
  const inner = ctInvertTuple(quoted);
  if (inner === undefined) return undefined;
  const hit = ctLookup(table, inner, nowUs);
  if (hit === undefined || ctTupleOf(hit.entry, hit.dir).dst !== outerDst) return undefined;
  return hit;
}

export interface CtInResult extends CtUpdateResult {
  /** The entry is new and unconfirmed: confirm it when the packet leaves. */
  readonly created: boolean;
}

/** nf_conntrack_icmpv4_error: 18 is the highest ICMP type Linux knows. */
const NR_ICMP_TYPES = 18;

/**
 * The whole conntrack hook for one packet. `newId` is the id to give an
 * entry if one has to be created.
 */
export function ctIn(table: CtTable, packet: CtPacket, nowUs: number, newId: number): CtInResult {
  const t = packet.tuple;
  if (isIcmp(t) && (t.type > NR_ICMP_TYPES || icmpIsError(t.type))) {
    const invalid = {
      table,
      entry: undefined,
      dir: 'original',
      ctstate: 'INVALID',
      created: false,
    } as const;
    if (t.type > NR_ICMP_TYPES) return { ...invalid, note: 'invalid icmp type' };
    const hit = packet.quoted && ctLookupRelated(table, packet.quoted, t.dst, nowUs);
    if (!hit) return { ...invalid, note: 'icmp error quotes no tracked connection' };
    return { table, entry: hit.entry, dir: hit.dir, ctstate: 'RELATED', created: false };
  }
  let current = table;
  for (;;) {
    let hit = ctLookup(current, t);
    if (hit !== undefined && ctIsExpired(hit.entry, nowUs)) {
      current = ctRemove(current, hit.entry);
      hit = undefined;
    }
    const entry = hit?.entry ?? ctNew(t, nowUs, newId);
    if (entry === undefined) {
      return {
        table: current,
        entry: undefined,
        dir: 'original',
        ctstate: 'INVALID',
        created: false,
      };
    }
    const r = ctUpdate(current, entry, hit?.dir ?? 'original', packet, nowUs);
    if (!r.repeat) return { ...r, created: hit === undefined && r.entry !== undefined };
    current = r.table;
  }
}
