/**
 * A segment for a connection's socket (net/ipv4/tcp_input.c,
 * tcp_rcv_synsent_state_process and tcp_rcv_state_process), for in-order
 * segments — the only kind our links deliver:
 * - SYN-SENT: a SYN-ACK acknowledging our SYN establishes the connection
 *   and is ACKed at once; an RST with that ACK refuses it (ECONNREFUSED);
 * - ESTAB and the closing states: an ACK moves snd_una, and once it covers
 *   our FIN, FIN-WAIT-1 → FIN-WAIT-2, CLOSING → TIME-WAIT, LAST-ACK → CLOSED;
 *   data is ACKed at once (quick-ack mode, as a connection starts: reference
 *   same-node frame 9 comes 7 µs after the data); a FIN takes ESTAB to
 *   CLOSE-WAIT with its ACK delayed (tcp_fin enters pingpong mode), so it
 *   normally rides on the program's own FIN (frame 11: FIN,ACK, no bare ACK
 *   before it); in FIN-WAIT-2 a FIN is ACKed and the socket enters TIME-WAIT.
 * - TIME-WAIT drops what arrives (the re-ACK of a retransmitted FIN is not modelled).
 */
import type { TcpRepr } from '../wire/tcp.ts';
import { noteTcp, tcpTimeWait } from './tcp-close.ts';
import type { TcpEnv } from './tcp-env.ts';
import { scaledWindow, tcpTransmit, WINDOW_SCALE } from './tcp-output.ts';
import {
  dropSock,
  endpoint,
  NO_OWNER,
  putSock,
  stillThere,
  u32,
  type TcpSock,
} from './tcp-sock.ts';
import { armTimer, TCP_DELACK_MIN_US } from './tcp-timer.ts';
import { DEFAULT_MSS, TIMESTAMPS_LEN } from './tcp-listen.ts';

const timestampOf = (seg: TcpRepr) => {
  const ts = seg.options.find((o) => o.kind === 'timestamps');
  return ts?.kind === 'timestamps' ? ts.tsval : undefined;
};

/** Whether `ack` acknowledges something new and nothing we never sent. */
const acceptable = (s: TcpSock, ack: number) =>
  u32(ack - s.tcp.sndUna) > 0 && u32(ack - s.tcp.sndUna) <= u32(s.tcp.sndNxt - s.tcp.sndUna);

export function synSentInput(
  env: TcpEnv,
  netnsId: string,
  sock: TcpSock,
  seg: TcpRepr,
  frame: Uint8Array | undefined,
  dev: string,
): void {
  const dp = env.dp();
  const who = dp.label(netnsId);
  if (!seg.flags.ack || seg.ack !== u32(sock.tcp.iss + 1)) return;
  if (seg.flags.rst) {
    dropSock(dp.world, netnsId, sock);
    noteTcp(env, netnsId, 'connect: Connection refused', { type: 'tcp.refused' }, frame, dev);
    env.user.failed(netnsId, sock, 'Connection refused');
    return;
  }
  if (!seg.flags.syn) return;
  const rcvNxt = u32(seg.seq + 1);
  const window = scaledWindow(sock.tcp.rcvWnd);
  const peerMss = seg.options.find((o) => o.kind === 'mss')?.value ?? DEFAULT_MSS;
  const open = tcpTransmit(
    env,
    netnsId,
    {
      ...sock,
      state: 'ESTAB',
      tcp: {
        ...sock.tcp,
        irs: seg.seq,
        rcvNxt,
        copiedSeq: rcvNxt,
        sndUna: seg.ack,
        tsRecent: timestampOf(seg) ?? 0,
        sndMss: Math.min(sock.tcp.mss, peerMss) - TIMESTAMPS_LEN,
      },
    },
    { ack: true },
    {
      type: 'tcp.established',
      who,
      windowField: window,
      wscale: WINDOW_SCALE,
      rcvWnd: sock.tcp.rcvWnd,
    },
  );
  env.user.established(netnsId, open);
}

/** ESTAB, FIN-WAIT-1/2, CLOSE-WAIT, CLOSING, LAST-ACK. */
export function connectedInput(
  env: TcpEnv,
  netnsId: string,
  sock: TcpSock,
  seg: TcpRepr,
  frame: Uint8Array | undefined,
  dev: string,
): void {
  const dp = env.dp();
  const who = dp.label(netnsId);
  const them = endpoint(sock.peerAddr, sock.peerPort);
  const me = endpoint(sock.localAddr, sock.localPort);
  if (seg.flags.rst) {
    if (seg.seq !== sock.tcp.rcvNxt) return;
    dropSock(dp.world, netnsId, sock);
    noteTcp(
      env,
      netnsId,
      `${me}: Connection reset by peer`,
      { type: 'tcp.reset-by-peer', who, peer: them },
      frame,
      dev,
    );
    env.user.failed(netnsId, sock, 'Connection reset by peer');
    return;
  }
  if (seg.flags.syn) {
    // A SYN on a synchronized connection (a duplicate SYN-ACK): RFC 5961's challenge ACK.
    tcpTransmit(env, netnsId, sock, { ack: true }, { type: 'tcp.challenge-ack', who, me });
    return;
  }
  if (!seg.flags.ack) return;
  if (seg.seq !== sock.tcp.rcvNxt) {
    const end = u32(seg.seq + seg.payload.length + (seg.flags.fin ? 1 : 0));
    const old = ((seg.seq - sock.tcp.rcvNxt) | 0) < 0;
    if (!old || end === seg.seq) return;
    const to = ((end - sock.tcp.rcvNxt) | 0) > 0 ? sock.tcp.rcvNxt : end;
    tcpTransmit(
      env,
      netnsId,
      sock,
      { ack: true },
      { type: 'tcp.dsack', who, len: seg.payload.length, seq: seg.seq, end },
      undefined,
      [seg.seq, to],
    );
    return;
  }

  let s: TcpSock = {
    ...sock,
    tcp: { ...sock.tcp, tsRecent: timestampOf(seg) ?? sock.tcp.tsRecent },
  };
  if (acceptable(s, seg.ack)) s = { ...s, tcp: { ...s.tcp, sndUna: seg.ack } };
  const finAcked = s.tcp.sndUna === s.tcp.sndNxt;
  if (finAcked && s.state === 'LAST-ACK') {
    dropSock(dp.world, netnsId, s);
    noteTcp(env, netnsId, `${me} closed`, { type: 'tcp.last-ack-closed', who }, frame, dev);
    return;
  }
  if (finAcked && s.state === 'FIN-WAIT-1') s = { ...s, state: 'FIN-WAIT-2' };
  if (finAcked && s.state === 'CLOSING') {
    tcpTimeWait(env, netnsId, s);
    return;
  }

  const len = seg.payload.length;
  const takesData = s.state === 'ESTAB' || s.state === 'FIN-WAIT-1' || s.state === 'FIN-WAIT-2';
  if (len > 0 && takesData) {
    s = { ...s, tcp: { ...s.tcp, rcvNxt: u32(s.tcp.rcvNxt + len), ackPending: true } };
  }
  if (!seg.flags.fin) {
    if (len > 0 && takesData) {
      s = tcpTransmit(
        env,
        netnsId,
        s,
        { ack: true },
        {
          type: 'tcp.data-ack',
          who,
          me,
          len,
          windowField: scaledWindow(s.tcp.rcvWnd),
          rcvWnd: s.tcp.rcvWnd,
        },
      );
      env.user.readable(netnsId, s, seg.payload);
    } else {
      putSock(dp.world, netnsId, s);
    }
    return;
  }
  const data = len > 0 && takesData ? seg.payload : undefined;
  finInput(
    env,
    netnsId,
    { ...s, tcp: { ...s.tcp, rcvNxt: u32(s.tcp.rcvNxt + 1) } },
    frame,
    dev,
    data,
  );
}

/** tcp_fin: the peer has nothing more to send. */
function finInput(
  env: TcpEnv,
  netnsId: string,
  s: TcpSock,
  frame: Uint8Array | undefined,
  dev: string,
  /** Data that came with the FIN, for the program. */
  data?: Uint8Array,
): void {
  const dp = env.dp();
  const who = dp.label(netnsId);
  const them = endpoint(s.peerAddr, s.peerPort);
  const me = endpoint(s.localAddr, s.localPort);
  if (s.state === 'ESTAB') {
    const waiting = putSock(dp.world, netnsId, {
      ...s,
      state: 'CLOSE-WAIT',
      tcp: { ...s.tcp, ackPending: true },
    });
    noteTcp(
      env,
      netnsId,
      `${me} CLOSE-WAIT`,
      { type: 'tcp.close-wait', who, peer: them, delackMs: TCP_DELACK_MIN_US / 1000 },
      frame,
      dev,
    );
    armTimer(
      dp,
      TCP_DELACK_MIN_US,
      () => stillThere(dp.world, netnsId, waiting)?.tcp.ackPending === true,
      () => delayedAck(env, netnsId, waiting),
    );
    env.user.readable(netnsId, waiting, data);
    return;
  }
  if (s.state === 'FIN-WAIT-1') {
    tcpTransmit(
      env,
      netnsId,
      { ...s, state: 'CLOSING' },
      { ack: true },
      { type: 'tcp.closing', who, peer: them },
    );
    return;
  }
  if (s.state === 'FIN-WAIT-2') {
    // The program reads the end of the stream and exits: nothing more goes on the wire.
    const tw = tcpTransmit(
      env,
      netnsId,
      { ...s, state: 'TIME-WAIT', owner: NO_OWNER },
      { ack: true },
      { type: 'tcp.time-wait', who, peer: them },
    );
    tcpTimeWait(env, netnsId, tw);
    return;
  }
  putSock(dp.world, netnsId, s);
}

/** The delayed-ACK timer (tcp_delack_timer): the ACK goes alone if nothing carried it meanwhile. */
function delayedAck(env: TcpEnv, netnsId: string, sock: TcpSock): void {
  const now = stillThere(env.dp().world, netnsId, sock);
  if (!now?.tcp.ackPending) return;
  tcpTransmit(
    env,
    netnsId,
    now,
    { ack: true },
    {
      type: 'tcp.delayed-ack',
      me: endpoint(now.localAddr, now.localPort),
      ms: TCP_DELACK_MIN_US / 1000,
    },
  );
}
