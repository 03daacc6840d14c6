/**
 * Listening sockets and the passive open (net/ipv4/tcp_ipv4.c,
 * tcp_minisocks.c). A container's process listens on each TCP containerPort
 * it declares: `0.0.0.0:PORT`, LISTEN, owned by the container — the kubelet
 * adds them when the container starts, and they go when it exits.
 *
 * A SYN to a listener makes a request socket (SYN-RECV; ss lists it) that
 * answers SYN-ACK: ISN and TS offset from the 4-tuple's keyed hash, IP ID 0.
 * The ACK completing the handshake turns it into a full socket (tcp_check_req
 * → tcp_v4_syn_recv_sock) with a random IP ID base of its own, and accept()
 * hands it to the program. An RST drops the request; a segment with ACK to
 * a listener that has no request for it is answered with RST.
 */
import type { ContainerStatus, Netns, Socket } from '../model.ts';
import type { Ipv4Repr } from '../wire/ipv4.ts';
import type { TcpRepr } from '../wire/tcp.ts';
import { noteTcp } from './tcp-close.ts';
import type { TcpEnv } from './tcp-env.ts';
import { tcpRng } from './tcp-env.ts';
import { advmss, initialWindow, sendReset, tcpTransmit } from './tcp-output.ts';
import { secureSeq, secureTsOff } from './tcp-secure.ts';
import { dropSock, endpoint, putSock, u32, type TcpSock } from './tcp-sock.ts';

/** listen(fd, SOMAXCONN), as Go's net package and most servers call it; net.core.somaxconn caps it at 4096. */
export const LISTEN_BACKLOG = 4096;
/** The MSS a peer's SYN implies when it carries none (RFC 9293 §3.7.1). */
export const DEFAULT_MSS = 536;
/** The timestamps option every segment after the handshake carries (NOP, NOP, TS). */
export const TIMESTAMPS_LEN = 12;

/** The LISTEN sockets of a container's declared TCP ports, added to its pod's namespace. */
export function listenSockets(
  ns: Netns,
  containers: readonly Pick<ContainerStatus, 'name' | 'ports'>[],
): Netns {
  const have = ns.sockets ?? [];
  // A UDP port a container declares is a bound socket (ss: UNCONN 0.0.0.0:PORT).
  const udp: Socket[] = containers.flatMap((c) =>
    c.ports
      .filter((p) => p.protocol === 'UDP')
      .filter((p) => !have.some((s) => s.protocol === 'udp' && s.localPort === p.containerPort))
      .map((p) => ({
        protocol: 'udp' as const,
        state: 'UNCONN',
        localAddr: '0.0.0.0',
        localPort: p.containerPort,
        owner: c.name,
        recvQ: 0,
        sendQ: 0,
      })),
  );
  const added: Socket[] = containers.flatMap((c) =>
    c.ports
      .filter((p) => p.protocol === 'TCP')
      .filter((p) => !have.some((s) => s.state === 'LISTEN' && s.localPort === p.containerPort))
      .map((p) => ({
        protocol: 'tcp' as const,
        state: 'LISTEN',
        localAddr: '0.0.0.0',
        localPort: p.containerPort,
        owner: c.name,
        recvQ: 0,
        sendQ: LISTEN_BACKLOG,
      })),
  );
  return added.length || udp.length ? { ...ns, sockets: [...have, ...added, ...udp] } : ns;
}

/** The container's process is gone: so are its listening sockets. */
export function withoutListeners(ns: Netns, owner: string): Netns {
  const have = ns.sockets ?? [];
  const kept = have.filter(
    (s) => !((s.state === 'LISTEN' || s.state === 'UNCONN') && s.owner === owner),
  );
  return kept.length === have.length ? ns : { ...ns, sockets: kept };
}

const timestampOf = (seg: TcpRepr) => {
  const ts = seg.options.find((o) => o.kind === 'timestamps');
  return ts?.kind === 'timestamps' ? ts.tsval : 0;
};

/** tcp_rcv_state_process in LISTEN, and tcp_conn_request for a SYN. */
export function listenInput(
  env: TcpEnv,
  netnsId: string,
  listener: Socket,
  ip: Ipv4Repr,
  seg: TcpRepr,
): void {
  const dp = env.dp();
  const who = dp.label(netnsId);
  if (seg.flags.rst) return;
  if (seg.flags.ack || !seg.flags.syn) {
    if (seg.flags.ack)
      sendReset(dp, netnsId, ip, seg, {
        type: 'tcp.rst-listener-ack',
        who,
        from: endpoint(ip.srcAddr, seg.srcPort),
        port: seg.dstPort,
      });
    return;
  }
  const local = ip.dstAddr;
  const secret = env.secret();
  const ownMss = advmss(env.hooks.mtu(netnsId, ip.srcAddr));
  const peerMss = seg.options.find((o) => o.kind === 'mss')?.value ?? DEFAULT_MSS;
  const segSize = Math.min(ownMss, peerMss) - TIMESTAMPS_LEN;
  const iss = secureSeq(secret, local, ip.srcAddr, seg.dstPort, seg.srcPort, dp.world.timeUs);
  const request: TcpSock = {
    protocol: 'tcp',
    state: 'SYN-RECV',
    localAddr: local,
    localPort: seg.dstPort,
    peerAddr: ip.srcAddr,
    peerPort: seg.srcPort,
    owner: listener.owner,
    tcp: {
      iss,
      irs: seg.seq,
      sndUna: iss,
      sndNxt: iss,
      rcvNxt: u32(seg.seq + 1),
      copiedSeq: u32(seg.seq + 1),
      tsOffset: secureTsOff(secret, local, ip.srcAddr, seg.dstPort, seg.srcPort),
      tsRecent: timestampOf(seg),
      ipId: 0,
      rcvWnd: initialWindow(segSize),
      mss: ownMss,
      sndMss: segSize,
      retransmits: 0,
      ackPending: false,
    },
  };
  tcpTransmit(
    env,
    netnsId,
    request,
    { syn: true, ack: true },
    {
      type: 'tcp.syn-ack',
      who,
      port: seg.dstPort,
      owner: listener.owner,
      window: request.tcp.rcvWnd,
      segSize,
    },
  );
}

/** tcp_check_req: what arrives for a request socket. */
export function requestInput(
  env: TcpEnv,
  netnsId: string,
  req: TcpSock,
  ip: Ipv4Repr,
  seg: TcpRepr,
  frame: Uint8Array | undefined,
  dev: string,
): TcpSock | undefined {
  const dp = env.dp();
  const who = dp.label(netnsId);
  const them = endpoint(req.peerAddr, req.peerPort);
  if (seg.flags.rst) {
    dropSock(dp.world, netnsId, req);
    noteTcp(
      env,
      netnsId,
      `${endpoint(req.localAddr, req.localPort)}: request from ${them} reset`,
      { type: 'tcp.request-reset', who, from: them },
      frame,
      dev,
    );
    return undefined;
  }
  if (seg.flags.syn && !seg.flags.ack) {
    tcpTransmit(
      env,
      netnsId,
      req,
      { syn: true, ack: true },
      { type: 'tcp.syn-ack-again', from: them },
    );
    return undefined;
  }
  if (!seg.flags.ack || seg.ack !== u32(req.tcp.iss + 1)) {
    if (seg.flags.ack)
      sendReset(dp, netnsId, ip, seg, { type: 'tcp.rst-bad-ack', who, from: them });
    return undefined;
  }
  const child = putSock(dp.world, netnsId, {
    ...req,
    state: 'ESTAB',
    tcp: {
      ...req.tcp,
      sndUna: seg.ack,
      tsRecent: timestampOf(seg) || req.tcp.tsRecent,
      ipId: tcpRng(env).int(1, 0xffff),
    },
  });
  noteTcp(
    env,
    netnsId,
    `${endpoint(child.localAddr, child.localPort)} ESTABLISHED`,
    { type: 'tcp.accepted', who, from: them },
    frame,
    dev,
  );
  env.user.established(netnsId, child);
  return child;
}
