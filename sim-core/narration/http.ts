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
  | FactOf<'tls.client-hello', { who: string; sni: string; alpn: readonly string[]; len: number }>
  | FactOf<'tls.flight', { who: string; role: string; records: readonly string[]; len: number }>
  | FactOf<'tls.close-notify', { who: string; role: 'client' | 'server' }>
  | FactOf<
      'ingress.proxy',
      {
        controller: string;
        upstream: string;
        before: string;
        after: string;
        added: readonly string[];
        len: number;
      }
    >
  | FactOf<
      'ingress.respond',
      {
        controller: string;
        status: number;
        reason: string;
        head: string;
        len: number;
        from?: string;
        tls: boolean;
      }
    >
  | FactOf<'curl.error', { who: string; code: number; message: string }>;

export const httpNarrators: Narrators<HttpFact> = {
  'tls.client-hello': (f) => ({
    headline: `${f.who} opens TLS 1.3: ClientHello for ${f.sni}`,
    explanation: `curl on ${f.who} starts the TLS handshake: a ClientHello (${bytes(f.len)}) with server_name ${f.sni} — the SNI, the only place the name shows in clear — an x25519 key share, and ALPN ${f.alpn.join(', ')} (real curl offers h2 first; Kubewire speaks only HTTP/1.1).`,
  }),
  'tls.flight': (f) => {
    const has = (name: string) => f.records.some((r) => r.toLowerCase() === name);
    const tickets = f.records.filter((r) => r.toLowerCase() === 'new session ticket').length;
    if (f.role === 'client' && has('finished'))
      return {
        headline: `${f.who} finishes the TLS handshake: Finished`,
        explanation: `curl on ${f.who} writes ${bytes(f.len)}: ${f.records.join(', ')}. The Change Cipher Spec record is a no-op kept for middleboxes (RFC 8446 §D.4); Finished is a MAC over the whole handshake under the client's handshake traffic key, proving it saw the same messages as the server. It travels as an Application Data record, so without the keylog file tshark cannot tell it from data. From here on both sides use the application traffic keys.`,
      };
    if (f.role === 'server' && tickets === f.records.length && tickets > 0)
      return {
        headline: `${f.who} sends ${tickets} TLS session ticket${tickets > 1 ? 's' : ''}`,
        explanation: `After the client's Finished, the TLS server on ${f.who} writes ${bytes(f.len)}: ${tickets} NewSessionTicket message${tickets > 1 ? 's' : ''} (OpenSSL's default is two), with which the client could resume later without a full handshake. They are encrypted with the server's application traffic key and look like Application Data on the wire; the keylog file opens them.`,
      };
    return {
      headline: `${f.who} sends TLS: ${f.records[0]}${f.records.length > 1 ? ` and ${f.records.length - 1} more` : ''}`,
      explanation: `The TLS ${f.role} on ${f.who} writes ${bytes(f.len)} of records: ${f.records.join(', ')}. From EncryptedExtensions on, everything is encrypted (handshake keys for the handshake, then application keys); the keylog file holds them.`,
    };
  },
  'tls.close-notify': (f) => ({
    headline: `${f.who} ends the TLS session: close_notify`,
    explanation: `Before closing its socket, the TLS ${f.role} on ${f.who} sends a close_notify alert (RFC 8446 §6.1), so the peer knows the data ended on purpose.`,
  }),
  'ingress.proxy': (f) => ({
    headline: `ingress-nginx forwards the request to pod ${f.upstream}`,
    explanation:
      `${f.controller} passes the request to ${f.upstream}: a pod IP it took from the EndpointSlices itself, not the Service's ClusterIP — kube-proxy's rules are not on this hop, so there is no DNAT. ` +
      `It is plain HTTP/1.1 now (TLS ended at the controller), with the headers ingress-nginx adds: ${f.added.join(', ')}. ` +
      `Before: "${firstLine(f.before)}" with ${f.before.split('\r\n').length - 1} headers; after: ${bytes(f.len)}.`,
  }),
  'ingress.respond': (f) => ({
    headline: `ingress-nginx answers ${f.status} ${f.reason}`,
    explanation: f.from
      ? `${f.controller} relays ${f.from}'s answer to the client${f.tls ? ' inside the TLS session' : ''}: nginx writes its own head — Date, Content-Type, Content-Length, Connection: keep-alive — then the upstream's other headers (its Date and Server are hidden)${f.tls ? ', and Strict-Transport-Security (ingress-nginx adds HSTS on HTTPS with a configured certificate)' : ''}; ${bytes(f.len)}.`
      : `${f.controller} answers itself: ${f.status === 404 ? 'no rule matched and no defaultBackend is set, so its default server returns 404' : 'the backend Service has no ready endpoint, so there is no upstream to pass to'}, with nginx's own error page; ${bytes(f.len)}.`,
  }),
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
