/**
 * TCP conntrack's per-direction bookkeeping (struct ip_ct_tcp and
 * ip_ct_tcp_state, include/net/netfilter/nf_conntrack_tcp.h), and the part of
 * tcp_in_window (nf_conntrack_proto_tcp.c) that maintains it.
 *
 * Not ported: the four sequence/ack bounds that make an out-of-window segment
 * INVALID, and window scaling. Every segment counts as in window (as if
 * nf_conntrack_tcp_be_liberal were 1), and the fields the state machine and
 * the timeouts depend on are kept exactly: td_end (highest seq + len seen
 * per direction), td_maxack, DATA_UNACKNOWLEDGED (sent data the peer has not
 * acked: it caps an ESTABLISHED timeout at 300 s), CLOSE_INIT, and the
 * retransmission counter.
 */

/** IP_CT_TCP_FLAG_* (include/uapi/linux/netfilter/nf_conntrack_tcp.h). */
export const TCP_FLAG = {
  WINDOW_SCALE: 0x01,
  SACK_PERM: 0x02,
  /** This sender sent FIN first. */
  CLOSE_INIT: 0x04,
  BE_LIBERAL: 0x08,
  DATA_UNACKNOWLEDGED: 0x10,
  MAXACK_SET: 0x20,
  /** IP_CT_EXP_CHALLENGE_ACK: a SYN was let through in LAST_ACK. */
  CHALLENGE_ACK: 0x40,
  /** IP_CT_TCP_SIMULTANEOUS_OPEN. */
  SIMULTANEOUS_OPEN: 0x80,
} as const;

/** TCP header flag bits (include/net/tcp.h TCPHDR_*). */
export const TCPHDR = {
  FIN: 0x01,
  SYN: 0x02,
  RST: 0x04,
  PSH: 0x08,
  ACK: 0x10,
  URG: 0x20,
  ECE: 0x40,
  CWR: 0x80,
} as const;

/** enum tcp_bit_set: the row of tcp_conntracks a segment selects. */
export const TCP_SYN_SET = 0;
export const TCP_SYNACK_SET = 1;
export const TCP_FIN_SET = 2;
export const TCP_ACK_SET = 3;
export const TCP_RST_SET = 4;
export const TCP_NONE_SET = 5;

/** What conntrack reads from a TCP header. */
export interface TcpSegmentFacts {
  /** The flags byte (TCPHDR_*). */
  readonly flags: number;
  readonly seq: number;
  readonly ack: number;
  readonly payloadLen: number;
  /** The raw 16-bit window field. */
  readonly window: number;
}

export interface TcpDirState {
  /** td_maxwin != 0 in the kernel: this direction has been seen. */
  readonly init: boolean;
  readonly tdEnd: number;
  readonly tdMaxAck: number;
  readonly flags: number;
}

export type TcpCtState =
  | 'NONE'
  | 'SYN_SENT'
  | 'SYN_RECV'
  | 'ESTABLISHED'
  | 'FIN_WAIT'
  | 'CLOSE_WAIT'
  | 'LAST_ACK'
  | 'TIME_WAIT'
  | 'CLOSE'
  | 'SYN_SENT2';

export interface TcpCt {
  readonly state: TcpCtState;
  /** Indexed by direction: 0 original, 1 reply. */
  readonly seen: readonly [TcpDirState, TcpDirState];
  readonly lastDir: 0 | 1;
  readonly lastIndex: number;
  readonly lastSeq: number;
  readonly lastAck: number;
  readonly lastEnd: number;
  readonly lastWin: number;
  readonly lastFlags: number;
  readonly retrans: number;
}

/** get_conntrack_index: RST wins, then SYN (with or without ACK), FIN, ACK. */
export function tcpFlagClass(flags: number): number {
  if (flags & TCPHDR.RST) return TCP_RST_SET;
  if (flags & TCPHDR.SYN) return flags & TCPHDR.ACK ? TCP_SYNACK_SET : TCP_SYN_SET;
  if (flags & TCPHDR.FIN) return TCP_FIN_SET;
  if (flags & TCPHDR.ACK) return TCP_ACK_SET;
  return TCP_NONE_SET;
}

/** include/net/tcp.h before()/after(): sequence comparison modulo 2^32. */
export const seqBefore = (a: number, b: number) => ((a - b) | 0) < 0;
export const seqAfter = (a: number, b: number) => seqBefore(b, a);

/** segment_seq_plus_len: SYN and FIN each take one sequence number. */
export function segmentEnd(seg: TcpSegmentFacts): number {
  const syn = seg.flags & TCPHDR.SYN ? 1 : 0;
  const fin = seg.flags & TCPHDR.FIN ? 1 : 0;
  return (seg.seq + seg.payloadLen + syn + fin) >>> 0;
}

const UNSEEN: TcpDirState = { init: false, tdEnd: 0, tdMaxAck: 0, flags: 0 };

/**
 * tcp_new's memset plus its seen[0] setup: a SYN starts a clean record; any
 * other segment is a connection picked up mid-stream, whose history is lost,
 * so both directions get SACK_PERM | BE_LIBERAL.
 */
export function tcpCtNew(seg: TcpSegmentFacts, isSyn: boolean): TcpCt {
  const liberal = isSyn ? 0 : TCP_FLAG.SACK_PERM | TCP_FLAG.BE_LIBERAL;
  const first = { init: true, tdEnd: segmentEnd(seg), tdMaxAck: 0, flags: liberal };
  return {
    state: 'NONE',
    seen: [first, { ...UNSEEN, flags: liberal }],
    lastDir: 0,
    lastIndex: TCP_NONE_SET,
    lastSeq: 0,
    lastAck: 0,
    lastEnd: 0,
    lastWin: 0,
    lastFlags: 0,
    retrans: 0,
  };
}

/** nf_ct_tcp_state_reset. */
export function tcpDirReset(s: TcpDirState): TcpDirState {
  return { ...UNSEEN, flags: s.flags & TCP_FLAG.BE_LIBERAL };
}

export function withSeen(ct: TcpCt, dir: 0 | 1, sender: TcpDirState, receiver: TcpDirState): TcpCt {
  return { ...ct, seen: dir === 0 ? [sender, receiver] : [receiver, sender] };
}

/** tcp_init_sender: a SYN (or SYN-ACK) (re)starts this direction's record. */
function initSender(s: TcpDirState, end: number): TcpDirState {
  return { init: true, tdEnd: end, tdMaxAck: s.tdMaxAck, flags: s.flags & TCP_FLAG.BE_LIBERAL };
}

/** tcp_in_window's bookkeeping for an in-window segment (see the header). */
export function tcpInWindow(ct: TcpCt, dir: 0 | 1, index: number, seg: TcpSegmentFacts): TcpCt {
  let sender = ct.seen[dir];
  let receiver = ct.seen[dir === 0 ? 1 : 0];
  const syn = (seg.flags & TCPHDR.SYN) !== 0;
  const hasAck = (seg.flags & TCPHDR.ACK) !== 0;
  let end = segmentEnd(seg);
  let ack = seg.ack >>> 0;

  if (!sender.init) {
    if (syn) {
      sender = initSender(sender, end);
      if (!hasAck) return withSeen(ct, dir, sender, receiver); // simultaneous open
    } else {
      sender = { ...sender, init: true, tdEnd: end };
      if (!receiver.init) receiver = { ...receiver, tdEnd: ack };
      else if (ack === (receiver.tdEnd + 1) >>> 0) receiver = { ...receiver, tdEnd: ack };
    }
  } else if (
    syn &&
    seqAfter(end, sender.tdEnd) &&
    (ct.state === 'SYN_SENT' || ct.state === 'SYN_RECV')
  ) {
    // RFC 793: a reinitialised TCP may reuse the tuple with a later ISN.
    sender = initSender(sender, end);
    if (dir === 1 && !hasAck) return withSeen(ct, dir, sender, receiver);
  }

  if (!hasAck || (seg.flags & TCPHDR.RST && ack === 0)) ack = receiver.tdEnd;
  if (seg.flags & TCPHDR.RST && seg.seq === 0 && ct.state === 'SYN_SENT') end = sender.tdEnd;

  if (seqAfter(end, sender.tdEnd)) {
    sender = { ...sender, tdEnd: end, flags: sender.flags | TCP_FLAG.DATA_UNACKNOWLEDGED };
  }
  if (hasAck) {
    if (!(sender.flags & TCP_FLAG.MAXACK_SET)) {
      sender = { ...sender, tdMaxAck: ack, flags: sender.flags | TCP_FLAG.MAXACK_SET };
    } else if (seqAfter(ack, sender.tdMaxAck)) {
      sender = { ...sender, tdMaxAck: ack };
    }
  }
  if (ack === receiver.tdEnd) {
    receiver = { ...receiver, flags: receiver.flags & ~TCP_FLAG.DATA_UNACKNOWLEDGED };
  }
  return retransmissions(withSeen(ct, dir, sender, receiver), dir, index, seg, end, ack);
}

/** The same ACK-class segment again, from the same side, counts as a retransmission. */
function retransmissions(
  ct: TcpCt,
  dir: 0 | 1,
  index: number,
  seg: TcpSegmentFacts,
  end: number,
  ack: number,
): TcpCt {
  if (index !== TCP_ACK_SET) return ct;
  const seq = seg.seq >>> 0;
  const same =
    ct.lastDir === dir &&
    ct.lastSeq === seq &&
    ct.lastAck === ack &&
    ct.lastEnd === end &&
    ct.lastWin === seg.window;
  if (same) return { ...ct, retrans: ct.retrans + 1 };
  return {
    ...ct,
    lastDir: dir,
    lastSeq: seq,
    lastAck: ack,
    lastEnd: end,
    lastWin: seg.window,
    retrans: 0,
  };
}
