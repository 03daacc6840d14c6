/**
 * A TLS 1.3 client (RFC 8446), sans-IO, speaking as curl on OpenSSL 3
 * does: its ClientHello (hello.ts), the middlebox-compatibility
 * ChangeCipherSpec before its Finished, x25519 only. Like `curl -k` it
 * checks the server's CertificateVerify signature and Finished but trusts
 * any certificate; whether the name matches is recorded in the facts.
 *
 * All randomness (client random, session id, x25519 key) comes from the
 * caller's seeded Rng: the same seed gives the same bytes. Fine for
 * teaching, never for real secrecy.
 */
import { x25519 } from '@noble/curves/ed25519';
import type { Rng } from '../engine/rng.ts';
import { TlsError } from './alerts.ts';
import { Reader, equalBytes, randomBytes, toHex } from './bytes.ts';
import { Endpoint } from './endpoint.ts';
import type { TlsEndpoint, TlsOutput } from './endpoint.ts';
import type { TlsFacts } from './facts.ts';
import { buildClientHello, parseServerHello } from './hello.ts';
import {
  EXT,
  GROUP_X25519,
  HS,
  SIG_ECDSA_SECP256R1_SHA256,
  certificateVerifyContent,
  findExt,
  handshake,
  parseAlpn,
  parseCertificate,
  parseCertificateVerify,
  readExtensions,
} from './messages.ts';
import type { HandshakeMessage } from './messages.ts';
import { applicationSecrets, finishedMac, handshakeSecrets } from './schedule.ts';
import type { HandshakeSecrets } from './schedule.ts';
import { suiteByCode } from './suites.ts';
import { certificateMatches, ecdsaVerify, parseCertificate as parseX509 } from './x509.ts';
import type { ParsedCertificate } from './x509.ts';

export interface TlsClientOptions {
  /** The host curl was given: sent as SNI unless it is an IP address. */
  readonly serverName: string;
  /** ALPN protocols to offer, in order (curl offers ["h2", "http/1.1"]); [] sends none. */
  readonly alpn?: readonly string[];
  readonly rng: Rng;
  /** Most plaintext per application-data record (default 2^14). */
  readonly maxFragment?: number;
}

export interface TlsClient extends TlsEndpoint {
  /** The first flight: the ClientHello record. Call once, after the TCP handshake. */
  start(): TlsOutput;
  /** The server's certificate chain, once received (DER, leaf first). */
  readonly peerCertificates: readonly Uint8Array[];
}

type Wait =
  | 'server-hello'
  | 'encrypted-extensions'
  | 'certificate'
  | 'certificate-verify'
  | 'finished'
  | 'done';

class Client extends Endpoint implements TlsClient {
  readonly role = 'client' as const;
  private wait: Wait = 'server-hello';
  private readonly random: Uint8Array;
  private readonly sessionId: Uint8Array;
  private readonly privateKey: Uint8Array;
  private hs: HandshakeSecrets | undefined;
  private alpn: string | undefined;
  private leaf: ParsedCertificate | undefined;
  private chain: Uint8Array[] = [];
  private tickets = 0;

  constructor(private readonly opts: TlsClientOptions) {
    super(opts.maxFragment);
    // Drawn in a fixed order so a seed always gives the same hello.
    this.random = randomBytes(opts.rng, 32);
    this.sessionId = randomBytes(opts.rng, 32);
    this.privateKey = randomBytes(opts.rng, 32);
    this.clientRandom = this.random;
  }

  get peerCertificates(): readonly Uint8Array[] {
    return this.chain;
  }

  start(): TlsOutput {
    if (this.state !== 'start') throw new Error('TLS client: start() called twice');
    this.state = 'handshake';
    const hello = buildClientHello({
      random: this.random,
      sessionId: this.sessionId,
      serverName: this.opts.serverName,
      alpn: this.opts.alpn ?? ['h2', 'http/1.1'],
      keyShare: x25519.getPublicKey(this.privateKey),
    });
    // A first ClientHello's record says TLS 1.0 (0x0301), as OpenSSL writes it (§5.1).
    this.sendHandshake(hello, 0x0301);
    return this.take();
  }

  protected onHandshake(msg: HandshakeMessage): void {
    const expect = (type: number) => {
      if (msg.type !== type) {
        throw new TlsError(
          'unexpected_message',
          `got handshake type ${msg.type} waiting for ${this.wait}`,
        );
      }
    };
    switch (this.wait) {
      case 'server-hello':
        expect(HS.server_hello);
        return this.onServerHello(msg);
      case 'encrypted-extensions': {
        expect(HS.encrypted_extensions);
        const r = new Reader(msg.body, 'EncryptedExtensions');
        const exts = readExtensions(r);
        const alpn = findExt(exts, EXT.application_layer_protocol_negotiation);
        if (alpn) this.alpn = parseAlpn(alpn)[0];
        this.transcript.push(msg.raw);
        this.wait = 'certificate';
        return;
      }
      case 'certificate':
        if (msg.type === HS.certificate_request) {
          throw new TlsError(
            'handshake_failure',
            'the server asks for a client certificate (mTLS is not modelled)',
          );
        }
        expect(HS.certificate);
        this.chain = parseCertificate(msg.body);
        try {
          this.leaf = parseX509(this.chain[0]);
        } catch (e) {
          throw new TlsError(
            'bad_certificate',
            `certificate is not X.509: ${(e as Error).message}`,
          );
        }
        this.transcript.push(msg.raw);
        this.wait = 'certificate-verify';
        return;
      case 'certificate-verify': {
        expect(HS.certificate_verify);
        const { scheme, signature } = parseCertificateVerify(msg.body);
        if (scheme !== SIG_ECDSA_SECP256R1_SHA256 || !this.leaf?.publicKey) {
          throw new TlsError(
            'handshake_failure',
            `signature scheme 0x${scheme.toString(16)} with this key is not supported`,
          );
        }
        const content = certificateVerifyContent(this.transcriptHash(), true);
        if (!ecdsaVerify(this.leaf.publicKey, content, signature)) {
          throw new TlsError('decrypt_error', 'CertificateVerify signature does not verify');
        }
        this.transcript.push(msg.raw);
        this.wait = 'finished';
        return;
      }
      case 'finished':
        expect(HS.finished);
        return this.onServerFinished(msg);
      case 'done':
        if (msg.type === HS.new_session_ticket) {
          this.tickets++;
          this.addHandshakeEvent('session-ticket');
          return;
        }
        throw new TlsError('unexpected_message', `post-handshake message type ${msg.type}`);
    }
  }

  private onServerHello(msg: HandshakeMessage): void {
    const sh = parseServerHello(msg.body);
    const suite = suiteByCode(sh.cipherSuite);
    if (!suite)
      throw new TlsError(
        'illegal_parameter',
        `server chose suite 0x${sh.cipherSuite.toString(16)}`,
      );
    if (sh.group !== GROUP_X25519)
      throw new TlsError('illegal_parameter', `server chose group ${sh.group}`);
    if (!equalBytes(sh.sessionId, this.sessionId)) {
      throw new TlsError('illegal_parameter', 'ServerHello does not echo the session id');
    }
    this.suite = suite;
    this.transcript.push(msg.raw);
    const shared = x25519.getSharedSecret(this.privateKey, sh.keyShare);
    this.hs = handshakeSecrets(suite, shared, this.transcriptHash());
    this.log('SERVER_HANDSHAKE_TRAFFIC_SECRET', this.hs.serverHandshake);
    this.log('CLIENT_HANDSHAKE_TRAFFIC_SECRET', this.hs.clientHandshake);
    this.setRead(this.hs.serverHandshake);
    this.wait = 'encrypted-extensions';
  }

  private onServerFinished(msg: HandshakeMessage): void {
    const suite = this.suite!;
    const hs = this.hs!;
    const expected = finishedMac(suite, hs.serverHandshake, this.transcriptHash());
    if (!equalBytes(expected, msg.body))
      throw new TlsError('decrypt_error', 'server Finished does not verify');
    this.transcript.push(msg.raw);
    const app = applicationSecrets(suite, hs.handshakeSecret, this.transcriptHash());
    this.log('SERVER_TRAFFIC_SECRET_0', app.serverApplication);
    this.log('CLIENT_TRAFFIC_SECRET_0', app.clientApplication);
    this.log('EXPORTER_SECRET', app.exporter);
    this.setRead(app.serverApplication);
    // Second flight: CCS (compatibility mode), then Finished under the client handshake key.
    this.sendChangeCipherSpec();
    this.setWrite(hs.clientHandshake);
    this.sendHandshake(
      handshake(HS.finished, finishedMac(suite, hs.clientHandshake, this.transcriptHash())),
    );
    this.setWrite(app.clientApplication);
    this.wait = 'done';
    this.state = 'connected';
    this.addHandshakeEvent('handshake-done');
  }

  facts(): TlsFacts {
    const leaf = this.leaf;
    return {
      role: 'client',
      version: 'TLS 1.3',
      serverName: /^\d+\.\d+\.\d+\.\d+$/.test(this.opts.serverName)
        ? undefined
        : this.opts.serverName,
      alpnOffered: this.opts.alpn ?? ['h2', 'http/1.1'],
      alpn: this.alpn,
      cipherSuite: this.suite?.name,
      group: this.hs ? 'x25519' : undefined,
      signatureScheme:
        this.wait === 'finished' || this.wait === 'done' ? 'ecdsa_secp256r1_sha256' : undefined,
      certificate: leaf && {
        subject: leaf.subjectText,
        issuer: leaf.issuerText,
        dnsNames: leaf.dnsNames,
        notBefore: leaf.notBefore.toISOString(),
        notAfter: leaf.notAfter.toISOString(),
        selfSigned: leaf.selfSigned,
        matchesServerName: certificateMatches(leaf, this.opts.serverName),
      },
      clientRandom: toHex(this.random),
      sessionTickets: this.tickets,
    };
  }
}

export function createTlsClient(opts: TlsClientOptions): TlsClient {
  return new Client(opts);
}
