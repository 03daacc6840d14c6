/**
 * `conntrack -L` output, as conntrack-tools 1.4.7 prints it through
 * libnetfilter_conntrack's __snprintf_conntrack_default
 * (src/conntrack/snprintf_default.c):
 *
 *   "%-8s %u " protocol name and number, "%u " seconds left, the TCP state,
 *   "src=%s dst=%s " and the ports (or "type=%d code=%d id=%d ") of the
 *   original tuple, "[UNREPLIED] " unless SEEN_REPLY, the reply tuple,
 *   "[ASSURED] " ([OFFLOAD] / [HW_OFFLOAD] take its place), "mark=%u ",
 *   "use=%u ", and the last blank removed.
 *
 * The seconds left are the kernel's nf_ct_expires(ct) / HZ (ctnetlink),
 * rounded down; expired entries are not listed. The kernel lists entries in
 * hash-bucket order; we list them by id. The summary line goes to stderr.
 */
import { ctHasStatus, ctIsExpired, IPS, type CtEntry } from './conntrack-entry.ts';
import { ctEntries, type CtTable } from './conntrack-table.ts';
import { hasPorts, isIcmp, type CtTuple } from './conntrack-tuple.ts';

export const CONNTRACK_TOOLS_VERSION = '1.4.7';

/** proto2str (src/conntrack/snprintf.c); anything else is "unknown". */
const PROTO_NAMES: Readonly<Record<number, string>> = {
  1: 'icmp',
  6: 'tcp',
  17: 'udp',
  33: 'dccp',
  47: 'gre',
  58: 'icmpv6',
  132: 'sctp',
  136: 'udplite',
};

function tupleText(t: CtTuple): string {
  const addrs = `src=${t.src} dst=${t.dst}`;
  if (hasPorts(t)) return `${addrs} sport=${t.sport} dport=${t.dport}`;
  if (isIcmp(t)) return `${addrs} type=${t.type} code=${t.code} id=${t.id}`;
  return addrs;
}

/** Whole seconds until the entry expires (0 once it has). */
export function ctSecondsLeft(entry: CtEntry, nowUs: number): number {
  return Math.max(0, Math.floor((entry.expiresUs - nowUs) / 1_000_000));
}

/** One `conntrack -L` line. */
export function ctFormat(entry: CtEntry, nowUs: number): string {
  const proto = entry.original.protocol;
  const parts = [
    `${(PROTO_NAMES[proto] ?? 'unknown').padEnd(8)} ${proto}`,
    String(ctSecondsLeft(entry, nowUs)),
  ];
  if (entry.proto.kind === 'tcp') parts.push(entry.proto.tcp.state);
  parts.push(tupleText(entry.original));
  if (!ctHasStatus(entry, IPS.SEEN_REPLY)) parts.push('[UNREPLIED]');
  parts.push(tupleText(entry.reply));
  if (ctHasStatus(entry, IPS.HW_OFFLOAD)) parts.push('[HW_OFFLOAD]');
  else if (ctHasStatus(entry, IPS.OFFLOAD)) parts.push('[OFFLOAD]');
  else if (ctHasStatus(entry, IPS.ASSURED)) parts.push('[ASSURED]');
  // Every listed entry is referenced by the table alone.
  parts.push(`mark=${entry.mark >>> 0}`, 'use=1');
  return parts.join(' ');
}

/** The lines `conntrack -L` writes to stdout at `nowUs`. */
export function ctList(table: CtTable, nowUs: number): string[] {
  return ctEntries(table)
    .filter((e) => !ctIsExpired(e, nowUs))
    .map((e) => ctFormat(e, nowUs));
}

/** The summary `conntrack -L` writes to stderr after the listing. */
export function ctListSummary(shown: number): string {
  return `conntrack v${CONNTRACK_TOOLS_VERSION} (conntrack-tools): ${shown} flow entries have been shown.`;
}
