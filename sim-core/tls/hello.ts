/**
 * ClientHello and ServerHello (RFC 8446 §4.1.2-3).
 *
 * The ClientHello is the one curl sends through OpenSSL 3.0, read from a
 * capture of `curl -k https://…` against `openssl s_server` on this machine
 * (test/fixtures/tls/curl-clienthello.hex): the same 31 cipher suites,
 * extensions in the same order, OpenSSL's RFC 7685 padding to 512 bytes.
 * One difference from that capture (curl 7.88.1): supported_versions offers
 * TLS 1.3 and 1.2 only, as curl ≥ 8.16 does since it made TLS 1.2 its
 * minimum (curl/curl#17894). The ServerHello is OpenSSL's as a server.
 */
import { TlsError } from './alerts.ts';
import { Reader, Writer, toHex, utf8 } from './bytes.ts';
import {
  EXT,
  GROUP_X25519,
  HRR_RANDOM,
  HS,
  TLS12,
  TLS13,
  alpnExt,
  ext,
  findExt,
  handshake,
  parseAlpn,
  parseServerName,
  readExtensions,
  u16List,
  writeExtensions,
} from './messages.ts';
import type { Extension } from './messages.ts';

/** OpenSSL 3.0's default client cipher list, in its order (TLS 1.3 suites first). */
export const CURL_CIPHER_SUITES = [
  0x1302, 0x1303, 0x1301, 0xc02c, 0xc030, 0x009f, 0xcca9, 0xcca8, 0xccaa, 0xc02b, 0xc02f, 0x009e,
  0xc024, 0xc028, 0x006b, 0xc023, 0xc027, 0x0067, 0xc00a, 0xc014, 0x0039, 0xc009, 0xc013, 0x0033,
  0x009d, 0x009c, 0x003d, 0x003c, 0x0035, 0x002f, 0x00ff,
];
/** x25519, secp256r1, x448, secp521r1, secp384r1, ffdhe2048…8192 */
export const CURL_GROUPS = [
  0x001d, 0x0017, 0x001e, 0x0019, 0x0018, 0x0100, 0x0101, 0x0102, 0x0103, 0x0104,
];
/** ecdsa_secp256r1_sha256 first, … the legacy SHA-224 and DSA pairs last. */
export const CURL_SIGNATURE_ALGORITHMS = [
  0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0809, 0x080a, 0x080b, 0x0804, 0x0805, 0x0806, 0x0401,
  0x0501, 0x0601, 0x0303, 0x0301, 0x0302, 0x0402, 0x0502, 0x0602,
];

export interface ClientHelloParams {
  readonly random: Uint8Array;
  readonly sessionId: Uint8Array;
  /** Absent (curl sends no SNI for an IP address literal). */
  readonly serverName?: string;
  readonly alpn: readonly string[];
  readonly keyShare: Uint8Array;
  readonly versions?: readonly number[];
}

const isIpLiteral = (host: string) => /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.includes(':');

/** The whole ClientHello handshake message (header included). */
export function buildClientHello(p: ClientHelloParams): Uint8Array {
  const exts: Extension[] = [];
  if (p.serverName && !isIpLiteral(p.serverName)) {
    const name = utf8(p.serverName);
    exts.push(ext(EXT.server_name, (w) => w.vec(2, (l) => l.u8(0).vec(2, (n) => n.bytes(name)))));
  }
  exts.push(ext(EXT.ec_point_formats, (w) => w.vec(1, (l) => l.u8(0).u8(1).u8(2))));
  exts.push(
    ext(EXT.supported_groups, (w) => w.vec(2, (l) => CURL_GROUPS.forEach((g) => l.u16(g)))),
  );
  if (p.alpn.length > 0) exts.push(alpnExt(p.alpn));
  exts.push(ext(EXT.encrypt_then_mac), ext(EXT.extended_master_secret));
  exts.push(ext(EXT.post_handshake_auth));
  exts.push(
    ext(EXT.signature_algorithms, (w) =>
      w.vec(2, (l) => CURL_SIGNATURE_ALGORITHMS.forEach((s) => l.u16(s))),
    ),
  );
  const versions = p.versions ?? [TLS13, TLS12];
  exts.push(ext(EXT.supported_versions, (w) => w.vec(1, (l) => versions.forEach((v) => l.u16(v)))));
  exts.push(ext(EXT.psk_key_exchange_modes, (w) => w.vec(1, (l) => l.u8(1)))); // psk_dhe_ke
  exts.push(
    ext(EXT.key_share, (w) =>
      w.vec(2, (l) => l.u16(GROUP_X25519).vec(2, (k) => k.bytes(p.keyShare))),
    ),
  );
  const body = (list: Extension[]) => {
    const w = new Writer()
      .u16(TLS12)
      .bytes(p.random)
      .vec(1, (s) => s.bytes(p.sessionId))
      .vec(2, (c) => CURL_CIPHER_SUITES.forEach((s) => c.u16(s)))
      .vec(1, (c) => c.u8(0));
    writeExtensions(w, list);
    return w.finish();
  };
  // OpenSSL's tls_construct_ctos_padding (RFC 7685, the F5 workaround): a
  // hello of 256..511 bytes (with its 4-byte header) is padded to 512, the
  // padding extension at least 1 byte long.
  const unpadded = 4 + body(exts).length;
  if (unpadded > 0xff && unpadded < 0x200) {
    const n = 0x200 - unpadded > 4 ? 0x200 - unpadded - 4 : 1;
    exts.push(ext(EXT.padding, (w) => w.bytes(new Uint8Array(n))));
  }
  return handshake(HS.client_hello, body(exts));
}

export interface ClientHello {
  readonly random: Uint8Array;
  readonly sessionId: Uint8Array;
  readonly cipherSuites: number[];
  readonly extensions: Extension[];
  readonly serverName?: string;
  readonly alpn: string[];
  readonly versions: number[];
  readonly groups: number[];
  readonly signatureAlgorithms: number[];
  /** The client's x25519 key share, if it sent one. */
  readonly x25519?: Uint8Array;
}

function readU16s(data: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < data.length; i += 2) out.push((data[i] << 8) | data[i + 1]);
  return out;
}

export function parseClientHello(body: Uint8Array): ClientHello {
  const r = new Reader(body, 'ClientHello');
  r.u16(); // legacy_version
  const random = r.bytes(32).slice();
  const sessionId = r.vec(1).slice();
  const cipherSuites = readU16s(r.vec(2));
  r.vec(1); // legacy_compression_methods
  const extensions = readExtensions(r);
  r.end();
  const get = (t: number) => findExt(extensions, t);
  const sni = get(EXT.server_name);
  const alpn = get(EXT.application_layer_protocol_negotiation);
  const sv = get(EXT.supported_versions);
  const groups = get(EXT.supported_groups);
  const sigs = get(EXT.signature_algorithms);
  let x25519: Uint8Array | undefined;
  const ks = get(EXT.key_share);
  if (ks) {
    const list = new Reader(new Reader(ks, 'key_share').vec(2), 'key_share list');
    while (list.remaining > 0) {
      const group = list.u16();
      const key = list.vec(2);
      if (group === GROUP_X25519 && !x25519) x25519 = key.slice();
    }
  }
  return {
    random,
    sessionId,
    cipherSuites,
    extensions,
    serverName: sni && sni.length > 0 ? parseServerName(sni) : undefined,
    alpn: alpn ? parseAlpn(alpn) : [],
    versions: sv ? readU16s(new Reader(sv, 'supported_versions').vec(1)) : [],
    groups: groups ? u16List(groups, 2, 'supported_groups') : [],
    signatureAlgorithms: sigs ? u16List(sigs, 2, 'signature_algorithms') : [],
    x25519,
  };
}

export interface ServerHelloParams {
  readonly random: Uint8Array;
  readonly sessionId: Uint8Array;
  readonly cipherSuite: number;
  readonly keyShare: Uint8Array;
}

/** OpenSSL's TLS 1.3 ServerHello: supported_versions then key_share. */
export function buildServerHello(p: ServerHelloParams): Uint8Array {
  const w = new Writer()
    .u16(TLS12)
    .bytes(p.random)
    .vec(1, (s) => s.bytes(p.sessionId))
    .u16(p.cipherSuite)
    .u8(0);
  writeExtensions(w, [
    ext(EXT.supported_versions, (v) => v.u16(TLS13)),
    ext(EXT.key_share, (k) => k.u16(GROUP_X25519).vec(2, (b) => b.bytes(p.keyShare))),
  ]);
  return handshake(HS.server_hello, w.finish());
}

export interface ServerHello {
  readonly random: Uint8Array;
  readonly sessionId: Uint8Array;
  readonly cipherSuite: number;
  readonly version: number;
  readonly group: number;
  readonly keyShare: Uint8Array;
}

export function parseServerHello(body: Uint8Array): ServerHello {
  const r = new Reader(body, 'ServerHello');
  const legacy = r.u16();
  const random = r.bytes(32).slice();
  const sessionId = r.vec(1).slice();
  const cipherSuite = r.u16();
  r.u8();
  const extensions = readExtensions(r);
  r.end();
  if (toHex(random) === HRR_RANDOM) {
    throw new TlsError('handshake_failure', 'HelloRetryRequest: the server wants another group');
  }
  const sv = findExt(extensions, EXT.supported_versions);
  const version = sv && sv.length === 2 ? (sv[0] << 8) | sv[1] : legacy;
  if (version !== TLS13) {
    throw new TlsError(
      'protocol_version',
      `server chose version 0x${version.toString(16).padStart(4, '0')}; this client speaks TLS 1.3 only`,
    );
  }
  const ks = findExt(extensions, EXT.key_share);
  if (!ks) throw new TlsError('missing_extension', 'ServerHello has no key_share');
  const kr = new Reader(ks, 'key_share');
  const group = kr.u16();
  const keyShare = kr.vec(2).slice();
  kr.end();
  return { random, sessionId, cipherSuite, version, group, keyShare };
}
