/**
 * nf_conntrack_tcp_packet (net/netfilter/nf_conntrack_proto_tcp.c): one
 * segment through the TCP tracker. Looks the transition up in
 * tcp_conntracks, handles the cases the table cannot express (reopening a
 * closed tuple, resynchronising on a SYN/ACK to a SYN it ignored, RFC 5961
 * challenge ACKs, simultaneous open, RST checks), then picks the timeout and
 * decides ASSURED.
 */
import {
  ctHasStatus,
  ctIsConfirmed,
  ctRefresh,
  IPS,
  type CtDir,
  type CtEntry,
} from './conntrack-entry.ts';
import type { L4Result } from './conntrack-entry.ts';
import { checkRst } from './conntrack-tcp-rst.ts';
import { TCP_MAX_RETRANS, TCP_STATES, TCP_TIMEOUT_US, tcpTransition } from './conntrack-tcp.ts';
import {
  segmentEnd,
  TCP_ACK_SET,
  TCP_FLAG,
  TCP_RST_SET,
  TCP_SYN_SET,
  TCP_SYNACK_SET,
  tcpCtNew,
  tcpDirReset,
  tcpFlagClass,
  TCPHDR,
  tcpInWindow,
  type TcpCt,
  type TcpCtState,
  type TcpSegmentFacts,
} from './conntrack-tcp-window.ts';

/** tcp_valid_flags: PSH, ECE and CWR masked off, what remains must be one of these. */
const VALID_FLAGS = new Set([
  TCPHDR.SYN,
  TCPHDR.SYN | TCPHDR.URG,
  TCPHDR.SYN | TCPHDR.ACK,
  TCPHDR.RST,
  TCPHDR.RST | TCPHDR.ACK,
  TCPHDR.FIN | TCPHDR.ACK,
  TCPHDR.FIN | TCPHDR.ACK | TCPHDR.URG,
  TCPHDR.ACK,
  TCPHDR.ACK | TCPHDR.URG,
]);

const at = (s: TcpCtState) => TCP_STATES.indexOf(s);
const withTcp = (entry: CtEntry, tcp: TcpCt): CtEntry => ({
  ...entry,
  proto: { kind: 'tcp', tcp },
});

export function tcpPacket(
  entry: CtEntry,
  ctDir: CtDir,
  seg: TcpSegmentFacts,
  nowUs: number,
): L4Result {
  if (!VALID_FLAGS.has(seg.flags & ~(TCPHDR.ECE | TCPHDR.CWR | TCPHDR.PSH) & 0xff)) {
    return { verdict: 'invalid', entry, note: 'invalid tcp flag combination' };
  }
  const index = tcpFlagClass(seg.flags);
  let ct: TcpCt;
  if (!ctIsConfirmed(entry) || entry.proto.kind !== 'tcp') {
    // tcp_new: only what may open a connection from NONE (a SYN, or an ACK
    // picked up mid-stream) creates an entry.
    if (tcpTransition(0, index, 'NONE') === 'INVALID') {
      return { verdict: 'invalid', entry, note: 'invalid new' };
    }
    ct = tcpCtNew(seg, index === TCP_SYN_SET);
  } else {
    ct = entry.proto.tcp;
  }
  const dir = ctDir === 'original' ? 0 : 1;
  const step = transition(entry, ct, dir, index, seg);
  if ('verdict' in step) return step;
  ct = step.skipWindow ? step.ct : tcpInWindow(step.ct, dir, index, seg);
  ct = { ...ct, lastIndex: index, lastDir: dir, state: step.newState };
  if (step.oldState !== step.newState && step.newState === 'FIN_WAIT') {
    const s = ct.seen[dir];
    const marked = { ...s, flags: s.flags | TCP_FLAG.CLOSE_INIT };
    ct = { ...ct, seen: dir === 0 ? [marked, ct.seen[1]] : [ct.seen[0], marked] };
  }
  return settle(withTcp(entry, ct), ct, index, step.oldState, seg, nowUs);
}

interface Step {
  readonly ct: TcpCt;
  readonly oldState: TcpCtState;
  readonly newState: TcpCtState;
  readonly skipWindow: boolean;
}

/** The table lookup and the switch on its outcome in nf_conntrack_tcp_packet. */
function transition(
  entry: CtEntry,
  ct: TcpCt,
  dir: 0 | 1,
  index: number,
  seg: TcpSegmentFacts,
): Step | L4Result {
  const oldState = ct.state;
  const next = tcpTransition(dir, index, oldState);
  const go = (newState: TcpCtState, c = ct, skipWindow = false): Step => ({
    ct: c,
    oldState,
    newState,
    skipWindow,
  });
  switch (next) {
    case 'SYN_SENT':
      if (at(oldState) < at('TIME_WAIT')) return go(next);
      // A SYN on a closed or aborted tuple: kill the entry and look up again.
      if (
        (ct.seen[dir].flags | ct.seen[1 - dir].flags) & TCP_FLAG.CLOSE_INIT ||
        (ct.lastDir === dir && ct.lastIndex === TCP_RST_SET)
      ) {
        return { verdict: 'repeat', entry, note: 'reopening a closed connection' };
      }
      return ignore(entry, ct, dir, index, seg);
    case 'IGNORE':
      if (
        index === TCP_SYNACK_SET &&
        ct.lastIndex === TCP_SYN_SET &&
        ct.lastDir !== dir &&
        seg.ack >>> 0 === ct.lastEnd
      ) {
        return { ...resync(ct), oldState: 'SYN_SENT', newState: 'SYN_RECV', skipWindow: false };
      }
      return ignore(entry, ct, dir, index, seg);
    case 'INVALID': {
      const note = `packet (index ${index}) in dir ${dir} invalid, state ${oldState}`;
      return { verdict: 'invalid', entry, note };
    }
    case 'TIME_WAIT':
      if (
        oldState === 'LAST_ACK' &&
        index === TCP_ACK_SET &&
        ct.lastDir !== dir &&
        ct.lastIndex === TCP_SYN_SET &&
        ct.lastFlags & TCP_FLAG.CHALLENGE_ACK
      ) {
        // An RFC 5961 challenge ACK, not the ACK of the last FIN.
        const tcp = { ...ct, lastFlags: ct.lastFlags & ~TCP_FLAG.CHALLENGE_ACK };
        return { verdict: 'accept', entry: withTcp(entry, tcp), note: 'challenge-ack ignored' };
      }
      return go(next);
    case 'SYN_SENT2':
      // "tcp_conntracks table is not smart enough to handle simultaneous open."
      return go(next, { ...ct, lastFlags: ct.lastFlags | TCP_FLAG.SIMULTANEOUS_OPEN });
    case 'SYN_RECV': {
      const simultaneous = ct.lastFlags & TCP_FLAG.SIMULTANEOUS_OPEN;
      return go(dir === 1 && index === TCP_ACK_SET && simultaneous ? 'ESTABLISHED' : next);
    }
    case 'CLOSE': {
      if (index !== TCP_RST_SET) return go(next);
      const rst = checkRst(entry, ct, dir, seg.seq >>> 0, seg.ack >>> 0, oldState);
      if (rst === 'invalid') return { verdict: 'invalid', entry, note: 'invalid rst' };
      return go(rst.keep ? oldState : next, ct, rst.inWindow);
    }
    default:
      return go(next);
  }
}

/**
 * The SYN/ACK answers a SYN we ignored: both ends are in sync and we are
 * not. Rebuild the SYN's side from what we noted about it, reset the other.
 */
function resync(ct: TcpCt): { ct: TcpCt } {
  const synDir = ct.lastDir;
  const synSide = {
    init: true,
    tdEnd: ct.lastEnd,
    tdMaxAck: ct.seen[synDir].tdMaxAck,
    flags: ct.lastFlags & ~TCP_FLAG.CHALLENGE_ACK,
  };
  const seen: TcpCt['seen'] =
    synDir === 0 ? [synSide, tcpDirReset(ct.seen[1])] : [tcpDirReset(ct.seen[0]), synSide];
  return { ct: { ...ct, seen } };
}

/** Ignored: note the segment for a possible resync, change nothing else, no refresh. */
function ignore(
  entry: CtEntry,
  ct: TcpCt,
  dir: 0 | 1,
  index: number,
  seg: TcpSegmentFacts,
): L4Result {
  const oldState = ct.state;
  let lastFlags = ct.lastFlags;
  let lastAck = ct.lastAck;
  if (index === TCP_SYN_SET && dir === 0) {
    // The kernel also notes the SYN's window-scale and SACK options here;
    // without window tracking we have no use for them.
    lastFlags = oldState === 'LAST_ACK' ? TCP_FLAG.CHALLENGE_ACK : 0;
  }
  if (oldState === 'SYN_SENT' && index === TCP_ACK_SET && dir === 1) lastAck = seg.ack >>> 0;
  const tcp: TcpCt = {
    ...ct,
    lastIndex: index,
    lastDir: dir,
    lastSeq: seg.seq >>> 0,
    lastEnd: segmentEnd(seg),
    lastWin: seg.window,
    lastFlags,
    lastAck,
  };
  const note = `packet (index ${index}) in dir ${dir} ignored, state ${oldState}`;
  return { verdict: 'accept', entry: withTcp(entry, tcp), note };
}

/** The timeout choice and the ASSURED decision at the end of nf_conntrack_tcp_packet. */
function settle(
  entry: CtEntry,
  ct: TcpCt,
  index: number,
  oldState: TcpCtState,
  seg: TcpSegmentFacts,
  nowUs: number,
): L4Result {
  const T = TCP_TIMEOUT_US;
  const base = T[ct.state];
  const unacked = (ct.seen[0].flags | ct.seen[1].flags) & TCP_FLAG.DATA_UNACKNOWLEDGED;
  let timeout = base;
  if (ct.retrans >= TCP_MAX_RETRANS && base > T.RETRANS) timeout = T.RETRANS;
  else if (index === TCP_RST_SET) timeout = T.CLOSE;
  else if (unacked && base > T.UNACK) timeout = T.UNACK;
  else if (ct.lastWin === 0 && base > T.RETRANS) timeout = T.RETRANS;

  if (!ctHasStatus(entry, IPS.SEEN_REPLY)) {
    // "If only reply is a RST, we can consider ourselves not to have an
    // established connection": delete the entry at once.
    if (seg.flags & TCPHDR.RST) return { verdict: 'kill', entry, note: 'reset before any reply' };
    // A retransmitted SYN does not renew the timeout, or a client reusing
    // its port could keep the entry (and its NAT binding) alive for ever.
    if (index === TCP_SYN_SET && oldState === 'SYN_SENT') return { verdict: 'accept', entry };
    // Picked up mid-stream and not yet answered: no five-day timeout.
    if (ct.state === 'ESTABLISHED' && timeout > T.UNACK) timeout = T.UNACK;
  } else if (
    !ctHasStatus(entry, IPS.ASSURED) &&
    (oldState === 'SYN_RECV' || oldState === 'ESTABLISHED') &&
    ct.state === 'ESTABLISHED'
  ) {
    entry = { ...entry, status: entry.status | IPS.ASSURED };
  }
  return { verdict: 'accept', entry: ctRefresh(entry, timeout, nowUs) };
}
