/**
 * HTTP on the path: curl's request and what it prints, the backend's answer,
 * and (ingress-nginx) the proxy's two connections.
 */
import type { FactOf, Narrators } from './types.ts';

const bytes = (n: number) => `${n} byte${n === 1 ? '' : 's'}`;
const firstLine = (head: string) => head.split('\r\n')[0];
const quoted = (text: string) => JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}…` : text);

export type HttpFact =
  | FactOf<
      'http.request',
      {
        who: string;
        tool: 'curl';
        method: string;
        target: string;
        host: string;
        to: string;
        head: string;
        len: number;
        tls: boolean;
      }
    >
  | FactOf<
      'http.served',
      {
        who: string;
        server: 'http-echo';
        method: string;
        target: string;
        from: string;
        request: string;
        status: number;
        head: string;
        body: string;
        len: number;
      }
    >
  | FactOf<
      'curl.response',
      {
        who: string;
        status: number;
        reason: string;
        head: string;
        body: string;
        len: number;
        tls: boolean;
      }
    >
  | FactOf<'curl.exit', { who: string; status: number }>
  | FactOf<'curl.error', { who: string; code: number; message: string }>;

export const httpNarrators: Narrators<HttpFact> = {
  'http.request': (f) => ({
    headline: `curl sends ${f.method} ${f.target} to ${f.host}`,
    explanation:
      `connect() returned, so curl on ${f.who} writes its HTTP/1.1 request to ${f.to}${f.tls ? ' inside the TLS session (an encrypted application_data record on the wire)' : ''}: ` +
      `${bytes(f.len)}, "${firstLine(f.head)}" then Host (the URL's host: what an Ingress routes on), User-Agent and Accept, and an empty line. ` +
      `curl writes it in one write(), so it leaves as one segment with PSH.`,
  }),
  'http.served': (f) => ({
    headline: `${f.server} on ${f.who} answers ${f.status}`,
    explanation:
      `${f.server} on ${f.who} reads "${firstLine(f.request)}" from ${f.from} and answers ${bytes(f.len)}: "${firstLine(f.head)}", ` +
      `its X-App-Name and X-App-Version headers, then Date (the simulation's clock), Content-Length and Content-Type as Go's net/http writes them, and the body ${quoted(f.body)}. ` +
      `It keeps the connection open for another request.`,
  }),
  'curl.response': (f) => ({
    headline:
      `curl gets ${f.status} ${f.reason}` +
      (f.body.trim().split(/\s+/).length <= 3 && !f.body.includes('<')
        ? `: ${quoted(f.body.trim())}`
        : ''),
    explanation:
      `curl on ${f.who} has read the whole response${f.tls ? ' (decrypted from its TLS records)' : ''}: "${firstLine(f.head)}" and ${bytes(f.len)} of body, as its Content-Length said. ` +
      `It prints the body, ${quoted(f.body)}, and exits.`,
  }),
  'curl.exit': (f) => ({
    headline: `curl exits after the ${f.status} response: FIN,ACK`,
    explanation: `curl on ${f.who} is done and exits; the kernel closes its socket. curl closes first, so its side of the connection ends in TIME-WAIT, not the server's.`,
  }),
  'curl.error': (f) => ({
    headline: `curl: (${f.code}) ${f.message.split(' ').slice(0, 9).join(' ')}`,
    explanation: `curl on ${f.who} gives up and prints "curl: (${f.code}) ${f.message}" (exit status ${f.code}).`,
  }),
};
