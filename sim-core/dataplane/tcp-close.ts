/**
 * How connections end (net/ipv4/tcp.c tcp_shutdown / tcp_close,
 * tcp_minisocks.c tcp_time_wait, tcp_input.c tcp_reset):
 * - shutdown(SHUT_WR) or close() sends a FIN: ESTAB → FIN-WAIT-1, CLOSE-WAIT → LAST-ACK
 *   (tcp_close_state); closing with unread data sends RST instead;
 * - closing a SYN-SENT socket sends nothing: it just goes (reference 4b:
 *   nothing follows when nc -w 3 gives up);
 * - the side that sent the first FIN waits in TIME-WAIT for TCP_TIMEWAIT_LEN,
 *   60 s, before the 4-tuple may be used again; the other side is CLOSED as
 *   soon as its FIN is acknowledged.
 */
import type { Fact } from '../narration/facts.ts';
import type { TcpEnv } from './tcp-env.ts';
import { tcpTransmit } from './tcp-output.ts';
import {
  dropSock,
  endpoint,
  NO_OWNER,
  putSock,
  stillThere,
  u32,
  type TcpSock,
} from './tcp-sock.ts';
import { TCP_TIMEWAIT_LEN_US } from './tcp-timer.ts';
import { place } from './types.ts';

/** Leaves a 'tcp' step saying what became of a socket (no segment involved). */
export function noteTcp(
  env: TcpEnv,
  netnsId: string,
  summary: string,
  facts: Fact,
  frame?: Uint8Array,
  dev?: string,
): void {
  const dp = env.dp();
  dp.world.record({
    kind: 'tcp',
    place: place(dp.world.netns(netnsId), dev),
    ...(frame ? { frame } : {}),
    summary,
    facts,
  });
}

/** shutdown(SHUT_WR): the FIN goes out after whatever was written. */
export function tcpShutdown(env: TcpEnv, netnsId: string, sock: TcpSock, why: Fact): TcpSock {
  if (sock.state !== 'ESTAB' && sock.state !== 'CLOSE-WAIT') return sock;
  const state = sock.state === 'ESTAB' ? 'FIN-WAIT-1' : 'LAST-ACK';
  return tcpTransmit(env, netnsId, { ...sock, state }, { fin: true, ack: true }, why);
}

/**
 * close(): the program lets go and the kernel finishes the connection on its
 * own (an orphan). `why` says who closes; what goes on the wire is added here.
 */
export function tcpClose(env: TcpEnv, netnsId: string, sock: TcpSock, why: Fact | undefined): void {
  const closer = why ? { closer: why } : {};
  const orphan: TcpSock = { ...sock, owner: NO_OWNER };
  if (sock.state === 'SYN-SENT' || sock.state === 'SYN-RECV') {
    dropSock(env.dp().world, netnsId, sock);
    return;
  }
  // The peer's FIN takes a sequence number but is no data.
  const finIn = sock.state === 'CLOSE-WAIT' ? 1 : 0;
  const unread = u32(sock.tcp.rcvNxt - sock.tcp.copiedSeq) - finIn;
  if (unread > 0 && (sock.state === 'ESTAB' || sock.state === 'CLOSE-WAIT')) {
    // tcp_close: "data was unread" — RFC 2525 §2.17 says reset rather than FIN.
    tcpTransmit(
      env,
      netnsId,
      orphan,
      { rst: true, ack: true },
      { type: 'tcp.close', ...closer, how: 'rst', unread },
    );
    dropSock(env.dp().world, netnsId, sock);
    return;
  }
  if (sock.state === 'ESTAB') {
    tcpShutdown(env, netnsId, orphan, { type: 'tcp.close', ...closer, how: 'fin', unread: 0 });
    return;
  }
  if (sock.state === 'CLOSE-WAIT') {
    tcpShutdown(env, netnsId, orphan, { type: 'tcp.close', ...closer, how: 'last-fin', unread: 0 });
    return;
  }
  putSock(env.dp().world, netnsId, orphan);
}

/** tcp_time_wait: the socket becomes a TIME-WAIT entry (if the caller has not written it so) for 60 s, then goes. */
export function tcpTimeWait(env: TcpEnv, netnsId: string, sock: TcpSock): TcpSock {
  const dp = env.dp();
  const tw =
    sock.state === 'TIME-WAIT'
      ? sock
      : putSock(dp.world, netnsId, { ...sock, state: 'TIME-WAIT', owner: NO_OWNER });
  // A background timer: it only ages state, so a trace does not wait 60 s for it.
  dp.timer(TCP_TIMEWAIT_LEN_US, () => {
    const now = stillThere(dp.world, netnsId, tw);
    if (now?.state !== 'TIME-WAIT') return;
    dropSock(dp.world, netnsId, now);
    noteTcp(env, netnsId, `${endpoint(now.localAddr, now.localPort)} TIME-WAIT over`, {
      type: 'tcp.time-wait-over',
      who: dp.label(netnsId),
      peer: endpoint(now.peerAddr, now.peerPort),
      seconds: TCP_TIMEWAIT_LEN_US / 1e6,
    });
  });
  return tw;
}
