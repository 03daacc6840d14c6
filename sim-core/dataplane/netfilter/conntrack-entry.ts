/**
 * One conntrack entry (struct nf_conn): the original and reply tuples, the
 * status bits, the mark, the protocol's private state and the timeout.
 *
 * Entries are immutable values; every change returns a new one.
 *
 * Time: ct->timeout holds a *relative* timeout while the entry is
 * unconfirmed, and __nf_conntrack_confirm adds the current time to it
 * ("Timeout is relative to confirmation time, not original setting time",
 * nf_conntrack_core.c). We keep both halves: `timeoutUs` is the last
 * timeout the protocol tracker set, `expiresUs` the absolute expiry, which
 * ctConfirm recomputes from the confirmation time.
 */
import type { TcpCt } from './conntrack-tcp-window.ts';
import { ctInvertTuple, type CtTuple } from './conntrack-tuple.ts';

/** enum ip_conntrack_status (include/uapi/linux/netfilter/nf_conntrack_common.h). */
export const IPS = {
  EXPECTED: 1 << 0,
  SEEN_REPLY: 1 << 1,
  ASSURED: 1 << 2,
  CONFIRMED: 1 << 3,
  SRC_NAT: 1 << 4,
  DST_NAT: 1 << 5,
  SEQ_ADJUST: 1 << 6,
  SRC_NAT_DONE: 1 << 7,
  DST_NAT_DONE: 1 << 8,
  DYING: 1 << 9,
  FIXED_TIMEOUT: 1 << 10,
  TEMPLATE: 1 << 11,
  /** In-kernel this bit doubles as IPS_NAT_CLASH. */
  UNTRACKED: 1 << 12,
  HELPER: 1 << 13,
  OFFLOAD: 1 << 14,
  HW_OFFLOAD: 1 << 15,
} as const;

export const IPS_NAT_MASK = IPS.SRC_NAT | IPS.DST_NAT;
export const IPS_NAT_DONE_MASK = IPS.SRC_NAT_DONE | IPS.DST_NAT_DONE;

export type CtDir = 'original' | 'reply';

/**
 * What a packet's ctinfo makes of it, as `-m conntrack --ctstate` sees it.
 * UNTRACKED is for packets the raw table's NOTRACK exempted; this module
 * never produces it, the caller does.
 */
export type CtState = 'NEW' | 'ESTABLISHED' | 'RELATED' | 'INVALID' | 'UNTRACKED';

export type CtProtoInfo =
  | { readonly kind: 'tcp'; readonly tcp: TcpCt }
  /** nf_conntrack_proto_udp.c stream_ts: 2 s after the first packet. */
  | { readonly kind: 'udp'; readonly streamUs: number }
  | { readonly kind: 'none' };

export interface CtEntry {
  /** A numeric id chosen by the caller (the kernel's `-o id` is a hash). */
  readonly id: number;
  readonly original: CtTuple;
  readonly reply: CtTuple;
  /** IPS_* bits. */
  readonly status: number;
  readonly mark: number;
  readonly timeoutUs: number;
  readonly expiresUs: number;
  readonly proto: CtProtoInfo;
}

export function ctHasStatus(entry: CtEntry, bits: number): boolean {
  return (entry.status & bits) === bits;
}

export function ctIsConfirmed(entry: CtEntry): boolean {
  return ctHasStatus(entry, IPS.CONFIRMED);
}

export function ctTupleOf(entry: CtEntry, dir: CtDir): CtTuple {
  return dir === 'original' ? entry.original : entry.reply;
}

/**
 * init_conntrack: a fresh, unconfirmed entry for a packet that matched
 * nothing. Its reply tuple is the inverse of the original (no NAT yet).
 * Undefined when the packet can have no reply (an ICMP type that is not a
 * query), which makes the packet INVALID.
 *
 * The entry is not in any table. It rides with its packet and is inserted
 * by ctConfirm when the packet leaves the box (the confirm hooks at
 * POSTROUTING and INPUT), so a packet dropped on the way (by a filter rule,
 * or by a bridge that will not hairpin it) leaves nothing behind, and its
 * retransmission is a new connection that meets the NAT rules afresh.
 */
export function ctNew(tuple: CtTuple, nowUs: number, id: number): CtEntry | undefined {
  const reply = ctInvertTuple(tuple);
  if (reply === undefined) return undefined;
  return {
    id,
    original: tuple,
    reply,
    status: 0,
    mark: 0,
    timeoutUs: 0,
    expiresUs: nowUs,
    proto: { kind: 'none' },
  };
}

/**
 * __nf_ct_refresh_acct: (re)arm the timeout, unless the entry has a fixed
 * one. Confirmed entries expire `timeoutUs` from now; unconfirmed ones keep
 * it relative until ctConfirm.
 */
export function ctRefresh(entry: CtEntry, timeoutUs: number, nowUs: number): CtEntry {
  if (ctHasStatus(entry, IPS.FIXED_TIMEOUT)) return entry;
  return { ...entry, timeoutUs, expiresUs: nowUs + timeoutUs };
}

/** nf_ct_is_expired: `(s32)(ct->timeout - nfct_time_stamp) <= 0`. */
export function ctIsExpired(entry: CtEntry, nowUs: number): boolean {
  return ctIsConfirmed(entry) && entry.expiresUs <= nowUs;
}

/** CONNMARK / `ct mark set`: the entry with a new mark. */
export function ctWithMark(entry: CtEntry, mark: number): CtEntry {
  return { ...entry, mark: mark >>> 0 };
}

/** What a protocol tracker (the l4proto's packet()) decides for one packet. */
export interface L4Result {
  readonly verdict: 'accept' | 'invalid' | 'kill' | 'repeat';
  readonly entry: CtEntry;
  readonly note?: string;
}
