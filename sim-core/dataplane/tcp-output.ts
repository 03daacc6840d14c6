/**
 * TCP segments as Linux builds them (net/ipv4/tcp_output.c, tcp_ipv4.c;
 * reference README §1 and §4):
 * - SYN and SYN-ACK: options MSS, SACK_PERM, TS, NOP, WS 10 (tcp_rmem[2] =
 *   32 MiB); the SYN's window is 65535 rounded down to whole segments, the
 *   SYN-ACK's to whole segments of MSS − 12 (room for timestamps);
 * - every later segment: NOP, NOP, TS, and the offered window rounded up to
 *   the scale unit (__tcp_select_window's ALIGN) — 63 × 1024 after a 64240
 *   SYN, 64 × 1024 after a 65160 SYN-ACK;
 * - TSval = the connection's offset + a 1 kHz clock; TSecr = the peer's last;
 * - IP ID: a connection's random base, +1 per segment; the SYN-ACK (sent
 *   from the request socket) and resets (the per-netns control socket) carry 0.
 */
import type { Fact } from '../narration/facts.ts';
import { IP_PROTO_TCP, type Ipv4Repr } from '../wire/ipv4.ts';
import {
  emitTcp,
  linuxSynOptions,
  linuxTimestampOptions,
  tcpFlags,
  type TcpFlags,
  type TcpRepr,
} from '../wire/tcp.ts';
import { ipPacket } from './frames.ts';
import { sendIp } from './ip-output.ts';
import { ipRepr } from './ip-repr.ts';
import type { TcpEnv } from './tcp-env.ts';
import { putSock, u32, type TcpSock } from './tcp-sock.ts';
import type { Dataplane } from './types.ts';

export const WINDOW_SCALE = 10;
const EMPTY = new Uint8Array(0);

/** ipv4_default_advmss: MTU less 40 bytes of headers, never above IP's 65535-byte limit less 40 (lo: 65495). */
export function advmss(mtu: number): number {
  return Math.min(mtu, 65535) - 40;
}

/** tcp_select_initial_window: 65535 rounded down to a whole number of segments. */
export function initialWindow(mss: number): number {
  return Math.floor(65535 / mss) * mss;
}

/** The window field after the handshake: the offered window rounded up to the scale unit, scaled. */
export function scaledWindow(rcvWnd: number): number {
  return Math.ceil(rcvWnd / 2 ** WINDOW_SCALE);
}

/** tcp_time_stamp: the 1 kHz TCP clock plus the connection's offset. */
export function tsval(dp: Dataplane, tsOffset: number): number {
  return u32(tsOffset + Math.floor(dp.world.timeUs / 1000));
}

function emit(
  dp: Dataplane,
  netnsId: string,
  src: string,
  dst: string,
  seg: TcpRepr,
  ipId: number,
  why: Fact,
): void {
  const packet = ipPacket(ipRepr(IP_PROTO_TCP, src, dst, ipId, true), emitTcp(seg, src, dst));
  sendIp(dp, netnsId, packet, why);
}

/**
 * Sends one segment from a connection's socket and stores what that changes:
 * snd_nxt past the data (a SYN or FIN counts one), the IP ID, the owed ACK.
 * The caller passes the socket in its new state; the store is written before
 * the segment leaves, so the step that shows it on the wire shows the socket
 * as it is once it has been sent.
 */
export function tcpTransmit(
  env: TcpEnv,
  netnsId: string,
  sock: TcpSock,
  set: Partial<TcpFlags>,
  why: Fact,
  payload: Uint8Array = EMPTY,
  /** A D-SACK block (RFC 2883): the duplicate this ACK reports, written after the timestamps. */
  dsack?: readonly [number, number],
): TcpSock {
  const dp = env.dp();
  const t = sock.tcp;
  const flags = tcpFlags(set);
  const synAck = flags.syn && flags.ack;
  const seq = flags.syn ? t.iss : t.sndNxt;
  const used = payload.length + (flags.syn || flags.fin ? 1 : 0);
  const ts = tsval(dp, t.tsOffset);
  const seg: TcpRepr = {
    srcPort: sock.localPort,
    dstPort: sock.peerPort,
    seq,
    ack: flags.ack ? t.rcvNxt : 0,
    flags,
    window: flags.syn ? t.rcvWnd : scaledWindow(t.rcvWnd),
    urgentPointer: 0,
    options: flags.syn
      ? linuxSynOptions({
          mss: t.mss,
          tsval: ts,
          tsecr: synAck ? t.tsRecent : 0,
          windowScale: WINDOW_SCALE,
        })
      : [
          ...linuxTimestampOptions(ts, t.tsRecent),
          ...(dsack
            ? [
                { kind: 'nop' as const },
                { kind: 'nop' as const },
                { kind: 'sack' as const, blocks: [[dsack[0], dsack[1]] as [number, number]] },
              ]
            : []),
        ],
    payload,
  };
  const sent = putSock(dp.world, netnsId, {
    ...sock,
    tcp: {
      ...t,
      sndNxt: u32(seq + used),
      ipId: synAck ? t.ipId : (t.ipId + 1) & 0xffff,
      ackPending: flags.ack ? false : t.ackPending,
    },
  });
  emit(dp, netnsId, sock.localAddr, sock.peerAddr, seg, synAck ? 0 : t.ipId, why);
  return sent;
}

/**
 * tcp_v4_send_reset, for a segment no socket takes: if it carried an ACK, the
 * RST takes its sequence number from that ACK and has no ACK flag (reference
 * 4b frame 8: `[RST] Seq=1 Win=0 Len=0`, 54 bytes); otherwise RST,ACK
 * acknowledging everything the segment occupied. No options, window 0, IP ID 0, DF.
 */
export function sendReset(
  dp: Dataplane,
  netnsId: string,
  ip: Ipv4Repr,
  seg: TcpRepr,
  why: Fact,
): void {
  const occupied = seg.payload.length + (seg.flags.syn ? 1 : 0) + (seg.flags.fin ? 1 : 0);
  const rst: TcpRepr = {
    srcPort: seg.dstPort,
    dstPort: seg.srcPort,
    seq: seg.flags.ack ? seg.ack : 0,
    ack: seg.flags.ack ? 0 : u32(seg.seq + occupied),
    flags: tcpFlags(seg.flags.ack ? { rst: true } : { rst: true, ack: true }),
    window: 0,
    urgentPointer: 0,
    options: [],
    payload: EMPTY,
  };
  emit(dp, netnsId, ip.dstAddr, ip.srcAddr, rst, 0, why);
}

/**
 * write() on a connected socket: the bytes leave at once (no Nagle wait: the
 * connection has nothing in flight that matters here), cut into segments of
 * the connection's sndMss (tcp_sendmsg → tcp_push), PSH on the last one —
 * the end of what was written. The first segment's step carries `why`, the
 * others say which part they are. No retransmission and no congestion window
 * are modelled: every segment arrives, and a write of more than the initial
 * window's 10 segments would still leave in one burst.
 */
export function tcpWrite(
  env: TcpEnv,
  netnsId: string,
  sock: TcpSock,
  bytes: Uint8Array,
  why: Fact,
): TcpSock {
  const mss = sock.tcp.sndMss ?? sock.tcp.mss;
  const count = Math.max(1, Math.ceil(bytes.length / mss));
  let s = sock;
  for (let i = 0; i < count; i++) {
    const part = bytes.subarray(i * mss, Math.min(bytes.length, (i + 1) * mss));
    const last = i === count - 1;
    const fact: Fact =
      i === 0
        ? why
        : { type: 'tcp.segment', n: i + 1, of: count, len: part.length, mss, psh: last };
    s = tcpTransmit(env, netnsId, s, { ack: true, psh: last }, fact, part);
  }
  return s;
}
