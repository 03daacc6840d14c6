/**
 * The TLS 1.3 key schedule (RFC 8446 §7.1) on @noble/hashes' HKDF and HMAC:
 * HKDF-Expand-Label, Derive-Secret, the handshake and application traffic
 * secrets, and the traffic key and IV each record protection uses (§7.3).
 */
import { expand, extract } from '@noble/hashes/hkdf';
import { hmac } from '@noble/hashes/hmac';
import { Writer, utf8 } from './bytes.ts';
import type { CipherSuite } from './suites.ts';

export function hkdfExpandLabel(
  suite: CipherSuite,
  secret: Uint8Array,
  label: string,
  context: Uint8Array,
  length: number,
): Uint8Array {
  const info = new Writer()
    .u16(length)
    .vec(1, (w) => w.bytes(utf8('tls13 ' + label)))
    .vec(1, (w) => w.bytes(context))
    .finish();
  return expand(suite.hash, secret, info, length);
}

export function deriveSecret(
  suite: CipherSuite,
  secret: Uint8Array,
  label: string,
  transcriptHash: Uint8Array,
): Uint8Array {
  return hkdfExpandLabel(suite, secret, label, transcriptHash, suite.hashLen);
}

export interface TrafficKeys {
  readonly key: Uint8Array;
  readonly iv: Uint8Array;
}

export function trafficKeys(suite: CipherSuite, secret: Uint8Array): TrafficKeys {
  const empty = new Uint8Array(0);
  return {
    key: hkdfExpandLabel(suite, secret, 'key', empty, suite.keyLen),
    iv: hkdfExpandLabel(suite, secret, 'iv', empty, 12),
  };
}

/** verify_data of a Finished message (§4.4.4). */
export function finishedMac(
  suite: CipherSuite,
  baseKey: Uint8Array,
  transcriptHash: Uint8Array,
): Uint8Array {
  const finishedKey = hkdfExpandLabel(suite, baseKey, 'finished', new Uint8Array(0), suite.hashLen);
  return hmac(suite.hash, finishedKey, transcriptHash);
}

export interface HandshakeSecrets {
  readonly handshakeSecret: Uint8Array;
  readonly clientHandshake: Uint8Array;
  readonly serverHandshake: Uint8Array;
}

export interface ApplicationSecrets {
  readonly clientApplication: Uint8Array;
  readonly serverApplication: Uint8Array;
  readonly exporter: Uint8Array;
}

/** No PSK: the early secret is HKDF-Extract(0, 0) and only salts the handshake secret. */
export function handshakeSecrets(
  suite: CipherSuite,
  ecdhe: Uint8Array,
  helloHash: Uint8Array,
): HandshakeSecrets {
  const zeros = new Uint8Array(suite.hashLen);
  const early = extract(suite.hash, zeros, zeros);
  const derived = deriveSecret(suite, early, 'derived', suite.hash(new Uint8Array(0)));
  const hs = extract(suite.hash, ecdhe, derived);
  return {
    handshakeSecret: hs,
    clientHandshake: deriveSecret(suite, hs, 'c hs traffic', helloHash),
    serverHandshake: deriveSecret(suite, hs, 's hs traffic', helloHash),
  };
}

/** From the handshake secret and the transcript through the server's Finished. */
export function applicationSecrets(
  suite: CipherSuite,
  handshakeSecret: Uint8Array,
  serverFinishedHash: Uint8Array,
): ApplicationSecrets {
  const zeros = new Uint8Array(suite.hashLen);
  const derived = deriveSecret(suite, handshakeSecret, 'derived', suite.hash(new Uint8Array(0)));
  const master = extract(suite.hash, zeros, derived);
  return {
    clientApplication: deriveSecret(suite, master, 'c ap traffic', serverFinishedHash),
    serverApplication: deriveSecret(suite, master, 's ap traffic', serverFinishedHash),
    exporter: deriveSecret(suite, master, 'exp master', serverFinishedHash),
  };
}
