/**
 * Byte vectors as RFC 8446 §3 writes them: big-endian integers and
 * length-prefixed vectors (`opaque x<0..2^16-1>` has a 2-byte length).
 * A Writer collects parts; a Reader walks a buffer and throws a TlsError
 * (decode_error) when a vector runs past its end.
 */
import type { Rng } from '../engine/rng.ts';
import { TlsError } from './alerts.ts';

export class Writer {
  private parts: Uint8Array[] = [];
  private size = 0;

  u8(n: number): this {
    return this.bytes(Uint8Array.of(n & 0xff));
  }
  u16(n: number): this {
    return this.bytes(Uint8Array.of((n >> 8) & 0xff, n & 0xff));
  }
  u24(n: number): this {
    return this.bytes(Uint8Array.of((n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff));
  }
  u32(n: number): this {
    return this.bytes(Uint8Array.of(n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff));
  }
  bytes(b: Uint8Array): this {
    this.parts.push(b);
    this.size += b.length;
    return this;
  }
  /** A vector with a `lenBytes`-byte length prefix, its body written by `fn`. */
  vec(lenBytes: 1 | 2 | 3, fn: (w: Writer) => void): this {
    const inner = new Writer();
    fn(inner);
    const body = inner.finish();
    if (lenBytes === 1) this.u8(body.length);
    else if (lenBytes === 2) this.u16(body.length);
    else this.u24(body.length);
    return this.bytes(body);
  }
  get length(): number {
    return this.size;
  }
  finish(): Uint8Array {
    return concat(this.parts);
  }
}

export class Reader {
  private pos = 0;
  constructor(
    private readonly buf: Uint8Array,
    private readonly what = 'message',
  ) {}

  private need(n: number): void {
    if (this.pos + n > this.buf.length) {
      throw new TlsError('decode_error', `${this.what} ends early (needs ${n} more bytes)`);
    }
  }
  u8(): number {
    this.need(1);
    return this.buf[this.pos++];
  }
  u16(): number {
    this.need(2);
    const v = (this.buf[this.pos] << 8) | this.buf[this.pos + 1];
    this.pos += 2;
    return v;
  }
  u24(): number {
    this.need(3);
    const b = this.buf;
    const v = (b[this.pos] << 16) | (b[this.pos + 1] << 8) | b[this.pos + 2];
    this.pos += 3;
    return v;
  }
  u32(): number {
    return ((this.u16() << 16) >>> 0) + this.u16();
  }
  bytes(n: number): Uint8Array {
    this.need(n);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  vec(lenBytes: 1 | 2 | 3): Uint8Array {
    const n = lenBytes === 1 ? this.u8() : lenBytes === 2 ? this.u16() : this.u24();
    return this.bytes(n);
  }
  get remaining(): number {
    return this.buf.length - this.pos;
  }
  get offset(): number {
    return this.pos;
  }
  end(): void {
    if (this.remaining !== 0) {
      throw new TlsError('decode_error', `${this.remaining} stray bytes after ${this.what}`);
    }
  }
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function toHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

export function fromHex(s: string): Uint8Array {
  const clean = s.replace(/[\s:]/g, '');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

/**
 * `n` bytes from the simulation's seeded generator. TLS randoms and key
 * shares made this way are reproducible from the scenario's seed: right for
 * a teaching trace, never for real secrecy.
 */
export function randomBytes(rng: Rng, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 4) {
    const v = rng.u32();
    for (let j = 0; j < 4 && i + j < n; j++) out[i + j] = (v >>> (8 * j)) & 0xff;
  }
  return out;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
export const utf8 = (s: string): Uint8Array => encoder.encode(s);
export const fromUtf8 = (b: Uint8Array): string => decoder.decode(b);
