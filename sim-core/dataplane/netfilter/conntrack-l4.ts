/**
 * The per-protocol trackers behind nf_conntrack_handle_packet: TCP (its own
 * files), UDP and UDP-Lite (nf_conntrack_proto_udp.c), ICMP
 * (nf_conntrack_proto_icmp.c) and the generic tracker for every other
 * protocol (nf_conntrack_proto_generic.c), each deciding the new timeout.
 */
import {
  ctHasStatus,
  ctIsConfirmed,
  ctRefresh,
  IPS,
  type CtDir,
  type CtEntry,
  type L4Result,
} from './conntrack-entry.ts';
import { tcpPacket } from './conntrack-tcp-packet.ts';
import type { TcpSegmentFacts } from './conntrack-tcp-window.ts';
import {
  IPPROTO_ICMP,
  IPPROTO_TCP,
  IPPROTO_UDP,
  IPPROTO_UDPLITE,
  isIcmp,
  type CtTuple,
} from './conntrack-tuple.ts';

/** What conntrack needs to know about a packet beyond its tuple. */
export interface CtPacket {
  /** The tuple read from the packet's headers (before any NAT on this hook). */
  readonly tuple: CtTuple;
  /** Required for TCP. */
  readonly tcp?: TcpSegmentFacts;
  /** ICMP errors: the tuple of the packet quoted inside, as written there. */
  readonly quoted?: CtTuple;
}

/**
 * accept: tracked (state may or may not have changed; `note` says when a
 * segment was ignored). invalid: the tracker refused it (-NF_ACCEPT), the
 * packet is INVALID and the entry is unchanged. kill: accepted, but the
 * entry is deleted (TCP RST before any reply). repeat: the entry must be
 * deleted and the packet looked up again (TCP reopening a closed tuple).
 */
export type { L4Result } from './conntrack-entry.ts';

const S = 1_000_000;

/** nf_conntrack_udp_timeout and nf_conntrack_udp_timeout_stream. */
export const UDP_TIMEOUT_US = { UNREPLIED: 30 * S, REPLIED: 120 * S } as const;
/** nf_conntrack_icmp_timeout. */
export const ICMP_TIMEOUT_US = 30 * S;
/** nf_conntrack_generic_timeout. */
export const GENERIC_TIMEOUT_US = 600 * S;

/**
 * nf_conntrack_udp_packet. A reply alone is not enough for the long timeout
 * or ASSURED: the flow must still be active 2 s after its first packet
 * (stream_ts), so a DNS query and its answer keep the 30 s timeout.
 */
function udpPacket(entry: CtEntry, nowUs: number): L4Result {
  let e = entry;
  if (!ctIsConfirmed(e)) e = { ...e, proto: { kind: 'udp', streamUs: nowUs + 2 * S } };
  const streamUs = e.proto.kind === 'udp' ? e.proto.streamUs : nowUs;
  if (!ctHasStatus(e, IPS.SEEN_REPLY)) {
    return { verdict: 'accept', entry: ctRefresh(e, UDP_TIMEOUT_US.UNREPLIED, nowUs) };
  }
  const stream = nowUs > streamUs;
  e = ctRefresh(e, stream ? UDP_TIMEOUT_US.REPLIED : UDP_TIMEOUT_US.UNREPLIED, nowUs);
  // IPS_NAT_CLASH (the UNTRACKED bit, reused): never ASSURED, they time out soon.
  if (stream && !ctHasStatus(e, IPS.UNTRACKED)) e = { ...e, status: e.status | IPS.ASSURED };
  return { verdict: 'accept', entry: e };
}

/** nf_conntrack_udplite_packet: no stream delay, ASSURED once replied. */
function udplitePacket(entry: CtEntry, nowUs: number): L4Result {
  if (!ctHasStatus(entry, IPS.SEEN_REPLY)) {
    return { verdict: 'accept', entry: ctRefresh(entry, UDP_TIMEOUT_US.UNREPLIED, nowUs) };
  }
  let e = ctRefresh(entry, UDP_TIMEOUT_US.REPLIED, nowUs);
  if (!ctHasStatus(e, IPS.UNTRACKED)) e = { ...e, status: e.status | IPS.ASSURED };
  return { verdict: 'accept', entry: e };
}

/** nf_conntrack_icmp_packet `valid_new`: echo, timestamp, info and address-mask requests. */
const ICMP_VALID_NEW = new Set([8, 13, 15, 17]);

/** nf_conntrack_icmp_packet: never ASSURED; each packet re-arms 30 s. */
function icmpPacket(entry: CtEntry, nowUs: number): L4Result {
  const o = entry.original;
  if (!isIcmp(o) || !ICMP_VALID_NEW.has(o.type)) {
    const type = isIcmp(o) ? o.type : '?';
    return { verdict: 'invalid', entry, note: `icmp: can't create new conn with type ${type}` };
  }
  return { verdict: 'accept', entry: ctRefresh(entry, ICMP_TIMEOUT_US, nowUs) };
}

/** One packet through its protocol's tracker. */
export function l4Packet(entry: CtEntry, dir: CtDir, packet: CtPacket, nowUs: number): L4Result {
  switch (entry.original.protocol) {
    case IPPROTO_TCP:
      if (packet.tcp === undefined)
        throw new TypeError('conntrack: a TCP packet needs its segment facts');
      return tcpPacket(entry, dir, packet.tcp, nowUs);
    case IPPROTO_UDP:
      return udpPacket(entry, nowUs);
    case IPPROTO_UDPLITE:
      return udplitePacket(entry, nowUs);
    case IPPROTO_ICMP:
      return icmpPacket(entry, nowUs);
    default:
      // Also SCTP, DCCP and GRE, whose own trackers are not modelled.
      return { verdict: 'accept', entry: ctRefresh(entry, GENERIC_TIMEOUT_US, nowUs) };
  }
}
