/**
 * The socket API a user-space program sees, for programs that do more than
 * nc: curl, an HTTP server, nginx. The kernel wakes the program (connect()
 * returned, read() has bytes, read() returned 0 at the peer's FIN, the
 * connection failed) and the program answers with system calls: write(),
 * shutdown(SHUT_WR), close(), or a connect() of its own.
 *
 * A server program is bound to a listening port in a namespace; which
 * program that is gets decided at the first read (TransportHooks.server), so
 * a pod's port answers an HTTP request as its HTTP server does while a
 * netcat client's bytes still meet today's `nc -l`.
 */
import type { Fact } from '../narration/facts.ts';

export interface Endpoint {
  readonly addr: string;
  readonly port: number;
}

/** One connected socket, as the program holding it uses it. */
export interface TcpConn {
  readonly netnsId: string;
  readonly local: Endpoint;
  readonly peer: Endpoint;
  /** The container (or program) holding the socket. */
  readonly owner: string;
  /**
   * write(): the kernel sends the bytes at once in segments of the
   * connection's MSS, PSH on the last; the first segment's step carries `why`.
   */
  write(bytes: Uint8Array, why: Fact): void;
  /** shutdown(SHUT_WR): FIN after what was written. */
  shutdown(why: Fact): void;
  /** close(): FIN (or RST with unread data), and the program lets go of the socket. */
  close(why?: Fact): void;
  /** A step of the program's own, on no segment (what it parsed, decided, printed). */
  note(summary: string, why: Fact): void;
}

/** What a program does when the kernel wakes it for one of its sockets. */
export interface TcpApp {
  /** connect() returned (client side). */
  connected?(conn: TcpConn): void;
  /** read() returned these bytes. */
  data?(conn: TcpConn, bytes: Uint8Array): void;
  /** read() returned 0: the peer's FIN. Without a handler the program close()s. */
  end?(conn: TcpConn): void;
  /** connect() failed or the peer reset the connection: the errno's text. */
  failed?(conn: TcpConn, error: string): void;
}

/**
 * The program behind a listening port, asked at a new connection's first
 * read with the bytes read: undefined leaves the connection to `nc -l`.
 */
export type ServerApps = (
  netnsId: string,
  local: Endpoint,
  peer: Endpoint,
  first: Uint8Array,
) => TcpApp | undefined;
