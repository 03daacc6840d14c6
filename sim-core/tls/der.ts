/**
 * A minimal DER reader and writer (ITU-T X.690), enough for X.509
 * certificates and EC keys: single-byte tags, definite lengths. ASN.1 here is
 * encoding only; every signature and key operation is @noble/curves'.
 */
import { concat } from './bytes.ts';

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8String: 0x0c,
  PrintableString: 0x13,
  IA5String: 0x16,
  UTCTime: 0x17,
  GeneralizedTime: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

export interface Der {
  readonly tag: number;
  /** Offset of the tag byte in the input. */
  readonly start: number;
  /** Tag, length and content: the element's whole encoding. */
  readonly raw: Uint8Array;
  readonly content: Uint8Array;
}

export class DerError extends Error {
  override name = 'DerError';
}

/** The element at `offset` of `buf`. */
export function readDer(buf: Uint8Array, offset = 0): Der {
  if (offset + 2 > buf.length) throw new DerError(`DER ends at byte ${offset}`);
  const tag = buf[offset];
  if ((tag & 0x1f) === 0x1f) throw new DerError(`multi-byte tag at byte ${offset}`);
  let len = buf[offset + 1];
  let head = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 3) throw new DerError(`unsupported length form at byte ${offset + 1}`);
    if (offset + 2 + n > buf.length) throw new DerError(`DER length runs past the end`);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[offset + 2 + i];
    head += n;
  }
  if (offset + head + len > buf.length) {
    throw new DerError(
      `element at byte ${offset} needs ${len} bytes, ${buf.length - offset - head} left`,
    );
  }
  return {
    tag,
    start: offset,
    raw: buf.subarray(offset, offset + head + len),
    content: buf.subarray(offset + head, offset + head + len),
  };
}

/** The elements inside a constructed element (SEQUENCE, SET, [n] EXPLICIT). */
export function children(el: Der): Der[] {
  const out: Der[] = [];
  let o = 0;
  while (o < el.content.length) {
    const c = readDer(el.content, o);
    out.push({ ...c, start: el.start + (el.raw.length - el.content.length) + o });
    o += c.raw.length;
  }
  return out;
}

export function expectTag(el: Der | undefined, tag: number, what: string): Der {
  if (!el) throw new DerError(`${what} is missing`);
  if (el.tag !== tag) {
    throw new DerError(
      `${what}: expected tag 0x${tag.toString(16)}, found 0x${el.tag.toString(16)}`,
    );
  }
  return el;
}

export function decodeOid(content: Uint8Array): string {
  const parts: number[] = [];
  let v = 0;
  for (const b of content) {
    v = v * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      parts.push(v);
      v = 0;
    }
  }
  const first = parts.shift() ?? 0;
  const a = first < 80 ? Math.floor(first / 40) : 2;
  return [a, first - 40 * a, ...parts].join('.');
}

export function decodeTime(el: Der): Date {
  const s = new TextDecoder().decode(el.content);
  const m =
    el.tag === TAG.UTCTime
      ? /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(s)
      : /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(s);
  if (!m) throw new DerError(`time "${s}" is not in DER form`);
  let year = Number(m[1]);
  // RFC 5280 §4.1.2.5.1: UTCTime YY ≥ 50 is 19YY, else 20YY.
  if (el.tag === TAG.UTCTime) year += year >= 50 ? 1900 : 2000;
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), +m[4], +m[5], +m[6]));
}

// ---- writer ----

function lengthBytes(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const out: number[] = [];
  while (n > 0) {
    out.unshift(n & 0xff);
    n = Math.floor(n / 256);
  }
  return Uint8Array.of(0x80 | out.length, ...out);
}

export function tlv(tag: number, ...content: Uint8Array[]): Uint8Array {
  const body = concat(content);
  return concat([Uint8Array.of(tag), lengthBytes(body.length), body]);
}

export const seq = (...items: Uint8Array[]) => tlv(TAG.SEQUENCE, ...items);
export const set = (...items: Uint8Array[]) => tlv(TAG.SET, ...items);
/** [n] EXPLICIT, constructed context-specific tag. */
export const explicit = (n: number, ...items: Uint8Array[]) => tlv(0xa0 | n, ...items);

/** An INTEGER from unsigned big-endian bytes (a 0 prepended when the top bit is set). */
export function uint(bytes: Uint8Array): Uint8Array {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const b = bytes.subarray(i);
  return tlv(TAG.INTEGER, b[0] & 0x80 ? concat([Uint8Array.of(0), b]) : b);
}

export function oid(dotted: string): Uint8Array {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [40 * a + b];
  for (const n of rest) {
    const group: number[] = [n & 0x7f];
    let v = Math.floor(n / 128);
    while (v > 0) {
      group.unshift(0x80 | (v & 0x7f));
      v = Math.floor(v / 128);
    }
    out.push(...group);
  }
  return tlv(TAG.OID, Uint8Array.from(out));
}

export function bitString(bytes: Uint8Array, unusedBits = 0): Uint8Array {
  return tlv(TAG.BIT_STRING, Uint8Array.of(unusedBits), bytes);
}

export function str(tag: number, s: string): Uint8Array {
  return tlv(tag, new TextEncoder().encode(s));
}

/** UTCTime through 2049, GeneralizedTime after (RFC 5280 §4.1.2.5), seconds, Z. */
export function time(d: Date): Uint8Array {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const body = `${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  const y = d.getUTCFullYear();
  return y < 2050 ? str(TAG.UTCTime, p(y % 100) + body) : str(TAG.GeneralizedTime, p(y, 4) + body);
}
