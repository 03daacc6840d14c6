/**
 * What the TCP files share: the dataplane, the facts they ask the simulation
 * for, the kernel's per-boot secrets, and the user-space side — the programs
 * holding the sockets — reached through callbacks, as the kernel wakes a
 * process, so no kernel file imports a program.
 */
import type { Rng } from '../engine/rng.ts';
import type { ServerApps } from './tcp-app.ts';
import type { TcpSock } from './tcp-sock.ts';
import type { Dataplane } from './types.ts';

export interface TransportHooks {
  /**
   * Not read any more: listening sockets are LISTEN entries in
   * Netns.sockets (tcp-listen.ts). Kept so callers that still pass it compile.
   */
  listener?(netnsId: string, port: number): string | undefined;
  /** MTU of the namespace's egress device toward `dst`. */
  mtu(netnsId: string, dst: string): number;
  /** The program behind a listening port (tcp-app.ts); without it every server is `nc -l`. */
  server?: ServerApps;
}

/** The program behind a socket: what it does when the kernel wakes it. */
export interface TcpUser {
  /** connect() returned, or accept() handed over a new connection. */
  established(netnsId: string, sock: TcpSock): void;
  /** Data (`payload`), or the peer's FIN, waits in the receive queue. */
  readable(netnsId: string, sock: TcpSock, payload?: Uint8Array): void;
  /** connect() failed, or the peer reset the connection: the errno's text. */
  failed(netnsId: string, sock: TcpSock, error: string): void;
}

export interface TcpEnv {
  readonly dp: () => Dataplane;
  readonly hooks: TransportHooks;
  readonly user: TcpUser;
  /** net_secret: the per-boot key of secure_tcp_seq, the TS offset and the port offset. */
  readonly secret: () => number;
  /** __inet_hash_connect's table_perturb (random at first use, then grown per connect). */
  readonly perturb: Map<number, number>;
}

/** The random source of TCP's choices (ISN secret, port perturbation, IP ID bases). */
export const tcpRng = (env: TcpEnv): Rng => env.dp().rng;
