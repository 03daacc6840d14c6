/**
 * X.509 certificates and EC keys, as a Kubernetes TLS Secret holds them
 * (`tls.crt`, `tls.key`): PEM ↔ DER, the fields a student looks at (subject,
 * issuer, SANs, validity, the public key), P-256 private keys in SEC1
 * ("EC PRIVATE KEY", what `openssl ecparam -genkey` writes) and PKCS#8
 * ("PRIVATE KEY", what `openssl req -newkey ec` writes), and self-signed
 * certificates made the way Go's x509.CreateCertificate lays them out.
 * Parsing errors are DerError/Error with a message naming the field.
 */
import { p256 } from '@noble/curves/p256';
import { sha256 } from '@noble/hashes/sha2';
import { randomBytes, toHex } from './bytes.ts';
import type { Rng } from '../engine/rng.ts';
import {
  DerError,
  TAG,
  bitString,
  children,
  decodeOid,
  decodeTime,
  expectTag,
  explicit,
  oid,
  readDer,
  seq,
  set,
  str,
  time,
  tlv,
  uint,
} from './der.ts';
import type { Der } from './der.ts';

const OID = {
  ecPublicKey: '1.2.840.10045.2.1',
  prime256v1: '1.2.840.10045.3.1.7',
  ecdsaWithSHA256: '1.2.840.10045.4.3.2',
  subjectAltName: '2.5.29.17',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  basicConstraints: '2.5.29.19',
  serverAuth: '1.3.6.1.5.5.7.3.1',
} as const;

/** Attribute types by OID, with the short names OpenSSL prints. */
const NAME_TYPES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '1.2.840.113549.1.9.1': 'emailAddress',
};
const NAME_OIDS = Object.fromEntries(Object.entries(NAME_TYPES).map(([k, v]) => [v, k]));

export interface NameAttribute {
  readonly type: string;
  readonly value: string;
}

export interface ParsedCertificate {
  readonly der: Uint8Array;
  readonly serialNumber: string;
  readonly subject: readonly NameAttribute[];
  readonly issuer: readonly NameAttribute[];
  /** `openssl x509 -subject` style: "O = Acme Co, CN = …". */
  readonly subjectText: string;
  readonly issuerText: string;
  readonly commonName?: string;
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly signatureAlgorithm: string;
  /** Uncompressed SEC1 point (65 bytes) when the key is EC P-256. */
  readonly publicKey?: Uint8Array;
  readonly publicKeyAlgorithm: string;
  readonly selfSigned: boolean;
}

// ---- PEM ----

export interface PemBlock {
  readonly label: string;
  readonly der: Uint8Array;
}

/** Every `-----BEGIN X-----` block in `text`, in order. */
export function pemDecode(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  const re = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
  for (const m of text.matchAll(re)) {
    const b64 = m[2].replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw new Error(`PEM ${m[1]}: not base64`);
    out.push({ label: m[1], der: base64Decode(b64) });
  }
  return out;
}

export function pemEncode(label: string, der: Uint8Array): string {
  const b64 = base64Encode(der);
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function base64Encode(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 3) {
    const n = (b[i] << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    s += B64[n >> 18] + B64[(n >> 12) & 63];
    s += i + 1 < b.length ? B64[(n >> 6) & 63] : '=';
    s += i + 2 < b.length ? B64[n & 63] : '=';
  }
  return s;
}

function base64Decode(s: string): Uint8Array {
  const clean = s.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (const c of clean) {
    acc = (acc << 6) | B64.indexOf(c);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

// ---- certificates ----

function parseName(el: Der): NameAttribute[] {
  const out: NameAttribute[] = [];
  for (const rdn of children(expectTag(el, TAG.SEQUENCE, 'Name'))) {
    for (const atv of children(rdn)) {
      const [type, value] = children(atv);
      const o = decodeOid(expectTag(type, TAG.OID, 'attribute type').content);
      out.push({ type: NAME_TYPES[o] ?? o, value: new TextDecoder().decode(value.content) });
    }
  }
  return out;
}

const nameText = (n: readonly NameAttribute[]) => n.map((a) => `${a.type} = ${a.value}`).join(', ');

/** Reads a DER certificate. Throws DerError naming the part that is not X.509. */
export function parseCertificate(der: Uint8Array): ParsedCertificate {
  const cert = expectTag(readDer(der), TAG.SEQUENCE, 'Certificate');
  const [tbs, sigAlg] = children(cert);
  const f = children(expectTag(tbs, TAG.SEQUENCE, 'tbsCertificate'));
  let i = f[0]?.tag === 0xa0 ? 1 : 0; // [0] EXPLICIT version
  const serial = expectTag(f[i++], TAG.INTEGER, 'serialNumber');
  i++; // signature AlgorithmIdentifier (repeated after tbsCertificate)
  const issuerEl = f[i++];
  const validity = children(expectTag(f[i++], TAG.SEQUENCE, 'validity'));
  const subjectEl = f[i++];
  const spki = children(expectTag(f[i++], TAG.SEQUENCE, 'subjectPublicKeyInfo'));
  const algIds = children(expectTag(spki[0], TAG.SEQUENCE, 'algorithm'));
  const keyAlg = decodeOid(expectTag(algIds[0], TAG.OID, 'key algorithm').content);
  const curve = algIds[1]?.tag === TAG.OID ? decodeOid(algIds[1].content) : undefined;
  const keyBits = expectTag(spki[1], TAG.BIT_STRING, 'subjectPublicKey').content.subarray(1);
  const dnsNames: string[] = [];
  const ipAddresses: string[] = [];
  const extsEl = f.slice(i).find((e) => e.tag === 0xa3);
  if (extsEl) {
    for (const e of children(children(extsEl)[0])) {
      const parts = children(e);
      if (decodeOid(parts[0].content) !== OID.subjectAltName) continue;
      const value = parts[parts.length - 1];
      for (const gn of children(readDer(value.content))) {
        if (gn.tag === 0x82) dnsNames.push(new TextDecoder().decode(gn.content));
        if (gn.tag === 0x87 && gn.content.length === 4) ipAddresses.push(gn.content.join('.'));
      }
    }
  }
  const subject = parseName(subjectEl);
  const issuer = parseName(issuerEl);
  const sigOid = decodeOid(children(sigAlg)[0].content);
  return {
    der,
    serialNumber: toHex(serial.content.subarray(serial.content[0] === 0 ? 1 : 0)),
    subject,
    issuer,
    subjectText: nameText(subject),
    issuerText: nameText(issuer),
    commonName: subject.find((a) => a.type === 'CN')?.value,
    dnsNames,
    ipAddresses,
    notBefore: decodeTime(validity[0]),
    notAfter: decodeTime(validity[1]),
    signatureAlgorithm: sigOid === OID.ecdsaWithSHA256 ? 'ecdsa-with-SHA256' : sigOid,
    publicKeyAlgorithm:
      keyAlg === OID.ecPublicKey
        ? `id-ecPublicKey (${curve === OID.prime256v1 ? 'prime256v1' : curve})`
        : keyAlg,
    publicKey: keyAlg === OID.ecPublicKey && curve === OID.prime256v1 ? keyBits.slice() : undefined,
    selfSigned: nameText(subject) === nameText(issuer),
  };
}

/** Does `host` match one of the certificate's names (RFC 6125: `*.` covers one label)? */
export function certificateMatches(cert: ParsedCertificate, host: string): boolean {
  const h = host.toLowerCase();
  const names = cert.dnsNames.length > 0 ? cert.dnsNames : cert.commonName ? [cert.commonName] : [];
  return (
    cert.ipAddresses.includes(host) ||
    names.some((n) => {
      const name = n.toLowerCase();
      if (!name.startsWith('*.')) return name === h;
      const dot = h.indexOf('.');
      return dot > 0 && h.slice(dot) === name.slice(1);
    })
  );
}

// ---- keys ----

/** The 32-byte P-256 private scalar from a SEC1 or PKCS#8 PEM (or DER). */
export function parseEcPrivateKey(pemOrDer: string | Uint8Array): Uint8Array {
  let der: Uint8Array;
  let label = 'EC PRIVATE KEY';
  if (typeof pemOrDer === 'string') {
    const block = pemDecode(pemOrDer).find((b) => b.label.endsWith('PRIVATE KEY'));
    if (!block) throw new Error('no "-----BEGIN … PRIVATE KEY-----" block');
    if (block.label !== 'EC PRIVATE KEY' && block.label !== 'PRIVATE KEY') {
      throw new Error(`${block.label}: only EC P-256 keys (SEC1 or PKCS#8) are supported`);
    }
    ({ der, label } = block);
  } else der = pemOrDer;
  const top = children(expectTag(readDer(der), TAG.SEQUENCE, label));
  const version = expectTag(top[0], TAG.INTEGER, 'version').content[0];
  if (version === 0) {
    // PKCS#8 PrivateKeyInfo: version 0, AlgorithmIdentifier, OCTET STRING(ECPrivateKey)
    const alg = children(expectTag(top[1], TAG.SEQUENCE, 'privateKeyAlgorithm'));
    const keyAlg = decodeOid(alg[0].content);
    if (keyAlg !== OID.ecPublicKey) throw new DerError(`key algorithm ${keyAlg} is not EC`);
    if (alg[1] && decodeOid(alg[1].content) !== OID.prime256v1) {
      throw new DerError(`curve ${decodeOid(alg[1].content)} is not P-256 (prime256v1)`);
    }
    return parseEcPrivateKey(expectTag(top[2], TAG.OCTET_STRING, 'privateKey').content);
  }
  // SEC1 ECPrivateKey: version 1, OCTET STRING d, [0] curve, [1] public key
  const d = expectTag(top[1], TAG.OCTET_STRING, 'privateKey').content;
  const params = top.find((e) => e.tag === 0xa0);
  if (params && decodeOid(children(params)[0].content) !== OID.prime256v1) {
    throw new DerError(`curve ${decodeOid(children(params)[0].content)} is not P-256 (prime256v1)`);
  }
  if (d.length !== 32 || !p256.utils.isValidPrivateKey(d)) {
    throw new DerError('private key is not a valid P-256 scalar');
  }
  return d.slice();
}

/** SEC1 "EC PRIVATE KEY" DER for a P-256 scalar (as `openssl ec` writes it). */
export function ecPrivateKeyDer(d: Uint8Array): Uint8Array {
  return seq(
    uint(Uint8Array.of(1)),
    tlv(TAG.OCTET_STRING, d),
    explicit(0, oid(OID.prime256v1)),
    explicit(1, bitString(p256.getPublicKey(d, false))),
  );
}

/** A P-256 private key drawn from the simulation's generator (never use for real secrecy). */
export function generateP256Key(rng: Rng): Uint8Array {
  for (;;) {
    const d = randomBytes(rng, 32);
    if (p256.utils.isValidPrivateKey(d)) return d;
  }
}

export function ecdsaSign(key: Uint8Array, message: Uint8Array): Uint8Array {
  // RFC 6979 deterministic nonces: the same key and message give the same signature.
  return p256.sign(sha256(message), key, { prehash: false, lowS: false }).toDERRawBytes();
}

export function ecdsaVerify(publicKey: Uint8Array, message: Uint8Array, der: Uint8Array): boolean {
  try {
    return p256.verify(der, sha256(message), publicKey, {
      prehash: false,
      lowS: false,
      format: 'der',
    });
  } catch {
    return false;
  }
}

// ---- self-signed certificates ----

export interface SelfSignedOptions {
  /** Attributes in order, e.g. [{type:'O',value:'Acme Co'},{type:'CN',value:'…'}]. */
  readonly subject: readonly NameAttribute[];
  readonly dnsNames: readonly string[];
  readonly notBefore: Date;
  readonly days: number;
  readonly key: Uint8Array;
  /** 16 bytes → a positive 128-bit serial, as Go's rand.Int(2^128). */
  readonly serial: Uint8Array;
}

const printable = (s: string) => /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(s);

function encodeName(attrs: readonly NameAttribute[]): Uint8Array {
  // Go's pkix.Name: one attribute per RDN, PrintableString when it can.
  return seq(
    ...attrs.map((a) => {
      const o = NAME_OIDS[a.type];
      if (!o) throw new Error(`unknown name attribute ${a.type}`);
      return set(
        seq(oid(o), str(printable(a.value) ? TAG.PrintableString : TAG.UTF8String, a.value)),
      );
    }),
  );
}

const extension = (id: string, critical: boolean, value: Uint8Array) =>
  seq(
    oid(id),
    ...(critical ? [tlv(TAG.BOOLEAN, Uint8Array.of(0xff))] : []),
    tlv(TAG.OCTET_STRING, value),
  );

/** A self-signed ECDSA P-256 server certificate (DER), laid out as Go's x509.CreateCertificate lays out ingress-nginx's fake one. */
export function selfSignedCertificate(o: SelfSignedOptions): Uint8Array {
  const name = encodeName(o.subject);
  const sigAlg = seq(oid(OID.ecdsaWithSHA256));
  const notAfter = new Date(o.notBefore.getTime() + o.days * 86_400_000);
  const serial = o.serial.slice();
  serial[0] &= 0x7f;
  const tbs = seq(
    explicit(0, uint(Uint8Array.of(2))),
    uint(serial),
    sigAlg,
    name,
    seq(time(o.notBefore), time(notAfter)),
    name,
    seq(seq(oid(OID.ecPublicKey), oid(OID.prime256v1)), bitString(p256.getPublicKey(o.key, false))),
    explicit(
      3,
      seq(
        // digitalSignature | keyEncipherment: bits 0 and 2, 5 unused bits
        extension(OID.keyUsage, true, bitString(Uint8Array.of(0xa0), 5)),
        extension(OID.extKeyUsage, false, seq(oid(OID.serverAuth))),
        extension(OID.basicConstraints, true, seq()),
        extension(
          OID.subjectAltName,
          false,
          seq(...o.dnsNames.map((d) => tlv(0x82, new TextEncoder().encode(d)))),
        ),
      ),
    ),
  );
  return seq(tbs, sigAlg, bitString(ecdsaSign(o.key, tbs)));
}

export interface FakeCertificate {
  readonly certPem: string;
  readonly keyPem: string;
  readonly der: Uint8Array;
  readonly key: Uint8Array;
}

/**
 * ingress-nginx's default certificate (internal/net/ssl GetFakeSSLCert):
 * O=Acme Co, CN=Kubernetes Ingress Controller Fake Certificate, DNS
 * ingress.local, 365 days from start-up, a random 128-bit serial. The real
 * one is RSA 2048 with a fresh key; ours is ECDSA P-256 from the seed.
 */
export function fakeIngressCertificate(rng: Rng, now: Date): FakeCertificate {
  const key = generateP256Key(rng);
  const der = selfSignedCertificate({
    subject: [
      { type: 'O', value: 'Acme Co' },
      { type: 'CN', value: 'Kubernetes Ingress Controller Fake Certificate' },
    ],
    dnsNames: ['ingress.local'],
    notBefore: now,
    days: 365,
    key,
    serial: randomBytes(rng, 16),
  });
  return {
    der,
    key,
    certPem: pemEncode('CERTIFICATE', der),
    keyPem: pemEncode('EC PRIVATE KEY', ecPrivateKeyDer(key)),
  };
}
