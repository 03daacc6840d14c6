/**
 * The programs behind UDP sockets, and the two ways they send: from a bound,
 * unconnected socket with sendto() (a server answering on :53), and from a
 * connected socket that connect() autobound to a random port (a resolver's
 * query, CoreDNS's forward to its upstream).
 *
 * A program is looked up by the socket the kernel delivered to (udp.ts), so
 * a datagram to a socket with no program is only received, as before.
 *
 * IP IDs (ip_select_ident): a DF datagram from a connected socket carries
 * the socket's inet_id, random at connect() (ip4_datagram_connect) and +1
 * per datagram; from an unconnected socket a DF datagram carries ID 0.
 */
import type { Socket } from '../model.ts';
import type { Fact } from '../narration/facts.ts';
import { IP_PROTO_UDP } from '../wire/ipv4.ts';
import { emitUdp } from '../wire/udp.ts';
import { ipPacket } from './frames.ts';
import { sendIp } from './ip-output.ts';
import { ipRepr } from './ip-repr.ts';
import { localPortRange } from './tcp-port.ts';
import type { Dataplane, Skb } from './types.ts';
import type { World } from './world.ts';
import type { Rng } from '../engine/rng.ts';

export interface Datagram {
  readonly netns: string;
  readonly src: string;
  readonly srcPort: number;
  readonly dst: string;
  readonly dstPort: number;
  readonly payload: Uint8Array;
  readonly skb: Skb;
}

/** What a program does when a datagram reaches its socket (recvfrom() returns). */
export type UdpProgram = (dp: Dataplane, d: Datagram) => void;

interface Registry {
  readonly programs: Map<string, UdpProgram>;
  /** inet_id of connected sockets, by socket key. */
  readonly ids: Map<string, number>;
  /** Its own stream, so programs' randomness shifts nothing else. */
  readonly rng: Rng;
  /** The servers behind bound sockets (CoreDNS on :53), found by their socket. */
  servers?: (netns: string, sock: Socket) => UdpProgram | undefined;
}

const REGISTRY = new WeakMap<World, Registry>();

function registry(dp: { readonly world: World; readonly rng: Rng }): Registry {
  let r = REGISTRY.get(dp.world);
  if (!r)
    REGISTRY.set(
      dp.world,
      (r = { programs: new Map(), ids: new Map(), rng: dp.rng.fork('udp-programs') }),
    );
  return r;
}

/** The stream UDP programs draw from (query IDs, inet_id). */
export function programRng(dp: Dataplane): Rng {
  return registry(dp).rng;
}

const sockKey = (
  netns: string,
  s: Pick<Socket, 'localAddr' | 'localPort' | 'peerAddr' | 'peerPort'>,
) => `${netns}|${s.localAddr}:${s.localPort}|${s.peerAddr ?? '*'}:${s.peerPort ?? '*'}`;

/** A program reads from the socket `sock` in `netns`. */
export function attachUdpProgram(
  dp: Dataplane,
  netns: string,
  sock: Socket,
  program: UdpProgram,
): void {
  registry(dp).programs.set(sockKey(netns, sock), program);
}

export function udpProgramOf(dp: Dataplane, netns: string, sock: Socket): UdpProgram | undefined {
  const r = REGISTRY.get(dp.world);
  return r?.programs.get(sockKey(netns, sock)) ?? r?.servers?.(netns, sock);
}

/** The program registry's server table: which program runs behind a bound socket. */
export function setUdpServers(
  dp: Dataplane,
  servers: (netns: string, sock: Socket) => UdpProgram | undefined,
): void {
  registry(dp).servers = servers;
}

/** sendto() from a bound, unconnected socket: DF set, IP ID 0. */
export function udpSendTo(
  dp: Dataplane,
  netns: string,
  from: { readonly addr: string; readonly port: number },
  dst: string,
  dstPort: number,
  payload: Uint8Array,
  why: Fact,
): void {
  const udp = emitUdp({ srcPort: from.port, dstPort, payload }, from.addr, dst);
  sendIp(dp, netns, ipPacket(ipRepr(IP_PROTO_UDP, from.addr, dst, 0, true), udp), why);
}

/** A connected UDP socket on a random free port of ip_local_port_range, added to the namespace. */
export function udpAutobind(
  dp: Dataplane,
  netns: string,
  src: string,
  dst: string,
  dstPort: number,
  owner: string,
): Socket {
  const ns = dp.world.netns(netns);
  const [low, high] = localPortRange(ns);
  const used = new Set(
    (ns.sockets ?? []).filter((s) => s.protocol === 'udp').map((s) => s.localPort),
  );
  let port = dp.rng.int(low, high);
  while (used.has(port)) port = port === high ? low : port + 1;
  const sock: Socket = {
    protocol: 'udp',
    state: 'ESTAB',
    localAddr: src,
    localPort: port,
    peerAddr: dst,
    peerPort: dstPort,
    owner,
    recvQ: 0,
    sendQ: 0,
  };
  dp.world.setNetns({ ...ns, sockets: [...(ns.sockets ?? []), sock] });
  return sock;
}

/**
 * socket() + connect(): a UDP socket autobound to a random free port of
 * ip_local_port_range (udp_lib_get_port, no parity rule), ESTAB in ss.
 */
export function udpConnect(
  dp: Dataplane,
  netns: string,
  src: string,
  dst: string,
  dstPort: number,
  owner: string,
  program: UdpProgram,
): Socket {
  const sock = udpAutobind(dp, netns, src, dst, dstPort, owner);
  const r = registry(dp);
  r.programs.set(sockKey(netns, sock), program);
  r.ids.set(sockKey(netns, sock), r.rng.int(0, 0xffff));
  return sock;
}

/** write() on a connected UDP socket: DF set, the socket's inet_id. */
export function udpWrite(
  dp: Dataplane,
  netns: string,
  sock: Socket,
  payload: Uint8Array,
  why: Fact,
): void {
  const r = registry(dp);
  const key = sockKey(netns, sock);
  const id = r.ids.get(key) ?? 0;
  r.ids.set(key, (id + 1) & 0xffff);
  const udp = emitUdp(
    { srcPort: sock.localPort, dstPort: sock.peerPort!, payload },
    sock.localAddr,
    sock.peerAddr!,
  );
  sendIp(
    dp,
    netns,
    ipPacket(ipRepr(IP_PROTO_UDP, sock.localAddr, sock.peerAddr!, id, true), udp),
    why,
  );
}

/** close(): the socket goes; UDP sends nothing. */
export function udpCloseSocket(dp: Dataplane, netns: string, sock: Socket): void {
  const ns = dp.world.findNetns(netns);
  const key = sockKey(netns, sock);
  const r = registry(dp);
  r.programs.delete(key);
  r.ids.delete(key);
  if (!ns?.sockets) return;
  const sockets = ns.sockets.filter((s) => s.protocol !== 'udp' || sockKey(netns, s) !== key);
  if (sockets.length !== ns.sockets.length) dp.world.setNetns({ ...ns, sockets });
}
