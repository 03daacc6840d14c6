/**
 * HTTP/1.1 messages as bytes (RFC 9112): a request or response head is the
 * start line and header lines, each ended by CRLF, then an empty line, then
 * a body of Content-Length bytes. Header order and case are kept as written,
 * because each program writes its own order and a capture shows it.
 */

export type Headers = readonly (readonly [string, string])[];

export interface HttpRequest {
  readonly method: string;
  readonly target: string;
  readonly version: string;
  readonly headers: Headers;
  readonly body: Uint8Array;
}

export interface HttpResponse {
  readonly version: string;
  readonly status: number;
  readonly reason: string;
  readonly headers: Headers;
  readonly body: Uint8Array;
}

const CRLF = '\r\n';
const utf8 = new TextEncoder();
const latin1 = new TextDecoder('latin1');

export const header = (headers: Headers, name: string): string | undefined =>
  headers.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];

function head(start: string, headers: Headers): string {
  return start + CRLF + headers.map(([k, v]) => `${k}: ${v}${CRLF}`).join('') + CRLF;
}

function joined(text: string, body: Uint8Array): Uint8Array {
  const h = utf8.encode(text);
  const out = new Uint8Array(h.length + body.length);
  out.set(h);
  out.set(body, h.length);
  return out;
}

export function emitRequest(r: HttpRequest): Uint8Array {
  return joined(head(`${r.method} ${r.target} ${r.version}`, r.headers), r.body);
}

export function emitResponse(r: HttpResponse): Uint8Array {
  return joined(head(`${r.version} ${r.status} ${r.reason}`, r.headers), r.body);
}

/** The request line's shape: a token, a space, a target, a space, HTTP/1.x. */
const REQUEST_LINE = /^[A-Z]+ \S+ HTTP\/1\.[01]\r\n/;

/** Whether the first bytes a server reads start an HTTP/1 request (what a server needs to answer as HTTP). */
export function looksLikeHttpRequest(first: Uint8Array): boolean {
  return REQUEST_LINE.test(latin1.decode(first.subarray(0, 256)));
}

interface Split {
  readonly start: string;
  readonly headers: Headers;
  readonly bodyAt: number;
}

function split(bytes: Uint8Array): Split | undefined {
  const text = latin1.decode(bytes);
  const end = text.indexOf(CRLF + CRLF);
  if (end < 0) return undefined;
  const [start, ...lines] = text.slice(0, end).split(CRLF);
  const headers = lines.map((l): [string, string] => {
    const i = l.indexOf(':');
    return [l.slice(0, i), l.slice(i + 1).trim()];
  });
  return { start, headers, bodyAt: end + 4 };
}

function bodyOf(bytes: Uint8Array, s: Split): Uint8Array | undefined {
  const length = Number(header(s.headers, 'Content-Length') ?? 0);
  if (bytes.length < s.bodyAt + length) return undefined;
  return bytes.subarray(s.bodyAt, s.bodyAt + length);
}

/** A whole request at the start of `bytes`, or undefined while more must be read. */
export function parseRequest(bytes: Uint8Array): HttpRequest | undefined {
  const s = split(bytes);
  if (!s) return undefined;
  const [method, target, version] = s.start.split(' ');
  const body = bodyOf(bytes, s);
  return body && { method, target, version, headers: s.headers, body };
}

/** A whole response (Content-Length framed) at the start of `bytes`, or undefined while more must be read. */
export function parseResponse(bytes: Uint8Array): HttpResponse | undefined {
  const s = split(bytes);
  if (!s) return undefined;
  const m = /^(HTTP\/1\.[01]) (\d{3}) ?(.*)$/.exec(s.start);
  if (!m) return undefined;
  const body = bodyOf(bytes, s);
  return body && { version: m[1], status: Number(m[2]), reason: m[3], headers: s.headers, body };
}

/** Bytes kept between reads until a message is whole. */
export class ReadBuffer {
  private bytes = new Uint8Array(0);
  push(more: Uint8Array): Uint8Array {
    const next = new Uint8Array(this.bytes.length + more.length);
    next.set(this.bytes);
    next.set(more, this.bytes.length);
    this.bytes = next;
    return next;
  }
  clear(): void {
    this.bytes = new Uint8Array(0);
  }
}

/** The start line and headers as text, as the inspector and the narration quote them. */
export function headText(bytes: Uint8Array): string {
  const s = split(bytes);
  const text = latin1.decode(bytes);
  return s ? text.slice(0, s.bodyAt - 4) : text;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** RFC 9110's IMF-fixdate ("Thu, 01 Jan 2026 00:00:01 GMT"), as Go's net/http and nginx write Date. */
export function httpDate(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000);
  return (
    `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} GMT`
  );
}
