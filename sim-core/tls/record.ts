/**
 * The TLS record layer (RFC 8446 §5). On the wire every record is
 *
 *   offset len field
 *        0   1 content type (20 change_cipher_spec, 21 alert, 22 handshake, 23 application_data)
 *        1   2 legacy_record_version (0x0301 in a first ClientHello, else 0x0303)
 *        3   2 length (≤ 2^14 plaintext, ≤ 2^14 + 256 protected)
 *        5   … fragment
 *
 * Once keys are in place every record is application_data on the outside
 * (content type hiding): the AEAD seals TLSInnerPlaintext = content ‖ real
 * type (‖ zero padding, which OpenSSL does not add), with the record header
 * as additional data and the per-record nonce iv XOR the 64-bit sequence
 * number (§5.3).
 */
import { TlsError } from './alerts.ts';
import { concat } from './bytes.ts';
import type { TrafficKeys } from './schedule.ts';
import type { CipherSuite } from './suites.ts';

export const CONTENT_CHANGE_CIPHER_SPEC = 20;
export const CONTENT_ALERT = 21;
export const CONTENT_HANDSHAKE = 22;
export const CONTENT_APPLICATION_DATA = 23;

export const RECORD_HEADER_LEN = 5;
/** 2^14: the most plaintext one record may carry (§5.1). */
export const MAX_PLAINTEXT = 16384;
/** 2^14 + 256: the most a protected record's fragment may be (§5.2). */
export const MAX_CIPHERTEXT = MAX_PLAINTEXT + 256;

export const CONTENT_NAMES: Record<number, string> = {
  20: 'Change Cipher Spec',
  21: 'Alert',
  22: 'Handshake',
  23: 'Application Data',
};

export interface TlsRecord {
  readonly type: number;
  readonly version: number;
  readonly fragment: Uint8Array;
}

export function recordHeader(type: number, version: number, length: number): Uint8Array {
  return Uint8Array.of(type, version >> 8, version & 0xff, length >> 8, length & 0xff);
}

export function plainRecord(type: number, version: number, fragment: Uint8Array): Uint8Array {
  return concat([recordHeader(type, version, fragment.length), fragment]);
}

/** Collects TCP bytes and hands out whole records; a record may span many segments. */
export class RecordBuffer {
  private pending: Uint8Array = new Uint8Array(0);

  push(bytes: Uint8Array): TlsRecord[] {
    this.pending = this.pending.length ? concat([this.pending, bytes]) : bytes.slice();
    const out: TlsRecord[] = [];
    let o = 0;
    while (this.pending.length - o >= RECORD_HEADER_LEN) {
      const p = this.pending;
      const type = p[o];
      const version = (p[o + 1] << 8) | p[o + 2];
      const len = (p[o + 3] << 8) | p[o + 4];
      if (type < 20 || type > 24) {
        throw new TlsError('unexpected_message', `record content type ${type} is not TLS`);
      }
      if (len > MAX_CIPHERTEXT) {
        throw new TlsError('record_overflow', `record of ${len} bytes (limit ${MAX_CIPHERTEXT})`);
      }
      if (p.length - o - RECORD_HEADER_LEN < len) break;
      out.push({ type, version, fragment: p.slice(o + 5, o + 5 + len) });
      o += RECORD_HEADER_LEN + len;
    }
    this.pending = this.pending.slice(o);
    return out;
  }

  get buffered(): number {
    return this.pending.length;
  }
}

/** One direction's protection: a suite, its key and IV, and the record sequence number. */
export class Protection {
  private seq = 0n;
  constructor(
    readonly suite: CipherSuite,
    private readonly keys: TrafficKeys,
  ) {}

  private nonce(): Uint8Array {
    const n = this.keys.iv.slice();
    let s = this.seq;
    for (let i = 11; i >= 4; i--) {
      n[i] ^= Number(s & 0xffn);
      s >>= 8n;
    }
    this.seq++;
    return n;
  }

  /** One protected record carrying `content` of the real type `innerType`. */
  seal(innerType: number, content: Uint8Array): Uint8Array {
    if (content.length > MAX_PLAINTEXT) {
      throw new TlsError('internal_error', `${content.length} bytes do not fit one record`);
    }
    const inner = concat([content, Uint8Array.of(innerType)]);
    const header = recordHeader(CONTENT_APPLICATION_DATA, 0x0303, inner.length + 16);
    const sealed = this.suite.seal(this.keys.key, this.nonce(), header, inner);
    return concat([header, sealed]);
  }

  /** The real content type and content of a protected record. */
  open(rec: TlsRecord): { type: number; content: Uint8Array } {
    if (rec.type !== CONTENT_APPLICATION_DATA) {
      throw new TlsError('unexpected_message', `${CONTENT_NAMES[rec.type]} record after keys`);
    }
    const header = recordHeader(rec.type, rec.version, rec.fragment.length);
    let inner: Uint8Array;
    try {
      inner = this.suite.open(this.keys.key, this.nonce(), header, rec.fragment);
    } catch {
      throw new TlsError('bad_record_mac', 'record does not decrypt (wrong keys or altered bytes)');
    }
    let end = inner.length;
    while (end > 0 && inner[end - 1] === 0) end--;
    if (end === 0) throw new TlsError('unexpected_message', 'record has no content type');
    if (end - 1 > MAX_PLAINTEXT) throw new TlsError('record_overflow', 'plaintext over 2^14');
    return { type: inner[end - 1], content: inner.subarray(0, end - 1) };
  }
}
