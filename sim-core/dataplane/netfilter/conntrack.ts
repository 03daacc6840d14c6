/**
 * Connection tracking as Linux keeps it (net/netfilter/nf_conntrack_*.c,
 * nf_nat_core.c), as pure functions over a persistent table.
 *
 * A packet's life, in hook order:
 *
 *   PREROUTING / OUTPUT   ctIn(table, packet, now, newId)  → entry, dir, ctstate
 *                         ctNatSetup(…, 'DST', …) for a NEW entry (DNAT rules),
 *                         ctNatRewrite(entry, dir).dst for every packet
 *   POSTROUTING / INPUT   ctNatSetup(…, 'SRC', …) for a NEW entry (SNAT, MASQUERADE),
 *                         ctNatRewrite(entry, dir).src for every packet,
 *                         ctConfirm(table, entry, now) for a new entry
 *
 * A new entry exists only alongside its packet until ctConfirm: if the packet
 * is dropped first, the table never hears of it. A packet that already
 * carries an entry (looped back, or NOTRACKed: ctstate UNTRACKED) is not
 * looked up again, as nf_conntrack_in ignores it.
 *
 * Time is always an argument, in µs; nothing here reads a clock.
 */
export {
  ctHasStatus,
  ctIsConfirmed,
  ctIsExpired,
  ctNew,
  ctRefresh,
  ctTupleOf,
  ctWithMark,
  IPS,
  IPS_NAT_DONE_MASK,
  IPS_NAT_MASK,
  type CtDir,
  type CtEntry,
  type CtProtoInfo,
  type CtState,
} from './conntrack-entry.ts';
export {
  ctList,
  ctFormat,
  ctListSummary,
  ctSecondsLeft,
  CONNTRACK_TOOLS_VERSION,
} from './conntrack-format.ts';
export {
  ctIn,
  ctLookupRelated,
  ctUpdate,
  type CtInResult,
  type CtUpdateResult,
} from './conntrack-in.ts';
export {
  GENERIC_TIMEOUT_US,
  ICMP_TIMEOUT_US,
  UDP_TIMEOUT_US,
  type CtPacket,
} from './conntrack-l4.ts';
export {
  ctNatInitialized,
  ctNatNullBinding,
  ctNatRewrite,
  ctNatSetup,
  ctSetNat,
  type CtEndpoint,
  type CtNatRewrite,
} from './conntrack-nat.ts';
export { jhash2, type NatManip, type NatRange } from './conntrack-nat-range.ts';
export {
  CT_EMPTY,
  ctBySource,
  ctConfirm,
  ctCount,
  ctEntries,
  ctExpire,
  ctGet,
  ctLookup,
  ctPut,
  ctRemove,
  ctTupleTaken,
  type CtConfirmResult,
  type CtHit,
  type CtTable,
} from './conntrack-table.ts';
export {
  TCP_CONNTRACKS,
  TCP_MAX_RETRANS,
  TCP_STATES,
  TCP_TIMEOUT_US,
  tcpTransition,
  type TcpTransition,
} from './conntrack-tcp.ts';
export {
  TCP_ACK_SET,
  TCP_FIN_SET,
  TCP_FLAG,
  TCP_NONE_SET,
  TCP_RST_SET,
  TCP_SYN_SET,
  TCP_SYNACK_SET,
  tcpFlagClass,
  TCPHDR,
  type TcpCt,
  type TcpCtState,
  type TcpSegmentFacts,
} from './conntrack-tcp-window.ts';
export {
  ctInvertTuple,
  ctTupleEqual,
  ctTupleKey,
  genericTuple,
  hasPorts,
  icmpIsError,
  icmpTuple,
  ICMP_DEST_UNREACH,
  ICMP_ECHO,
  ICMP_ECHOREPLY,
  IPPROTO_ICMP,
  IPPROTO_SCTP,
  IPPROTO_TCP,
  IPPROTO_UDP,
  IPPROTO_UDPLITE,
  isIcmp,
  portTuple,
  type CtGenericTuple,
  type CtIcmpTuple,
  type CtPortTuple,
  type CtTuple,
} from './conntrack-tuple.ts';
