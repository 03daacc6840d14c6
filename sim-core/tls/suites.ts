/**
 * The three TLS 1.3 cipher suites (RFC 8446 §B.4) on @noble/ciphers and
 * @noble/hashes: the AEAD and the transcript hash each suite names.
 */
import { gcm } from '@noble/ciphers/aes';
import { chacha20poly1305 } from '@noble/ciphers/chacha';
import { sha256, sha384 } from '@noble/hashes/sha2';

export type Hash = typeof sha256;

export interface CipherSuite {
  readonly code: number;
  /** IANA name, as Wireshark and `openssl s_client` print it. */
  readonly name: string;
  readonly hash: Hash;
  readonly hashLen: number;
  readonly keyLen: number;
  readonly seal: (
    key: Uint8Array,
    nonce: Uint8Array,
    aad: Uint8Array,
    pt: Uint8Array,
  ) => Uint8Array;
  readonly open: (
    key: Uint8Array,
    nonce: Uint8Array,
    aad: Uint8Array,
    ct: Uint8Array,
  ) => Uint8Array;
}

const aead =
  (make: typeof gcm) =>
  (op: 'encrypt' | 'decrypt') =>
  (key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, data: Uint8Array) =>
    make(key, nonce, aad)[op](data);
const aesGcm = aead(gcm);
const chacha = aead(chacha20poly1305 as unknown as typeof gcm);

export const TLS_AES_128_GCM_SHA256: CipherSuite = {
  code: 0x1301,
  name: 'TLS_AES_128_GCM_SHA256',
  hash: sha256,
  hashLen: 32,
  keyLen: 16,
  seal: aesGcm('encrypt'),
  open: aesGcm('decrypt'),
};
export const TLS_AES_256_GCM_SHA384: CipherSuite = {
  code: 0x1302,
  name: 'TLS_AES_256_GCM_SHA384',
  hash: sha384 as Hash,
  hashLen: 48,
  keyLen: 32,
  seal: aesGcm('encrypt'),
  open: aesGcm('decrypt'),
};
export const TLS_CHACHA20_POLY1305_SHA256: CipherSuite = {
  code: 0x1303,
  name: 'TLS_CHACHA20_POLY1305_SHA256',
  hash: sha256,
  hashLen: 32,
  keyLen: 32,
  seal: chacha('encrypt'),
  open: chacha('decrypt'),
};

/** OpenSSL 3's default TLS 1.3 order (`TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256`). */
export const TLS13_SUITES: readonly CipherSuite[] = [
  TLS_AES_256_GCM_SHA384,
  TLS_CHACHA20_POLY1305_SHA256,
  TLS_AES_128_GCM_SHA256,
];

export function suiteByCode(code: number): CipherSuite | undefined {
  return TLS13_SUITES.find((s) => s.code === code);
}
