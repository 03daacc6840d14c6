/**
 * Certificates and keys against OpenSSL: fields we read from certificates
 * `openssl req` made, as `openssl x509` prints them; both key formats; and
 * certificates we make, as `openssl x509 -text` and `openssl verify` see them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { p256 } from '@noble/curves/p256';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../engine/rng.ts';
import { toHex } from '../bytes.ts';
import {
  certificateMatches,
  fakeIngressCertificate,
  parseCertificate,
  parseEcPrivateKey,
  pemDecode,
  pemEncode,
} from '../x509.ts';
import { fixture, opensslSkipReason, runTool, tempDir } from './openssl-harness.ts';

const skip = opensslSkipReason('openssl');
if (skip) console.warn(`x509.test.ts: openssl cases skipped, ${skip}`);
const text = (name: string) => readFileSync(fixture(name), 'utf8');

describe('X.509', () => {
  it('[TLS10] reads what openssl x509 prints: subject, issuer, validity, serial, SANs', () => {
    const [block] = pemDecode(text('web.crt'));
    expect(block.label).toBe('CERTIFICATE');
    const c = parseCertificate(block.der);
    const ref = text('web.crt.txt');
    expect(ref).toContain(`subject=${c.subjectText}\n`);
    expect(ref).toContain(`issuer=${c.issuerText}\n`);
    expect(ref).toContain(`serial=${c.serialNumber.toUpperCase()}\n`);
    expect(ref).toContain(`DNS:${c.dnsNames.join(', DNS:')}\n`);
    const openssl = (d: Date) =>
      d
        .toUTCString()
        .replace(
          /^\w+, (\d\d) (\w+) (\d+) ([\d:]+) GMT$/,
          (_, day, mon, y, t) => `${mon} ${String(Number(day)).padStart(2, ' ')} ${t} ${y} GMT`,
        );
    expect(ref).toContain(`notBefore=${openssl(c.notBefore)}\n`);
    expect(ref).toContain(`notAfter=${openssl(c.notAfter)}\n`);
    expect(c.commonName).toBe('web.example.com');
    expect(c.selfSigned).toBe(true);
    expect(c.publicKeyAlgorithm).toBe('id-ecPublicKey (prime256v1)');
    expect(certificateMatches(c, 'web.example.com')).toBe(true);
    expect(certificateMatches(c, 'api.web.example.com')).toBe(true); // *.web.example.com
    expect(certificateMatches(c, 'a.b.web.example.com')).toBe(false); // a wildcard is one label
    expect(certificateMatches(c, 'example.com')).toBe(false);
  });

  it("[TLS10] a PKCS#8 key and its SEC1 form give the same scalar, whose public key is the certificate's", () => {
    const pkcs8 = parseEcPrivateKey(text('web.key'));
    const sec1 = parseEcPrivateKey(text('web-sec1.key'));
    expect(toHex(pkcs8)).toBe(toHex(sec1));
    const cert = parseCertificate(pemDecode(text('web.crt'))[0].der);
    expect(toHex(p256.getPublicKey(pkcs8, false))).toBe(toHex(cert.publicKey!));
    expect(() =>
      parseEcPrivateKey('-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n'),
    ).toThrow(/only EC P-256 keys/);
    expect(() => parseEcPrivateKey('not a key')).toThrow(
      /no "-----BEGIN … PRIVATE KEY-----" block/,
    );
    expect(() => parseCertificate(new Uint8Array([0x30, 0x82, 0x01]))).toThrow(/DER/);
  });

  it("[TLS11] ingress-nginx's fake certificate: same seed, same PEM; PEM round-trips", () => {
    const now = new Date('2026-11-01T12:00:00Z');
    const a = fakeIngressCertificate(createRng(4), now);
    const b = fakeIngressCertificate(createRng(4), now);
    expect(a.certPem).toBe(b.certPem);
    expect(a.keyPem).toBe(b.keyPem);
    expect(fakeIngressCertificate(createRng(5), now).certPem).not.toBe(a.certPem);
    expect(pemEncode('CERTIFICATE', pemDecode(a.certPem)[0].der)).toBe(a.certPem);
    const c = parseCertificate(a.der);
    expect(c.subjectText).toBe('O = Acme Co, CN = Kubernetes Ingress Controller Fake Certificate');
    expect(c.dnsNames).toEqual(['ingress.local']);
    expect(c.notAfter.getTime() - c.notBefore.getTime()).toBe(365 * 86_400_000);
    expect(toHex(parseEcPrivateKey(a.keyPem))).toBe(toHex(a.key));
  });

  it.skipIf(!!skip)(
    "[TLS11] openssl reads our certificate as ingress-nginx's and verifies its signature and our key",
    async () => {
      const a = fakeIngressCertificate(createRng(4), new Date('2026-11-01T12:00:00Z'));
      const tmp = tempDir();
      try {
        const crt = join(tmp.dir, 'fake.crt');
        const key = join(tmp.dir, 'fake.key');
        writeFileSync(crt, a.certPem);
        writeFileSync(key, a.keyPem);
        const t = await runTool('openssl', ['x509', '-in', crt, '-noout', '-text']);
        expect(t.out).toContain(
          'Issuer: O = Acme Co, CN = Kubernetes Ingress Controller Fake Certificate',
        );
        expect(t.out).toContain('Not Before: Nov  1 12:00:00 2026 GMT');
        expect(t.out).toContain('Not After : Nov  1 12:00:00 2027 GMT');
        expect(t.out).toMatch(/X509v3 Key Usage: critical\n\s+Digital Signature, Key Encipherment/);
        expect(t.out).toMatch(/X509v3 Extended Key Usage: \n\s+TLS Web Server Authentication/);
        expect(t.out).toMatch(/X509v3 Basic Constraints: critical\n\s+CA:FALSE/);
        expect(t.out).toMatch(/X509v3 Subject Alternative Name: \n\s+DNS:ingress.local/);
        expect(t.out).toContain('ASN1 OID: prime256v1');
        const v = await runTool('openssl', ['verify', '-check_ss_sig', '-CAfile', crt, crt]);
        expect(v.out.trim()).toBe(`${crt}: OK`);
        // The key file is the certificate's: openssl derives the same public key from both.
        const fromKey = await runTool('openssl', ['pkey', '-in', key, '-pubout']);
        const fromCert = await runTool('openssl', ['x509', '-in', crt, '-noout', '-pubkey']);
        expect(fromKey.out).toBe(fromCert.out);
      } finally {
        tmp.done();
      }
    },
  );
});
