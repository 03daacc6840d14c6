/**
 * TCP, the whole life of a connection, as Linux lives it (net/ipv4/tcp*.c).
 * This file is the protocol's entry points — connect(), tcp_v4_rcv, ICMP
 * errors, a process's exit — and the SYN retransmission timer; the rest is
 * split by concept:
 *   tcp-sock     sockets in Netns.sockets (the per-step store) and lookup
 *   tcp-output   segments as Linux builds them, and tcp_v4_send_reset
 *   tcp-listen   LISTEN sockets, request sockets, the passive open
 *   tcp-input    SYN-SENT and the synchronized states
 *   tcp-close    FIN, close(), TIME-WAIT
 *   tcp-timer    RTO, delayed-ACK and TIME-WAIT values; timers that stop
 *   tcp-port     connect()'s even ephemeral ports
 *   tcp-secure   ISN, TS offset and port offset from keyed hashes
 *   tcp-program  the processes: nc as client, the listening programs
 * See linux-reference/README.md §1 and §4 for the bytes.
 */
import type { Ipv4Repr } from '../wire/ipv4.ts';
import type { TcpRepr } from '../wire/tcp.ts';
import { noteTcp, tcpClose } from './tcp-close.ts';
import type { TcpEnv, TransportHooks } from './tcp-env.ts';
import { tcpRng } from './tcp-env.ts';
import { connectedInput, synSentInput } from './tcp-input.ts';
import { listenInput, requestInput } from './tcp-listen.ts';
import { advmss, initialWindow, sendReset, tcpTransmit, WINDOW_SCALE } from './tcp-output.ts';
import { ephemeralPort, localPortRange } from './tcp-port.ts';
import { createPrograms, type ConnectOptions } from './tcp-program.ts';
import { secureSeq, secureTsOff } from './tcp-secure.ts';
import {
  dropSock,
  endpoint,
  findConnection,
  findListener,
  stillThere,
  type TcpSock,
} from './tcp-sock.ts';
import { armTimer, synLinearTimeouts, synRetransmitLimit, synRto } from './tcp-timer.ts';
import type { Dataplane } from './types.ts';

export type { ConnectOptions, TransportHooks };
export { advmss, initialWindow, WINDOW_SCALE };

export interface Tcp {
  /** A program in the namespace (container `owner`) calls connect() to dst:port. */
  connect(
    netnsId: string,
    src: string,
    dst: string,
    port: number,
    target: string,
    options?: ConnectOptions & { readonly owner?: string },
  ): void;
  /** tcp_v4_rcv: a segment arrives for one of the namespace's addresses. */
  input(netnsId: string, dev: string, ip: Ipv4Repr, seg: TcpRepr, frame?: Uint8Array): void;
  /** A segment we sent could not be delivered (no route, no ARP reply, ICMP unreachable). */
  unreachable(
    netnsId: string,
    ip: Ipv4Repr,
    ports: { readonly srcPort: number; readonly dstPort: number } | undefined,
    reason: string,
  ): void;
  /** A container's process exits: the kernel closes every socket it held. */
  exit(netnsId: string, owner: string): void;
}

/** The errno connect() fails with for an undelivered SYN (icmp_err_convert; a local failure is ENETUNREACH or EHOSTUNREACH). */
function connectError(reason: string): [string, string] {
  if (reason === 'Network is unreachable' || reason === 'Destination Net Unreachable')
    return ['ENETUNREACH', 'Network is unreachable'];
  if (reason === 'Destination Port Unreachable') return ['ECONNREFUSED', 'Connection refused'];
  if (reason === 'Destination Protocol Unreachable')
    return ['ENOPROTOOPT', 'Protocol not available'];
  return ['EHOSTUNREACH', 'No route to host'];
}

export function createTcp(dp: () => Dataplane, hooks: TransportHooks): Tcp {
  let secret: number | undefined;
  const programs = createPrograms(() => env);
  const env: TcpEnv = {
    dp,
    hooks,
    user: programs,
    secret: () => (secret ??= dp().rng.u32()),
    perturb: new Map(),
  };

  /** The SYN still waits for an answer: nothing since it was (re)sent. */
  function unanswered(netnsId: string, sock: TcpSock): TcpSock | undefined {
    const now = stillThere(dp().world, netnsId, sock);
    return now?.state === 'SYN-SENT' && now.tcp.retransmits === sock.tcp.retransmits
      ? now
      : undefined;
  }

  function armSynTimer(netnsId: string, sock: TcpSock, delayUs: number): void {
    armTimer(
      dp(),
      delayUs,
      () => unanswered(netnsId, sock) !== undefined,
      () => synTimer(netnsId, sock),
    );
  }

  function synTimer(netnsId: string, sock: TcpSock): void {
    const d = dp();
    const now = unanswered(netnsId, sock);
    if (!now) return;
    const ns = d.world.netns(netnsId);
    const limit = synRetransmitLimit(ns);
    const linear = synLinearTimeouts(ns);
    const waited = synRto(now.tcp.retransmits, linear);
    if (now.tcp.retransmits >= limit) {
      dropSock(d.world, netnsId, now);
      let total = 0;
      for (let k = 0; k <= limit; k++) total += synRto(k, linear);
      noteTcp(
        env,
        netnsId,
        'connect: Connection timed out',
        `No answer to ${limit + 1} SYNs: ${waited / 1e6} s after the last one connect() fails with ETIMEDOUT ("Connection timed out"), ${total / 1e6} s after it began — tcp_syn_retries + tcp_syn_linear_timeouts (${linear}) = ${limit} retransmissions.`,
      );
      programs.failed(netnsId, now, 'Connection timed out');
      return;
    }
    const n = now.tcp.retransmits + 1;
    const next = synRto(n, linear);
    const sent = tcpTransmit(
      env,
      netnsId,
      { ...now, tcp: { ...now.tcp, retransmits: n } },
      { syn: true },
      `No SYN-ACK ${waited / 1e6} s after the last SYN: the retransmission timer sends it again (retransmission ${n}; same sequence number and options, a new TSval, IP ID +1). With tcp_syn_linear_timeouts = ${linear} the first ${linear} waits stay at 1 s, then each doubles; the next is ${next / 1e6} s.`,
    );
    armSynTimer(netnsId, sent, next);
  }

  function noSocket(netnsId: string, ip: Ipv4Repr, seg: TcpRepr): void {
    const d = dp();
    const ns = d.world.netns(netnsId);
    const who = d.label(netnsId);
    const from = endpoint(ip.srcAddr, seg.srcPort);
    if (seg.flags.syn && !seg.flags.ack) {
      sendReset(
        d,
        netnsId,
        ip,
        seg,
        `Nothing in ${who} listens on TCP port ${seg.dstPort}, so its kernel answers the SYN with RST,ACK (IP ID 0).`,
      );
      return;
    }
    const waiting = (ns.sockets ?? []).find(
      (s) => s.state === 'SYN-SENT' && s.localPort === seg.dstPort && s.localAddr === ip.dstAddr,
    );
    const mine = endpoint(ip.dstAddr, seg.dstPort);
    const why = waiting
      ? ` ${who}'s connect() from ${mine} waits for an answer from ${endpoint(waiting.peerAddr!, waiting.peerPort!)}, not from ${from}: a reply that skipped the reverse NAT (conntrack never saw it) matches no socket.`
      : '';
    sendReset(
      d,
      netnsId,
      ip,
      seg,
      `No socket in ${who} has the 4-tuple ${mine} ↔ ${from}.${why} The kernel answers with RST (tcp_v4_send_reset): ${seg.flags.ack ? "seq = the segment's ack, no ACK flag" : 'RST,ACK acknowledging the segment'}, window 0, no options, IP ID 0.${waiting ? ' The connect() keeps waiting and retransmits its SYN.' : ''}`,
    );
  }

  return {
    connect(netnsId, src, dst, port, target, options = {}) {
      const d = dp();
      const ns = d.world.netns(netnsId);
      const who = d.label(netnsId);
      const local = ephemeralPort(env, ns, src, dst, port);
      if (local === undefined) {
        noteTcp(
          env,
          netnsId,
          'connect: Cannot assign requested address',
          `Every port of ip_local_port_range is in use toward ${dst}:${port}, so connect() fails with EADDRNOTAVAIL.`,
        );
        return;
      }
      const mss = advmss(hooks.mtu(netnsId, dst));
      const iss = secureSeq(env.secret(), src, dst, local, port, d.world.timeUs);
      const sock: TcpSock = {
        protocol: 'tcp',
        state: 'SYN-SENT',
        localAddr: src,
        localPort: local,
        peerAddr: dst,
        peerPort: port,
        owner: options.owner ?? '',
        tcp: {
          iss,
          irs: 0,
          sndUna: iss,
          sndNxt: iss,
          rcvNxt: 0,
          copiedSeq: 0,
          tsOffset: secureTsOff(env.secret(), src, dst, local, port),
          tsRecent: 0,
          ipId: tcpRng(env).int(1, 0xffff),
          rcvWnd: initialWindow(mss),
          mss,
          retransmits: 0,
          ackPending: false,
        },
      };
      programs.connecting(netnsId, sock, options, target);
      const [low, high] = localPortRange(ns);
      const sent = tcpTransmit(
        env,
        netnsId,
        sock,
        { syn: true },
        `${who} calls connect() to ${target}:${port}. The kernel picks ephemeral port ${local} (ip_local_port_range ${low}–${high}; connect() takes even ports, leaving odd ones to bind()) and sends a SYN: MSS ${mss} (MTU less 40 bytes of IP and TCP headers), SACK_PERM, timestamps, NOP, window scale ${WINDOW_SCALE}, window ${sock.tcp.rcvWnd}; SYN-SENT, Send-Q 1 (the SYN).`,
      );
      armSynTimer(netnsId, sent, synRto(0, synLinearTimeouts(ns)));
    },

    input(netnsId, dev, ip, seg, frame) {
      const ns = dp().world.netns(netnsId);
      const sock = findConnection(ns, ip.dstAddr, seg.dstPort, ip.srcAddr, seg.srcPort);
      if (sock?.state === 'SYN-SENT') return synSentInput(env, netnsId, sock, seg, frame, dev);
      if (sock?.state === 'SYN-RECV') {
        const child = requestInput(env, netnsId, sock, ip, seg, frame, dev);
        if (child && (seg.payload.length > 0 || seg.flags.fin))
          connectedInput(env, netnsId, child, seg, frame, dev);
        return;
      }
      if (sock?.state === 'TIME-WAIT') return;
      if (sock) return connectedInput(env, netnsId, sock, seg, frame, dev);
      const listener = findListener(ns, ip.dstAddr, seg.dstPort);
      if (listener) return listenInput(env, netnsId, listener, ip, seg);
      if (!seg.flags.rst) noSocket(netnsId, ip, seg);
    },

    unreachable(netnsId, ip, ports, reason) {
      const ns = dp().world.findNetns(netnsId);
      if (!ns || !ports) return;
      const sock = findConnection(ns, ip.srcAddr, ports.srcPort, ip.dstAddr, ports.dstPort);
      if (sock?.state !== 'SYN-SENT') return;
      dropSock(dp().world, netnsId, sock);
      const [errno, error] = connectError(reason);
      noteTcp(
        env,
        netnsId,
        `connect: ${error}`,
        `The SYN to ${ip.dstAddr} could not be delivered (${reason}), so connect() fails with ${errno} ("${error}"): an error for a SYN-SENT socket ends the attempt at once (tcp_v4_err).`,
        undefined,
        'eth0',
      );
      programs.failed(netnsId, sock, error);
    },

    exit(netnsId, owner) {
      const world = dp().world;
      const ns = world.findNetns(netnsId);
      if (!ns) return;
      for (const s of ns.sockets ?? []) {
        if (s.protocol !== 'tcp' || s.owner !== owner) continue;
        if (s.state === 'LISTEN') dropSock(world, netnsId, s);
        else
          tcpClose(
            env,
            netnsId,
            s as TcpSock,
            `Container "${owner}" of ${dp().label(netnsId)} exits: the kernel closes every socket its process held, ${endpoint(s.localAddr, s.localPort)} ↔ ${endpoint(s.peerAddr!, s.peerPort!)} among them.`,
          );
      }
    },
  };
}
