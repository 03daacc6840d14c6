/**
 * The backend a pod runs: hashicorp/http-echo (0.2.3, the image the
 * Kubernetes and kind Ingress examples use), as a TcpApp. Every path answers
 * 200 with the `-text` argument and a newline (fmt.Fprintln), and Go's
 * net/http writes the head: status line, the handler's headers sorted
 * (X-App-Name, X-App-Version), then Date, Content-Length, Content-Type
 * (extraHeader.Write's order; the type sniffed from the body). A pod whose
 * container gives no -text answers with its own name, as a Deployment does
 * with `-text=$(POD_NAME)` from the downward API, so a student sees which pod
 * answered. Go keeps the connection open for the next request and closes it
 * when it reads the client's FIN.
 */
import type { TcpApp, TcpConn } from '../dataplane/tcp-app.ts';
import { emitResponse, headText, parseRequest, ReadBuffer, httpDate } from './http-message.ts';

export const HTTP_ECHO_VERSION = '0.2.3';

export interface HttpEchoOptions {
  /** What the page says (the container's -text). */
  readonly text: string;
  /** "pod web-1": who answers, for the narration. */
  readonly who: string;
  /** Seconds since 1970 now: Date comes from the simulation's clock. */
  readonly now: () => number;
}

const utf8 = new TextEncoder();

/** The -text argument of an http-echo container's args (`-text=foo` or `-text foo`). */
export function echoText(args: readonly string[] | undefined): string | undefined {
  if (!args) return undefined;
  for (const [i, a] of args.entries()) {
    const m = /^--?text=(.*)$/.exec(a);
    if (m) return m[1];
    if ((a === '-text' || a === '--text') && i + 1 < args.length) return args[i + 1];
  }
  return undefined;
}

export function httpEchoApp(o: HttpEchoOptions): TcpApp {
  const buffer = new ReadBuffer();
  return {
    data(conn: TcpConn, bytes: Uint8Array) {
      const all = buffer.push(bytes);
      const request = parseRequest(all);
      if (!request) return;
      buffer.clear();
      const body = utf8.encode(`${o.text}\n`);
      const response = emitResponse({
        version: 'HTTP/1.1',
        status: 200,
        reason: 'OK',
        headers: [
          ['X-App-Name', 'http-echo'],
          ['X-App-Version', HTTP_ECHO_VERSION],
          ['Date', httpDate(o.now())],
          ['Content-Length', String(body.length)],
          ['Content-Type', 'text/plain; charset=utf-8'],
        ],
        body,
      });
      conn.write(response, {
        type: 'http.served',
        who: o.who,
        server: 'http-echo',
        method: request.method,
        target: request.target,
        from: `${conn.peer.addr}:${conn.peer.port}`,
        request: headText(all),
        status: 200,
        head: headText(response),
        body: `${o.text}\n`,
        len: response.length,
      });
    },
  };
}
