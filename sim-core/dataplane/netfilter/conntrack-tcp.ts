/**
 * The TCP state machine of net/netfilter/nf_conntrack_proto_tcp.c: the
 * tcp_conntracks[dir][flag class][state] table, copied cell for cell, the
 * default timeouts (the nf_conntrack_tcp_timeout_* sysctls), and
 * nf_conntrack_tcp_packet's special cases around it (see conntrack-tcp-packet.ts).
 *
 * Conntrack is a man in the middle guessing both ends' states: it may see a
 * segment the receiver never gets. "Ignored" (sIG) segments pass without a
 * state change, because they might be valid for a connection conntrack is out
 * of sync with; "invalid" (sIV) ones are marked INVALID.
 */
import type { TcpCtState } from './conntrack-tcp-window.ts';

/** enum tcp_conntrack order, which indexes the table's columns. */
export const TCP_STATES: readonly TcpCtState[] = [
  'NONE',
  'SYN_SENT',
  'SYN_RECV',
  'ESTABLISHED',
  'FIN_WAIT',
  'CLOSE_WAIT',
  'LAST_ACK',
  'TIME_WAIT',
  'CLOSE',
  'SYN_SENT2',
];

/** sIV (TCP_CONNTRACK_MAX) and sIG (TCP_CONNTRACK_IGNORE) as table outcomes. */
export type TcpTransition = TcpCtState | 'INVALID' | 'IGNORE';

// No cell leads to NONE, so sNO has no name here.
const [, sSS, sSR, sES, sFW, sCW, sLA, sTW, sCL, sS2] = TCP_STATES;
const sIV = 'INVALID';
const sIG = 'IGNORE';

/**
 * tcp_conntracks, rows syn, synack, fin, ack, rst, none; columns
 * sNO, sSS, sSR, sES, sFW, sCW, sLA, sTW, sCL, sS2. Some cells worth knowing:
 * - original sNO + ack → sES: a connection picked up mid-stream (tcp_loose=1);
 * - original sTW/sCL + syn → sSS: the tuple reopened (RFC 1122);
 * - reply sSS + ack → sIG: might be a half-open connection;
 * - reply sTW + syn → sSS: reopened, the server may have switched role;
 * - original sSR + synack → sSR: late SYN/ACK in a simultaneous open.
 */
export const TCP_CONNTRACKS: readonly (readonly (readonly TcpTransition[])[])[] = [
  [
    /* ORIGINAL sNO  sSS  sSR  sES  sFW  sCW  sLA  sTW  sCL  sS2 */
    /* syn    */ [sSS, sSS, sIG, sIG, sIG, sIG, sIG, sSS, sSS, sS2],
    /* synack */ [sIV, sIV, sSR, sIV, sIV, sIV, sIV, sIV, sIV, sSR],
    /* fin    */ [sIV, sIV, sFW, sFW, sLA, sLA, sLA, sTW, sCL, sIV],
    /* ack    */ [sES, sIV, sES, sES, sCW, sCW, sTW, sTW, sCL, sIV],
    /* rst    */ [sIV, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL],
    /* none   */ [sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV],
  ],
  [
    /* REPLY    sNO  sSS  sSR  sES  sFW  sCW  sLA  sTW  sCL  sS2 */
    /* syn    */ [sIV, sS2, sIV, sIV, sIV, sIV, sIV, sSS, sIV, sS2],
    /* synack */ [sIV, sSR, sIG, sIG, sIG, sIG, sIG, sIG, sIG, sSR],
    /* fin    */ [sIV, sIV, sFW, sFW, sLA, sLA, sLA, sTW, sCL, sIV],
    /* ack    */ [sIV, sIG, sSR, sES, sCW, sCW, sTW, sTW, sCL, sIG],
    /* rst    */ [sIV, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL],
    /* none   */ [sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV],
  ],
];

export function tcpTransition(dir: 0 | 1, flagClass: number, state: TcpCtState): TcpTransition {
  return TCP_CONNTRACKS[dir][flagClass][TCP_STATES.indexOf(state)];
}

const S = 1_000_000;

/** tcp_timeouts[] in µs: the defaults of net.netfilter.nf_conntrack_tcp_timeout_*. */
export const TCP_TIMEOUT_US: Readonly<Record<TcpCtState | 'RETRANS' | 'UNACK', number>> = {
  NONE: 0,
  SYN_SENT: 120 * S,
  SYN_RECV: 60 * S,
  ESTABLISHED: 5 * 24 * 3600 * S,
  FIN_WAIT: 120 * S,
  CLOSE_WAIT: 60 * S,
  LAST_ACK: 30 * S,
  TIME_WAIT: 120 * S,
  CLOSE: 10 * S,
  SYN_SENT2: 120 * S,
  /** nf_conntrack_tcp_timeout_max_retrans: after tcp_max_retrans (3) retransmissions. */
  RETRANS: 300 * S,
  /** nf_conntrack_tcp_timeout_unacknowledged: while sent data is unacked. */
  UNACK: 300 * S,
};

/** net.netfilter.nf_conntrack_tcp_max_retrans. */
export const TCP_MAX_RETRANS = 3;
