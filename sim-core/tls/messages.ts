/**
 * TLS 1.3 handshake messages (RFC 8446 §4): the 4-byte header
 * (msg_type, uint24 length), reassembly across records, and the bodies this
 * library sends and reads. Names are the RFC's.
 */
import { TlsError } from './alerts.ts';
import { Reader, Writer, concat, fromUtf8 } from './bytes.ts';

export const HS = {
  client_hello: 1,
  server_hello: 2,
  new_session_ticket: 4,
  end_of_early_data: 5,
  encrypted_extensions: 8,
  certificate: 11,
  certificate_request: 13,
  certificate_verify: 15,
  finished: 20,
  key_update: 24,
} as const;

/** Wireshark's names for the handshake types ("Client Hello"). */
export const HANDSHAKE_NAMES: Record<number, string> = {
  1: 'Client Hello',
  2: 'Server Hello',
  4: 'New Session Ticket',
  5: 'End of Early Data',
  8: 'Encrypted Extensions',
  11: 'Certificate',
  13: 'Certificate Request',
  15: 'Certificate Verify',
  20: 'Finished',
  24: 'Key Update',
};

export const EXT = {
  server_name: 0,
  supported_groups: 10,
  ec_point_formats: 11,
  signature_algorithms: 13,
  application_layer_protocol_negotiation: 16,
  padding: 21,
  encrypt_then_mac: 22,
  extended_master_secret: 23,
  session_ticket: 35,
  pre_shared_key: 41,
  early_data: 42,
  supported_versions: 43,
  psk_key_exchange_modes: 45,
  post_handshake_auth: 49,
  key_share: 51,
} as const;

export const TLS13 = 0x0304;
export const TLS12 = 0x0303;
export const GROUP_X25519 = 0x001d;
export const SIG_ECDSA_SECP256R1_SHA256 = 0x0403;

/** SHA-256("HelloRetryRequest"): a ServerHello with this random is a HelloRetryRequest (§4.1.3). */
export const HRR_RANDOM = 'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c';

export interface HandshakeMessage {
  readonly type: number;
  readonly body: Uint8Array;
  /** Header and body: what the transcript hash covers. */
  readonly raw: Uint8Array;
}

export function handshake(type: number, body: Uint8Array): Uint8Array {
  return new Writer().u8(type).u24(body.length).bytes(body).finish();
}

/** Handshake messages may span records and a record may hold several (§5.1). */
export class HandshakeBuffer {
  private pending: Uint8Array = new Uint8Array(0);

  push(content: Uint8Array): HandshakeMessage[] {
    this.pending = this.pending.length ? concat([this.pending, content]) : content.slice();
    const out: HandshakeMessage[] = [];
    let o = 0;
    while (this.pending.length - o >= 4) {
      const p = this.pending;
      const len = (p[o + 1] << 16) | (p[o + 2] << 8) | p[o + 3];
      if (p.length - o - 4 < len) break;
      const raw = p.slice(o, o + 4 + len);
      out.push({ type: raw[0], body: raw.subarray(4), raw });
      o += 4 + len;
    }
    this.pending = this.pending.slice(o);
    return out;
  }

  get empty(): boolean {
    return this.pending.length === 0;
  }
}

export interface Extension {
  readonly type: number;
  readonly data: Uint8Array;
}

export function writeExtensions(w: Writer, exts: readonly Extension[]): void {
  w.vec(2, (v) => {
    for (const e of exts) v.u16(e.type).vec(2, (d) => d.bytes(e.data));
  });
}

export function readExtensions(r: Reader): Extension[] {
  if (r.remaining === 0) return [];
  const block = new Reader(r.vec(2), 'extensions');
  const out: Extension[] = [];
  const seen = new Set<number>();
  while (block.remaining > 0) {
    const type = block.u16();
    if (seen.has(type)) throw new TlsError('illegal_parameter', `extension ${type} sent twice`);
    seen.add(type);
    out.push({ type, data: block.vec(2) });
  }
  return out;
}

export const ext = (type: number, fn: (w: Writer) => void = () => {}): Extension => {
  const w = new Writer();
  fn(w);
  return { type, data: w.finish() };
};

export function findExt(exts: readonly Extension[], type: number): Uint8Array | undefined {
  return exts.find((e) => e.type === type)?.data;
}

/** server_name's host_name (§3 of RFC 6066), or undefined. */
export function parseServerName(data: Uint8Array): string | undefined {
  const list = new Reader(new Reader(data, 'server_name').vec(2), 'server_name list');
  while (list.remaining > 0) {
    const type = list.u8();
    const name = list.vec(2);
    if (type === 0) return fromUtf8(name);
  }
  return undefined;
}

export function parseAlpn(data: Uint8Array): string[] {
  const list = new Reader(new Reader(data, 'ALPN').vec(2), 'ALPN list');
  const out: string[] = [];
  while (list.remaining > 0) out.push(fromUtf8(list.vec(1)));
  return out;
}

export function alpnExt(protocols: readonly string[]): Extension {
  const enc = new TextEncoder();
  return ext(EXT.application_layer_protocol_negotiation, (w) =>
    w.vec(2, (l) => protocols.forEach((p) => l.vec(1, (s) => s.bytes(enc.encode(p))))),
  );
}

export function u16List(data: Uint8Array, lenBytes: 1 | 2, what: string): number[] {
  const r = new Reader(new Reader(data, what).vec(lenBytes), what);
  const out: number[] = [];
  while (r.remaining > 0) out.push(r.u16());
  return out;
}

export interface Certificate {
  readonly chain: Uint8Array[];
}

export function certificateBody(chain: readonly Uint8Array[]): Uint8Array {
  return new Writer()
    .vec(1, () => {}) // certificate_request_context: empty for a server
    .vec(3, (l) => chain.forEach((der) => l.vec(3, (c) => c.bytes(der)).vec(2, () => {})))
    .finish();
}

export function parseCertificate(body: Uint8Array): Uint8Array[] {
  const r = new Reader(body, 'Certificate');
  r.vec(1);
  const list = new Reader(r.vec(3), 'certificate_list');
  r.end();
  const chain: Uint8Array[] = [];
  while (list.remaining > 0) {
    chain.push(list.vec(3).slice());
    list.vec(2);
  }
  if (chain.length === 0) throw new TlsError('decode_error', 'server sent no certificate');
  return chain;
}

export function certificateVerifyBody(scheme: number, signature: Uint8Array): Uint8Array {
  return new Writer()
    .u16(scheme)
    .vec(2, (w) => w.bytes(signature))
    .finish();
}

export function parseCertificateVerify(body: Uint8Array): {
  scheme: number;
  signature: Uint8Array;
} {
  const r = new Reader(body, 'CertificateVerify');
  const scheme = r.u16();
  const signature = r.vec(2);
  r.end();
  return { scheme, signature };
}

/** What the server's CertificateVerify signs (§4.4.3): 64 spaces, the context string, 0, the hash. */
export function certificateVerifyContent(transcriptHash: Uint8Array, server: boolean): Uint8Array {
  const label = new TextEncoder().encode(
    `TLS 1.3, ${server ? 'server' : 'client'} CertificateVerify`,
  );
  return concat([new Uint8Array(64).fill(0x20), label, Uint8Array.of(0), transcriptHash]);
}

export interface NewSessionTicket {
  readonly lifetime: number;
  readonly ageAdd: number;
  readonly nonce: Uint8Array;
  readonly ticket: Uint8Array;
}

export function newSessionTicketBody(t: NewSessionTicket): Uint8Array {
  return new Writer()
    .u32(t.lifetime)
    .u32(t.ageAdd)
    .vec(1, (w) => w.bytes(t.nonce))
    .vec(2, (w) => w.bytes(t.ticket))
    .vec(2, () => {})
    .finish();
}

export function parseNewSessionTicket(body: Uint8Array): NewSessionTicket {
  const r = new Reader(body, 'NewSessionTicket');
  const t = { lifetime: r.u32(), ageAdd: r.u32(), nonce: r.vec(1), ticket: r.vec(2) };
  r.vec(2);
  r.end();
  return t;
}
