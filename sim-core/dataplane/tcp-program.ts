/**
 * The programs behind the sockets: what each process does when the kernel
 * wakes it, modelled on the reference run's `printf x | nc -N [-w 3] IP PORT`
 * (netcat-openbsd 1.219) against `nc -l PORT`:
 * - the connect action's client writes its data once connect() returns, then
 *   — with -N, at the end of its stdin — shuts the sending side down (FIN)
 *   and reads until the server closes; -w N gives up a connect() still
 *   waiting after N s (close() of a SYN-SENT socket sends nothing: reference
 *   4b) and ends a connection left idle that long;
 * - every program reads what arrives, and closes its socket once it reads
 *   the end of the stream (nc -l exits; a server drops the connection).
 * nc prints nothing of its own without -v: what a failure says is connect()'s errno.
 *
 * Other programs (curl, an HTTP server, nginx) are TcpApps (tcp-app.ts): a
 * client passes its app to connect(), a server's app is chosen at a new
 * connection's first read by TransportHooks.server. Both see the bytes read
 * and write through the same segmenting write(); without an app a socket
 * behaves exactly as nc's above.
 */
import type { Fact } from '../narration/facts.ts';
import type { TcpApp, TcpConn } from './tcp-app.ts';
import { noteTcp, tcpClose, tcpShutdown } from './tcp-close.ts';
import type { TcpEnv, TcpUser } from './tcp-env.ts';
import { tcpTransmit, tcpWrite } from './tcp-output.ts';
import { endpoint, NO_OWNER, putSock, stillThere, u32, type TcpSock } from './tcp-sock.ts';
import { armTimer } from './tcp-timer.ts';

/** What the connect action asks of its client. */
export interface ConnectOptions {
  /** Bytes written once connected (`printf DATA | nc`). */
  readonly data?: string;
  /** `nc -N`: shutdown(SHUT_WR) once the data is written, then the close handshake. */
  readonly close?: boolean;
  /** `nc -w`: seconds to wait for connect(), and for an idle connection. */
  readonly timeout?: number;
  /** A program other than nc (curl, nginx's upstream side): it gets the connection. */
  readonly app?: TcpApp;
}

/**
 * A process blocked in a system call runs again about 0.2 ms after the kernel
 * wakes it: in the same-node reference nc wrote 230 µs after its connect()
 * returned, and nc -l sent its FIN 216 µs after the client's arrived.
 */
export const PROGRAM_WAKEUP_US = 200;
/** nc's shutdown follows its write once poll() finds stdin at its end (19 µs on one node, 90 µs across nodes). */
const NC_STDIN_EOF_US = 50;

interface Client {
  readonly options: ConnectOptions;
  readonly target: string;
}

export interface Programs extends TcpUser {
  /** A program has called connect() on `sock` (the SYN is about to go). */
  connecting(netnsId: string, sock: TcpSock, options: ConnectOptions, target: string): void;
}

const key = (netnsId: string, s: TcpSock) =>
  `${netnsId}|${endpoint(s.localAddr, s.localPort)}|${endpoint(s.peerAddr, s.peerPort)}`;

const shown = (bytes: number, text?: string) =>
  `${bytes} byte${bytes === 1 ? '' : 's'}${text === undefined ? '' : ` (${JSON.stringify(text)})`}`;

const concat = (parts: readonly Uint8Array[]): Uint8Array => {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

export function createPrograms(env: () => TcpEnv): Programs {
  const clients = new Map<string, Client>();
  /** The program of each connection that has one (not nc). */
  const apps = new Map<string, TcpApp>();
  /** Bytes that arrived and are not read yet, per connection. */
  const inbox = new Map<string, Uint8Array[]>();
  /** Server connections whose first read has happened (their program is decided). */
  const decided = new Set<string>();
  const later = (us: number, fn: () => void) => env().dp().at(us, fn);
  const state = (netnsId: string, sock: TcpSock) =>
    stillThere(env().dp().world, netnsId, sock)?.state;
  /** nc's poll() timeout (-w): it only matters while the socket is still in `waiting`. */
  const pollTimeout = (
    netnsId: string,
    sock: TcpSock,
    waiting: string,
    s: number,
    fn: () => void,
  ) => armTimer(env().dp(), s * 1e6, () => state(netnsId, sock) === waiting, fn);
  const label = (netnsId: string) => env().dp().label(netnsId);

  function write(netnsId: string, sock: TcpSock, client: Client): void {
    const now = stillThere(env().dp().world, netnsId, sock);
    if (now?.state !== 'ESTAB' || now.owner === NO_OWNER) return;
    const { data, close } = client.options;
    let s = now;
    if (data) {
      const bytes = new TextEncoder().encode(data);
      s = tcpTransmit(
        env(),
        netnsId,
        s,
        { psh: true, ack: true },
        { type: 'nc.write', len: bytes.length, text: data, target: client.target },
        bytes,
      );
    }
    const { timeout } = client.options;
    if (close) later(data ? NC_STDIN_EOF_US : 0, () => shutdown(netnsId, s));
    else if (timeout) pollTimeout(netnsId, s, 'ESTAB', timeout, () => idle(netnsId, s, timeout));
  }

  function shutdown(netnsId: string, sock: TcpSock): void {
    const now = stillThere(env().dp().world, netnsId, sock);
    if (now?.state !== 'ESTAB' || now.owner === NO_OWNER) return;
    tcpShutdown(env(), netnsId, now, {
      type: 'nc.shutdown',
      peer: endpoint(now.peerAddr, now.peerPort),
    });
  }

  function idle(netnsId: string, sock: TcpSock, seconds: number): void {
    const now = stillThere(env().dp().world, netnsId, sock);
    if (now?.state !== 'ESTAB' || now.owner === NO_OWNER) return;
    tcpClose(env(), netnsId, now, { type: 'nc.idle', seconds });
    clients.delete(key(netnsId, now));
  }

  function giveUp(netnsId: string, sock: TcpSock, seconds: number): void {
    const now = stillThere(env().dp().world, netnsId, sock);
    if (now?.state !== 'SYN-SENT') return;
    tcpClose(env(), netnsId, now, undefined);
    clients.delete(key(netnsId, now));
    noteTcp(
      env(),
      netnsId,
      `nc -w ${seconds}: connect to ${endpoint(now.peerAddr, now.peerPort)} timed out`,
      { type: 'nc.connect-timeout', seconds, syns: now.tcp.retransmits + 1 },
    );
  }

  /** The socket calls a program makes on one connection, from its 4-tuple. */
  function conn(netnsId: string, sock: TcpSock): TcpConn {
    const k = key(netnsId, sock);
    const now = () => {
      const s = stillThere(env().dp().world, netnsId, sock);
      return s && s.owner !== NO_OWNER ? s : undefined;
    };
    return {
      netnsId,
      local: { addr: sock.localAddr, port: sock.localPort },
      peer: { addr: sock.peerAddr, port: sock.peerPort },
      owner: sock.owner,
      write(bytes: Uint8Array, why: Fact) {
        const s = now();
        if (s && (s.state === 'ESTAB' || s.state === 'CLOSE-WAIT'))
          tcpWrite(env(), netnsId, s, bytes, why);
      },
      shutdown(why: Fact) {
        const s = now();
        if (s) tcpShutdown(env(), netnsId, s, why);
      },
      close(why?: Fact) {
        const s = now();
        apps.delete(k);
        inbox.delete(k);
        decided.delete(k);
        if (s) tcpClose(env(), netnsId, s, why);
      },
      note(summary: string, why: Fact) {
        noteTcp(env(), netnsId, summary, why);
      },
    };
  }

  /** The program a new server connection's first read goes to, if not nc. */
  function serverApp(netnsId: string, sock: TcpSock, first: Uint8Array): TcpApp | undefined {
    const k = key(netnsId, sock);
    if (decided.has(k) || clients.has(k)) return apps.get(k);
    decided.add(k);
    const app = env().hooks.server?.(
      netnsId,
      { addr: sock.localAddr, port: sock.localPort },
      { addr: sock.peerAddr, port: sock.peerPort },
      first,
    );
    if (app) apps.set(k, app);
    return app;
  }

  function read(netnsId: string, sock: TcpSock): void {
    const world = env().dp().world;
    const now = stillThere(world, netnsId, sock);
    if (!now || now.owner === NO_OWNER) return;
    const finIn = now.state === 'CLOSE-WAIT' || now.state === 'CLOSING' || now.state === 'LAST-ACK';
    const unread = u32(now.tcp.rcvNxt - now.tcp.copiedSeq);
    const bytes = unread - (finIn && unread > 0 ? 1 : 0);
    if (unread === 0) return;
    const s = putSock(world, netnsId, { ...now, tcp: { ...now.tcp, copiedSeq: now.tcp.rcvNxt } });
    const k = key(netnsId, now);
    const parts = inbox.get(k) ?? [];
    inbox.delete(k);
    const got = parts.length ? concat(parts) : new Uint8Array(0);
    const app = apps.get(k) ?? (got.length ? serverApp(netnsId, s, got) : undefined);
    if (app) {
      const c = conn(netnsId, s);
      if (got.length) app.data?.(c, got);
      if (!finIn) return;
      if (app.end) app.end(c);
      else c.close({ type: 'app.eof', owner: now.owner });
      apps.delete(k);
      return;
    }
    if (bytes > 0)
      noteTcp(env(), netnsId, `${now.owner} reads ${shown(bytes)}`, {
        type: 'app.read',
        who: label(netnsId),
        owner: now.owner,
        len: bytes,
        local: endpoint(now.localAddr, now.localPort),
      });
    if (!finIn) return;
    tcpClose(env(), netnsId, s, { type: 'app.eof', owner: now.owner });
    clients.delete(key(netnsId, now));
  }

  return {
    connecting(netnsId, sock, options, target) {
      if (options.app) apps.set(key(netnsId, sock), options.app);
      else clients.set(key(netnsId, sock), { options, target });
      const { timeout } = options;
      if (timeout)
        pollTimeout(netnsId, sock, 'SYN-SENT', timeout, () => giveUp(netnsId, sock, timeout));
    },
    established(netnsId, sock) {
      const k = key(netnsId, sock);
      const client = clients.get(k);
      if (client) later(PROGRAM_WAKEUP_US, () => write(netnsId, sock, client));
      const app = apps.get(k);
      if (app?.connected)
        later(PROGRAM_WAKEUP_US, () => {
          if (stillThere(env().dp().world, netnsId, sock)) app.connected!(conn(netnsId, sock));
        });
    },
    readable(netnsId, sock, payload) {
      if (payload?.length) {
        const k = key(netnsId, sock);
        const parts = inbox.get(k);
        if (parts) parts.push(payload);
        else inbox.set(k, [payload]);
      }
      later(PROGRAM_WAKEUP_US, () => read(netnsId, sock));
    },
    failed(netnsId, sock, error) {
      const k = key(netnsId, sock);
      clients.delete(k);
      inbox.delete(k);
      decided.delete(k);
      const app = apps.get(k);
      apps.delete(k);
      app?.failed?.(conn(netnsId, sock), error);
    },
  };
}
