/**
 * Standard base64 (RFC 4648 §4, padded), as Go's base64.StdEncoding reads a
 * Secret's data: newlines are skipped, anything else outside the alphabet or
 * a missing pad is "illegal base64 data at input byte N" (N counts from 0).
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUE = new Map([...ALPHABET].map((c, i) => [c, i]));

export type Base64Result =
  { readonly ok: true; readonly bytes: Uint8Array } | { readonly ok: false; readonly at: number };

export function decodeBase64(text: string): Base64Result {
  const out: number[] = [];
  let quad: number[] = [];
  let start = 0; // where the current quantum began, for Go's error offset
  let pad = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n' || c === '\r') continue;
    if (quad.length === 0) start = i;
    if (c === '=') {
      // Padding only in the last two places of a quantum.
      if (quad.length < 2) return { ok: false, at: i };
      pad++;
      quad.push(0);
      if (quad.length < 4) continue;
      flush(quad, out, pad);
      let rest = i + 1;
      while (rest < text.length && (text[rest] === '\n' || text[rest] === '\r')) rest++;
      if (rest < text.length) return { ok: false, at: rest };
      return { ok: true, bytes: Uint8Array.from(out) };
    }
    const v = VALUE.get(c);
    if (pad > 0) return { ok: false, at: i - 1 };
    if (v === undefined) return { ok: false, at: i };
    quad.push(v);
    if (quad.length === 4) {
      flush(quad, out, 0);
      quad = [];
    }
  }
  if (pad > 0) return { ok: false, at: text.length };
  if (quad.length > 0) return { ok: false, at: start };
  return { ok: true, bytes: Uint8Array.from(out) };
}

function flush(q: number[], out: number[], pad: number): void {
  const n = (q[0] << 18) | (q[1] << 12) | (q[2] << 6) | q[3];
  out.push((n >> 16) & 0xff);
  if (pad < 2) out.push((n >> 8) & 0xff);
  if (pad < 1) out.push(n & 0xff);
}

export function encodeBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    s += ALPHABET[(n >> 18) & 63] + ALPHABET[(n >> 12) & 63];
    s += i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63] : '=';
    s += i + 2 < bytes.length ? ALPHABET[n & 63] : '=';
  }
  return s;
}

/** UTF-8 text of base64 data (a PEM file in a Secret), or undefined if it is not base64. */
export function base64Text(data: string): string | undefined {
  const r = decodeBase64(data);
  return r.ok ? new TextDecoder().decode(r.bytes) : undefined;
}

export function textBase64(text: string): string {
  return encodeBase64(new TextEncoder().encode(text));
}
