/**
 * TLS between a TcpApp and its socket, as OpenSSL sits between curl or nginx
 * and the kernel: the handshake's flights are written as they come out of
 * the sans-IO endpoint (sim-core/tls), and the inner program sees a TcpConn
 * whose write() is encrypted into application-data records and whose data()
 * is the decrypted stream.
 *
 * We offer and speak only HTTP/1.1 in ALPN: real curl offers h2 first and
 * ingress-nginx would pick h2, but HTTP/2's binary framing and HPACK are
 * not modelled, and a request a student can read line by line is the point.
 */
import type { TcpApp, TcpConn } from '../dataplane/tcp-app.ts';
import type { Rng } from '../engine/rng.ts';
import type { Fact } from '../narration/facts.ts';
import { createTlsClient, createTlsServer } from '../tls/index.ts';
import type { ServerCertificate, TlsEndpoint, TlsOutput } from '../tls/index.ts';

const concat = (parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

export const HTTP11_ALPN = ['http/1.1'] as const;

/** The inner program's view: the same socket calls, through the TLS session. */
function wrapped(conn: TcpConn, tls: TlsEndpoint, who: string): TcpConn {
  return {
    ...conn,
    write(bytes: Uint8Array, why: Fact) {
      conn.write(concat(tls.write(bytes)), why);
    },
    shutdown(why: Fact) {
      conn.shutdown(why);
    },
    close(why?: Fact) {
      const alert = tls.close();
      if (alert.length)
        conn.write(concat(alert), { type: 'tls.close-notify', who, role: tls.role });
      conn.close(why);
    },
  };
}

function flight(conn: TcpConn, out: TlsOutput, who: string, role: string, why?: Fact): void {
  if (!out.send.length) return;
  const records = out.records.map((r) => r.content);
  const bytes = concat(out.send);
  conn.write(bytes, why ?? { type: 'tls.flight', who, role, records, len: bytes.length });
}

export interface TlsClientAppOptions {
  readonly serverName: string;
  readonly rng: Rng;
  readonly who: string;
  /** SSLKEYLOGFILE: the session's secrets once the handshake is done. */
  readonly keylog: (lines: string) => void;
  /** curl -k: go on with a certificate curl cannot verify. */
  readonly insecure?: boolean;
}

/** What curl says of a certificate it cannot verify (no CA is installed in the simulation), or undefined. */
function verifyProblem(tls: TlsEndpoint): string | undefined {
  const cert = tls.facts().certificate;
  if (!cert) return undefined;
  if (!cert.matchesServerName)
    return `SSL: no alternative certificate subject name matches target host name`;
  return cert.selfSigned
    ? 'SSL certificate problem: self-signed certificate'
    : 'SSL certificate problem: unable to get local issuer certificate';
}

/** curl's side: ClientHello once connected, the inner program once the handshake is done. */
export function tlsClientApp(inner: TcpApp, o: TlsClientAppOptions): TcpApp {
  const tls = createTlsClient({ serverName: o.serverName, alpn: [...HTTP11_ALPN], rng: o.rng });
  let up: TcpConn | undefined;
  return {
    connected(conn) {
      const out = tls.start();
      const bytes = concat(out.send);
      conn.write(bytes, {
        type: 'tls.client-hello',
        who: o.who,
        sni: o.serverName,
        alpn: [...HTTP11_ALPN],
        len: bytes.length,
      });
    },
    data(conn, bytes) {
      const out = tls.receive(bytes);
      flight(conn, out, o.who, 'client');
      if (out.events.includes('handshake-done')) {
        o.keylog(tls.keylog());
        const problem = o.insecure ? undefined : verifyProblem(tls);
        if (problem) {
          conn.note(`curl: (60) ${problem}`, {
            type: 'curl.error',
            who: o.who,
            code: 60,
            message: problem,
          });
          wrapped(conn, tls, o.who).close(undefined);
          return;
        }
        up = wrapped(conn, tls, o.who);
        inner.connected?.(up);
      }
      if (tls.state === 'failed') {
        conn.note(`curl: (35) TLS alert ${tls.error?.alert}`, {
          type: 'curl.error',
          who: o.who,
          code: 35,
          message: `TLS connect error: ${tls.error?.alert}`,
        });
        conn.close(undefined);
        return;
      }
      for (const d of out.data) inner.data?.(up ?? wrapped(conn, tls, o.who), d);
    },
    end(conn) {
      if (inner.end) inner.end(up ?? wrapped(conn, tls, o.who));
      else conn.close(undefined);
    },
    failed(conn, error) {
      inner.failed?.(conn, error);
    },
  };
}

export interface TlsServerAppOptions {
  readonly rng: Rng;
  readonly who: string;
  readonly alpn: readonly string[];
  /** The certificate for an SNI, and the fact the step of the server's flight carries. */
  readonly select: (sni: string | undefined) => { cert: ServerCertificate; why: Fact };
}

/** nginx's side of :443: the handshake, then the inner program on the decrypted stream. */
export function tlsServerApp(inner: TcpApp, o: TlsServerAppOptions): TcpApp {
  let why: Fact | undefined;
  const tls = createTlsServer({
    selectCert: (sni) => {
      const chosen = o.select(sni);
      why = chosen.why;
      return chosen.cert;
    },
    alpn: o.alpn,
    rng: o.rng,
  });
  let up: TcpConn | undefined;
  return {
    data(conn, bytes) {
      const out = tls.receive(bytes);
      flight(conn, out, o.who, 'server', why);
      why = undefined;
      up ??= wrapped(conn, tls, o.who);
      for (const d of out.data) inner.data?.(up, d);
    },
    end(conn) {
      if (inner.end) inner.end(up ?? wrapped(conn, tls, o.who));
      else conn.close(undefined);
    },
  };
}
