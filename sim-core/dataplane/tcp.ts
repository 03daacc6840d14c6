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
      noteTcp(env, netnsId, 'connect: Connection timed out', {
        type: 'tcp.timed-out',
        syns: limit + 1,
        waitedS: waited / 1e6,
        totalS: total / 1e6,
        linear,
        retransmissions: limit,
      });
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
      { type: 'tcp.syn-retransmit', waitedS: waited / 1e6, n, linear, nextS: next / 1e6 },
    );
    armSynTimer(netnsId, sent, next);
  }

  function noSocket(netnsId: string, ip: Ipv4Repr, seg: TcpRepr): void {
    const d = dp();
    const ns = d.world.netns(netnsId);
    const who = d.label(netnsId);
    const from = endpoint(ip.srcAddr, seg.srcPort);
    if (seg.flags.syn && !seg.flags.ack) {
      sendReset(d, netnsId, ip, seg, { type: 'tcp.rst-no-listener', who, port: seg.dstPort });
      return;
    }
    const waiting = (ns.sockets ?? []).find(
      (s) => s.state === 'SYN-SENT' && s.localPort === seg.dstPort && s.localAddr === ip.dstAddr,
    );
    const mine = endpoint(ip.dstAddr, seg.dstPort);
    sendReset(d, netnsId, ip, seg, {
      type: 'tcp.rst-no-socket',
      who,
      mine,
      from,
      ...(waiting ? { waitingFor: endpoint(waiting.peerAddr!, waiting.peerPort!) } : {}),
      ack: seg.flags.ack,
    });
  }

  return {
    connect(netnsId, src, asked, askedPort, target, options = {}) {
      const d = dp();
      const ns = d.world.netns(netnsId);
      const who = d.label(netnsId);
      // A cgroup connect4 program (Cilium's socket LB) may rewrite the sockaddr before anything is routed.
      const xlate = d.connect4?.(d, netnsId, 'TCP', asked, askedPort);
      const dst = xlate?.dst ?? asked;
      const port = xlate?.port ?? askedPort;
      const local = ephemeralPort(env, ns, src, dst, port);
      if (local === undefined) {
        noteTcp(env, netnsId, 'connect: Cannot assign requested address', {
          type: 'tcp.no-port',
          dst,
          port,
        });
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
        ...(xlate ? { sockPeer: xlate.peer } : {}),
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
        {
          type: 'tcp.connect',
          who,
          target,
          port,
          ...(xlate ? { sockLb: { asked: xlate.peer, to: `${dst}:${port}` } } : {}),
          local,
          low,
          high,
          mss,
          wscale: WINDOW_SCALE,
          window: sock.tcp.rcvWnd,
        },
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
        { type: 'tcp.connect-error', dst: ip.dstAddr, reason, errno, error },
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
          tcpClose(env, netnsId, s as TcpSock, {
            type: 'tcp.exit',
            who: dp().label(netnsId),
            owner,
            local: endpoint(s.localAddr, s.localPort),
            peer: endpoint(s.peerAddr!, s.peerPort!),
          });
      }
    },
  };
}
