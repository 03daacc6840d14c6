/**
 * A TLS 1.3 server (RFC 8446), sans-IO, answering as nginx on OpenSSL 3
 * does for ingress-nginx: the server's cipher preference
 * (`ssl_prefer_server_ciphers on`, OpenSSL's TLS 1.3 order), x25519, one
 * record per handshake message, the compatibility ChangeCipherSpec after
 * ServerHello when the client sent a session id, an empty server_name in
 * EncryptedExtensions when SNI chose the certificate (nginx's servername
 * callback), ALPN by the server's preference (SSL_select_next_proto), an
 * ECDSA P-256 CertificateVerify, and after the client's Finished two
 * NewSessionTickets (OpenSSL's default count; with ingress-nginx's
 * `ssl_session_tickets off` they are stateful: the ticket is a 32-byte
 * session id).
 *
 * No HelloRetryRequest, PSK resumption, early data or client certificates:
 * a ClientHello without an x25519 key share gets handshake_failure.
 * Randomness comes from the caller's seeded Rng (teaching only).
 */
import { x25519 } from '@noble/curves/ed25519';
import type { Rng } from '../engine/rng.ts';
import { TlsError } from './alerts.ts';
import { Writer, equalBytes, randomBytes, toHex } from './bytes.ts';
import { Endpoint } from './endpoint.ts';
import type { TlsEndpoint } from './endpoint.ts';
import type { TlsFacts } from './facts.ts';
import { buildServerHello, parseClientHello } from './hello.ts';
import type { ClientHello } from './hello.ts';
import {
  EXT,
  HS,
  SIG_ECDSA_SECP256R1_SHA256,
  TLS13,
  alpnExt,
  certificateBody,
  certificateVerifyBody,
  certificateVerifyContent,
  ext,
  handshake,
  newSessionTicketBody,
  writeExtensions,
} from './messages.ts';
import type { Extension, HandshakeMessage } from './messages.ts';
import { applicationSecrets, finishedMac, handshakeSecrets } from './schedule.ts';
import type { HandshakeSecrets } from './schedule.ts';
import { TLS13_SUITES } from './suites.ts';
import type { CipherSuite } from './suites.ts';
import { certificateMatches, ecdsaSign, parseCertificate } from './x509.ts';
import type { ParsedCertificate } from './x509.ts';

export interface ServerCertificate {
  /** DER certificates, leaf first. */
  readonly chain: readonly Uint8Array[];
  /** The leaf's P-256 private scalar (x509.parseEcPrivateKey reads a PEM). */
  readonly key: Uint8Array;
}

export interface TlsServerOptions {
  /** Which certificate answers this SNI (undefined when the client sent none). */
  readonly selectCert: (serverName: string | undefined) => ServerCertificate;
  /** Protocols the server speaks, in its preference order (ingress-nginx: ["h2", "http/1.1"]). */
  readonly alpn?: readonly string[];
  readonly rng: Rng;
  /** Server's suite preference (default OpenSSL's: AES-256-GCM, ChaCha20-Poly1305, AES-128-GCM). */
  readonly cipherSuites?: readonly CipherSuite[];
  /** NewSessionTickets after the handshake (default 2, as OpenSSL). */
  readonly sessionTickets?: number;
  /** ticket_lifetime in seconds (default 7200, OpenSSL's; ingress-nginx's ssl_session_timeout is 600). */
  readonly ticketLifetime?: number;
  /** Most plaintext per application-data record (default 2^14; ingress-nginx's ssl_buffer_size is 4k). */
  readonly maxFragment?: number;
}

export interface TlsServer extends TlsEndpoint {
  /** The ClientHello as read, once it arrived. */
  readonly clientHello: ClientHello | undefined;
}

class Server extends Endpoint implements TlsServer {
  readonly role = 'server' as const;
  clientHello: ClientHello | undefined;
  private wait: 'client-hello' | 'finished' | 'done' = 'client-hello';
  private hs: HandshakeSecrets | undefined;
  private alpn: string | undefined;
  private leaf: ParsedCertificate | undefined;
  private tickets = 0;

  constructor(private readonly opts: TlsServerOptions) {
    super(opts.maxFragment);
    this.state = 'handshake';
  }

  protected onHandshake(msg: HandshakeMessage): void {
    if (this.wait === 'client-hello') {
      if (msg.type !== HS.client_hello)
        throw new TlsError('unexpected_message', 'expected ClientHello');
      return this.onClientHello(msg);
    }
    if (this.wait === 'finished') {
      if (msg.type === HS.certificate) {
        throw new TlsError('unexpected_message', 'client certificate without a CertificateRequest');
      }
      if (msg.type !== HS.finished)
        throw new TlsError('unexpected_message', 'expected client Finished');
      return this.onClientFinished(msg);
    }
    throw new TlsError('unexpected_message', `post-handshake message type ${msg.type}`);
  }

  private chooseSuite(ch: ClientHello): CipherSuite {
    const prefs = this.opts.cipherSuites ?? TLS13_SUITES;
    const suite = prefs.find((s) => ch.cipherSuites.includes(s.code));
    if (!suite) throw new TlsError('handshake_failure', 'no TLS 1.3 cipher suite in common');
    return suite;
  }

  private chooseAlpn(ch: ClientHello): string | undefined {
    if (ch.alpn.length === 0 || !this.opts.alpn) return undefined;
    const pick = this.opts.alpn.find((p) => ch.alpn.includes(p));
    // nginx ≥ 1.21.4 refuses the handshake when no protocol is shared.
    if (!pick)
      throw new TlsError('no_application_protocol', `none of ${ch.alpn.join(', ')} is served`);
    return pick;
  }

  private onClientHello(msg: HandshakeMessage): void {
    const ch = parseClientHello(msg.body);
    this.clientHello = ch;
    this.clientRandom = ch.random;
    if (!ch.versions.includes(TLS13))
      throw new TlsError('protocol_version', 'client does not offer TLS 1.3');
    const suite = this.chooseSuite(ch);
    if (!ch.x25519)
      throw new TlsError(
        'handshake_failure',
        'no x25519 key share (HelloRetryRequest is not modelled)',
      );
    if (!ch.signatureAlgorithms.includes(SIG_ECDSA_SECP256R1_SHA256)) {
      throw new TlsError('handshake_failure', 'client does not accept ecdsa_secp256r1_sha256');
    }
    const cert = this.opts.selectCert(ch.serverName);
    try {
      this.leaf = parseCertificate(cert.chain[0] as Uint8Array);
    } catch (e) {
      throw new TlsError('internal_error', `server certificate: ${(e as Error).message}`);
    }
    this.alpn = this.chooseAlpn(ch);
    this.suite = suite;
    this.transcript.push(msg.raw);

    const rng = this.opts.rng;
    const random = randomBytes(rng, 32);
    const privateKey = randomBytes(rng, 32);
    this.sendHandshake(
      buildServerHello({
        random,
        sessionId: ch.sessionId,
        cipherSuite: suite.code,
        keyShare: x25519.getPublicKey(privateKey),
      }),
    );
    if (ch.sessionId.length > 0) this.sendChangeCipherSpec();
    const shared = x25519.getSharedSecret(privateKey, ch.x25519);
    if (shared.every((b) => b === 0))
      throw new TlsError('illegal_parameter', 'x25519 share is a low-order point');
    const hs = handshakeSecrets(suite, shared, this.transcriptHash());
    this.hs = hs;
    this.log('CLIENT_HANDSHAKE_TRAFFIC_SECRET', hs.clientHandshake);
    this.log('SERVER_HANDSHAKE_TRAFFIC_SECRET', hs.serverHandshake);
    this.setWrite(hs.serverHandshake);
    this.setRead(hs.clientHandshake);

    const exts: Extension[] = [];
    if (ch.serverName !== undefined) exts.push(ext(EXT.server_name));
    if (this.alpn) exts.push(alpnExt([this.alpn]));
    const ee = new Writer();
    writeExtensions(ee, exts);
    this.sendHandshake(handshake(HS.encrypted_extensions, ee.finish()));
    this.sendHandshake(handshake(HS.certificate, certificateBody(cert.chain)));
    const signature = ecdsaSign(cert.key, certificateVerifyContent(this.transcriptHash(), true));
    this.sendHandshake(
      handshake(
        HS.certificate_verify,
        certificateVerifyBody(SIG_ECDSA_SECP256R1_SHA256, signature),
      ),
    );
    this.sendHandshake(
      handshake(HS.finished, finishedMac(suite, hs.serverHandshake, this.transcriptHash())),
    );

    const app = applicationSecrets(suite, hs.handshakeSecret, this.transcriptHash());
    this.log('SERVER_TRAFFIC_SECRET_0', app.serverApplication);
    this.log('CLIENT_TRAFFIC_SECRET_0', app.clientApplication);
    this.log('EXPORTER_SECRET', app.exporter);
    this.appSecrets = app;
    this.setWrite(app.serverApplication);
    this.wait = 'finished';
  }

  private appSecrets: ReturnType<typeof applicationSecrets> | undefined;

  private onClientFinished(msg: HandshakeMessage): void {
    const expected = finishedMac(this.suite!, this.hs!.clientHandshake, this.transcriptHash());
    if (!equalBytes(expected, msg.body))
      throw new TlsError('decrypt_error', 'client Finished does not verify');
    this.transcript.push(msg.raw);
    this.setRead(this.appSecrets!.clientApplication);
    this.wait = 'done';
    this.state = 'connected';
    this.addHandshakeEvent('handshake-done');
    const n = this.opts.sessionTickets ?? 2;
    for (let i = 0; i < n; i++) {
      const nonce = new Uint8Array(8);
      nonce[7] = i; // OpenSSL's 8-byte ticket nonce counter
      const ageAdd = new DataView(randomBytes(this.opts.rng, 4).buffer).getUint32(0);
      const ticket = randomBytes(this.opts.rng, 32);
      this.sendHandshake(
        handshake(
          HS.new_session_ticket,
          newSessionTicketBody({
            lifetime: this.opts.ticketLifetime ?? 7200,
            ageAdd,
            nonce,
            ticket,
          }),
        ),
      );
      this.tickets++;
      this.addHandshakeEvent('session-ticket');
    }
  }

  facts(): TlsFacts {
    const ch = this.clientHello;
    const leaf = this.leaf;
    return {
      role: 'server',
      version: 'TLS 1.3',
      serverName: ch?.serverName,
      alpnOffered: ch?.alpn ?? [],
      alpn: this.alpn,
      cipherSuite: this.suite?.name,
      group: this.hs ? 'x25519' : undefined,
      signatureScheme: this.hs ? 'ecdsa_secp256r1_sha256' : undefined,
      certificate: leaf && {
        subject: leaf.subjectText,
        issuer: leaf.issuerText,
        dnsNames: leaf.dnsNames,
        notBefore: leaf.notBefore.toISOString(),
        notAfter: leaf.notAfter.toISOString(),
        selfSigned: leaf.selfSigned,
        matchesServerName: ch?.serverName !== undefined && certificateMatches(leaf, ch.serverName),
      },
      clientRandom: ch ? toHex(ch.random) : undefined,
      sessionTickets: this.tickets,
    };
  }
}

export function createTlsServer(opts: TlsServerOptions): TlsServer {
  return new Server(opts);
}
