/**
 * TLS 1.3 for Kubewire, sans-IO: bytes in, records and plaintext out. The
 * crypto is @noble/curves (x25519, P-256 ECDSA with RFC 6979 nonces),
 * @noble/hashes (SHA-256/384, HKDF, HMAC) and @noble/ciphers (AES-GCM,
 * ChaCha20-Poly1305); this folder only frames and sequences it. Keys come
 * from the simulation's seed: reproducible for teaching, never secret.
 */
export { createTlsClient } from './client.ts';
export type { TlsClient, TlsClientOptions } from './client.ts';
export { createTlsServer } from './server.ts';
export type { ServerCertificate, TlsServer, TlsServerOptions } from './server.ts';
export type {
  TlsEndpoint,
  TlsEvent,
  TlsFailure,
  TlsOutput,
  TlsRecordInfo,
  TlsState,
} from './endpoint.ts';
export type { TlsCertificateFacts, TlsFacts } from './facts.ts';
export {
  certificateMatches,
  ecPrivateKeyDer,
  fakeIngressCertificate,
  generateP256Key,
  parseCertificate,
  parseEcPrivateKey,
  pemDecode,
  pemEncode,
  selfSignedCertificate,
} from './x509.ts';
export type { FakeCertificate, NameAttribute, ParsedCertificate, PemBlock } from './x509.ts';
