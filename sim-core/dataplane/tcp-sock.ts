/**
 * TCP sockets live in their namespace's `sockets` table, in the per-step
 * store: every change writes a new Socket object, so stepping back shows each
 * socket as it was, as `ss -tan` would have listed it then. The kernel's
 * per-connection state (struct tcp_sock) rides in the record as `tcp`.
 *
 * Lookup is __inet_lookup's order: a connection by its exact 4-tuple first
 * (the established hash, which also holds request and TIME-WAIT sockets),
 * then a listener on the port, bound to the address or to 0.0.0.0.
 */
import type { Netns, Socket, TcpConnection } from '../model.ts';
import type { World } from './world.ts';

/** ss's names for the states (tcp_states.h: TCP_ESTABLISHED is "ESTAB"…); CLOSED sockets are gone. */
export type TcpState =
  | 'LISTEN'
  | 'SYN-SENT'
  | 'SYN-RECV'
  | 'ESTAB'
  | 'FIN-WAIT-1'
  | 'FIN-WAIT-2'
  | 'CLOSE-WAIT'
  | 'CLOSING'
  | 'LAST-ACK'
  | 'TIME-WAIT';

/** A connection's socket: anything but LISTEN. */
export interface TcpSock extends Socket {
  readonly protocol: 'tcp';
  readonly state: Exclude<TcpState, 'LISTEN'>;
  readonly peerAddr: string;
  readonly peerPort: number;
  readonly tcp: TcpConnection;
}

/** No process holds it: after close() (orphaned FIN-WAIT), and every TIME-WAIT socket. */
export const NO_OWNER = '';

export const u32 = (n: number) => n >>> 0;

function isConnection(s: Socket): s is TcpSock {
  return s.protocol === 'tcp' && s.state !== 'LISTEN' && s.tcp !== undefined;
}

const sameTuple = (a: Socket, b: Socket) =>
  a.localAddr === b.localAddr &&
  a.localPort === b.localPort &&
  a.peerAddr === b.peerAddr &&
  a.peerPort === b.peerPort;

export function findConnection(
  ns: Netns,
  local: string,
  localPort: number,
  remote: string,
  remotePort: number,
): TcpSock | undefined {
  return (ns.sockets ?? []).find(
    (s): s is TcpSock =>
      isConnection(s) &&
      s.localPort === localPort &&
      s.peerPort === remotePort &&
      s.localAddr === local &&
      s.peerAddr === remote,
  );
}

export function findListener(ns: Netns, addr: string, port: number): Socket | undefined {
  const all = (ns.sockets ?? []).filter(
    (s) => s.protocol === 'tcp' && s.state === 'LISTEN' && s.localPort === port,
  );
  return all.find((s) => s.localAddr === addr) ?? all.find((s) => s.localAddr === '0.0.0.0');
}

/** The socket as it is now, if it is still the same connection (a timer's check before it fires). */
export function stillThere(world: World, netnsId: string, sock: TcpSock): TcpSock | undefined {
  const ns = world.findNetns(netnsId);
  if (!ns) return undefined;
  const now = findConnection(ns, sock.localAddr, sock.localPort, sock.peerAddr, sock.peerPort);
  return now?.tcp.iss === sock.tcp.iss ? now : undefined;
}

/** ss's queues, from the sequence numbers (tcp_diag_get_info); request and TIME-WAIT sockets show 0 0. */
function withQueues(s: TcpSock): TcpSock {
  const idle = s.state === 'SYN-RECV' || s.state === 'TIME-WAIT';
  const recvQ = idle ? 0 : u32(s.tcp.rcvNxt - s.tcp.copiedSeq);
  const sendQ = idle ? 0 : u32(s.tcp.sndNxt - s.tcp.sndUna);
  return s.recvQ === recvQ && s.sendQ === sendQ ? s : { ...s, recvQ, sendQ };
}

/** Writes a connection's socket: in its old place if the 4-tuple is there, else at the end. */
export function putSock(world: World, netnsId: string, sock: TcpSock): TcpSock {
  const next = withQueues(sock);
  world.updateNetns(netnsId, (ns) => {
    const list = ns.sockets ?? [];
    const i = list.findIndex((s) => isConnection(s) && sameTuple(s, next));
    const sockets = i < 0 ? [...list, next] : list.map((s, j) => (j === i ? next : s));
    return { ...ns, sockets };
  });
  return next;
}

/** The socket leaves the table (TCP_CLOSE: tcp_done, inet_twsk_kill). */
export function dropSock(world: World, netnsId: string, sock: Socket): void {
  if (!world.hasNetns(netnsId)) return;
  const listening = sock.state === 'LISTEN';
  const same = (s: Socket) =>
    listening
      ? s.protocol === 'tcp' && s.state === 'LISTEN' && sameTuple(s, sock)
      : isConnection(s) && sameTuple(s, sock);
  world.updateNetns(netnsId, (ns) => ({
    ...ns,
    sockets: (ns.sockets ?? []).filter((s) => !same(s)),
  }));
}

/** "10.244.0.2:33944": how ss and the explanations name a socket's end. */
export const endpoint = (addr: string, port: number) => `${addr}:${port}`;
