/**
 * Whether conntrack believes a RST: the TCP_CONNTRACK_CLOSE case of
 * nf_conntrack_tcp_packet (net/netfilter/nf_conntrack_proto_tcp.c). A RST
 * below the peer's highest ack is INVALID; one that does not match exactly
 * in ESTABLISHED leaves the state alone, since the peer may answer it with a
 * challenge ACK (RFC 5961).
 */
import { ctHasStatus, IPS, type CtEntry } from './conntrack-entry.ts';
import {
  seqBefore,
  TCP_ACK_SET,
  TCP_FLAG,
  TCP_SYN_SET,
  type TcpCt,
  type TcpCtState,
} from './conntrack-tcp-window.ts';

/** tcp_can_early_drop: states in which a RST needs no window check. */
export function tcpCanEarlyDrop(state: TcpCtState): boolean {
  return (
    state === 'FIN_WAIT' ||
    state === 'LAST_ACK' ||
    state === 'TIME_WAIT' ||
    state === 'CLOSE' ||
    state === 'CLOSE_WAIT'
  );
}

/** nf_conntrack_tcp_established: ESTABLISHED and ASSURED. */
const established = (e: CtEntry, ct: TcpCt) =>
  ct.state === 'ESTABLISHED' && ctHasStatus(e, IPS.ASSURED);

/**
 * Is this RST believable? `keep` leaves the state as it was; `inWindow`
 * skips the window bookkeeping (the RST may ack segments we ignored).
 */
export function checkRst(
  entry: CtEntry,
  ct: TcpCt,
  dir: 0 | 1,
  seq: number,
  ackSeq: number,
  oldState: TcpCtState,
): 'invalid' | { readonly keep: boolean; readonly inWindow: boolean } {
  const plain = { keep: false, inWindow: false };
  if (tcpCanEarlyDrop(oldState)) return { keep: false, inWindow: true };
  let keep = false;
  const peer = ct.seen[1 - dir];
  if (peer.flags & TCP_FLAG.MAXACK_SET && ct.lastIndex !== TCP_SYN_SET) {
    // seq 0 outside ESTABLISHED: most likely the answer to a SYN let through.
    if (seq === 0 && !established(entry, ct)) return plain;
    // net.netfilter.nf_conntrack_tcp_ignore_invalid_rst defaults to 0.
    if (seqBefore(seq, peer.tdMaxAck)) return 'invalid';
    if (!established(entry, ct) || seq === peer.tdMaxAck) return plain;
    // Part of a train: data, then a RST right after it.
    if (ct.lastIndex === TCP_ACK_SET && ct.lastDir === dir && seq === ct.lastEnd) return plain;
    keep = true;
  }
  // A RST to a SYN or ACK we let through ends the connection even if it acks
  // segments we ignored; so does a RST answering a challenge ACK.
  const letThrough =
    ((ctHasStatus(entry, IPS.SEEN_REPLY) && ct.lastIndex === TCP_SYN_SET) ||
      (!ctHasStatus(entry, IPS.ASSURED) && ct.lastIndex === TCP_ACK_SET)) &&
    ackSeq === ct.lastEnd;
  const challenged =
    oldState === 'SYN_SENT' &&
    ct.lastIndex === TCP_ACK_SET &&
    ct.lastDir === 1 &&
    seq === ct.lastAck;
  return { keep, inWindow: letThrough || challenged };
}
