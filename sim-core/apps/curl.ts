/**
 * curl as a TcpApp: `curl [-k] [-H …] [--resolve host:port:addr] URL`.
 *
 * The request is what curl writes (lib/http.c; captured from curl 7.88.1 on
 * this machine against a local server, and unchanged in curl 8): the request
 * line, `Host` (with the port only when it is not the scheme's), `User-Agent:
 * curl/VERSION`, `Accept: *∕*`, then any -H headers (one with a built-in's
 * name replaces it), then the empty line. curl reads the response until its
 * Content-Length is complete, prints the body and exits: close() sends its
 * FIN first, so curl's side is the one left in TIME-WAIT (the capture: FIN
 * from the client 0.3 ms after it ACKed the response).
 *
 * https: a TLS client layer (sim-core/tls, when present) sits between the
 * socket and this HTTP/1.1 logic; see ./tls-stream.ts.
 */
import type { TcpApp, TcpConn } from '../dataplane/tcp-app.ts';
import type { Fact } from '../narration/facts.ts';
import {
  emitRequest,
  headText,
  parseResponse,
  ReadBuffer,
  type Headers,
  type HttpRequest,
} from './http-message.ts';

/** The User-Agent curl sends: its version. The bytes were checked against curl 7.88.1; curl 8 writes the same lines. */
export const CURL_VERSION = '8.5.0';

export interface CurlOptions {
  readonly scheme: 'http' | 'https';
  readonly host: string;
  readonly port: number;
  readonly path: string;
  /** -H "Name: value", in order. */
  readonly headers?: Headers;
  /** Who runs it, for the narration ("host laptop", "pod client"). */
  readonly who: string;
}

const DEFAULT_PORT = { http: 80, https: 443 } as const;

/** The request curl writes for these options. */
export function curlRequest(o: CurlOptions): HttpRequest {
  const host = o.port === DEFAULT_PORT[o.scheme] ? o.host : `${o.host}:${o.port}`;
  const builtIn: [string, string][] = [
    ['Host', host],
    ['User-Agent', `curl/${CURL_VERSION}`],
    ['Accept', '*/*'],
  ];
  const extra = o.headers ?? [];
  const replaced = (name: string) => extra.some(([k]) => k.toLowerCase() === name.toLowerCase());
  return {
    method: 'GET',
    target: o.path,
    version: 'HTTP/1.1',
    headers: [...builtIn.filter(([k]) => !replaced(k)), ...extra],
    body: new Uint8Array(0),
  };
}

const latin1 = new TextDecoder('latin1');

/** The HTTP side of curl, above either the socket or a TLS layer. */
export function curlApp(o: CurlOptions, clock: () => number): TcpApp {
  const startUs = clock();
  const buffer = new ReadBuffer();
  let done = false;
  return {
    connected(conn: TcpConn) {
      const request = curlRequest(o);
      const bytes = emitRequest(request);
      const why: Fact = {
        type: 'http.request',
        who: o.who,
        tool: 'curl',
        method: request.method,
        target: request.target,
        host: o.host,
        to: `${conn.peer.addr}:${conn.peer.port}`,
        head: headText(bytes),
        len: bytes.length,
        tls: o.scheme === 'https',
      };
      conn.write(bytes, why);
    },
    data(conn: TcpConn, bytes: Uint8Array) {
      if (done) return;
      const all = buffer.push(bytes);
      const response = parseResponse(all);
      if (!response) return;
      done = true;
      const body = latin1.decode(response.body);
      conn.note(`curl: ${response.status} ${response.reason}`, {
        type: 'curl.response',
        who: o.who,
        status: response.status,
        reason: response.reason,
        head: headText(all),
        body,
        len: response.body.length,
        tls: o.scheme === 'https',
      });
      conn.close({ type: 'curl.exit', who: o.who, status: response.status });
    },
    end(conn: TcpConn) {
      if (!done)
        conn.note('curl: (52) Empty reply from server', {
          type: 'curl.error',
          who: o.who,
          code: 52,
          message: 'Empty reply from server',
        });
      conn.close(undefined);
    },
    failed(conn: TcpConn, error: string) {
      // curl 7.88's words (curl 8 says the same); the errno itself is in the step before.
      const code = error === 'Connection reset by peer' ? 56 : 7;
      const ms = Math.round((clock() - startUs) / 1000);
      const message =
        code === 56
          ? 'Recv failure: Connection reset by peer'
          : `Failed to connect to ${o.host} port ${o.port} after ${ms} ms: Couldn't connect to server`;
      conn.note(`curl: (${code}) ${message}`, { type: 'curl.error', who: o.who, code, message });
    },
  };
}
