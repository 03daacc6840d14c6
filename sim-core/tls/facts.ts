/**
 * What one TLS connection has settled, as plain data for a step's facts and
 * the panels: who asked for which name, what was agreed, which certificate
 * answered.
 */
export interface TlsCertificateFacts {
  /** `openssl x509 -subject` style: "O = Acme Co, CN = Kubernetes Ingress Controller Fake Certificate". */
  readonly subject: string;
  readonly issuer: string;
  readonly dnsNames: readonly string[];
  readonly notBefore: string;
  readonly notAfter: string;
  readonly selfSigned: boolean;
  /** The SNI (or the host the client asked for) is among the certificate's names. */
  readonly matchesServerName: boolean;
}

export interface TlsFacts {
  readonly role: 'client' | 'server';
  readonly version: 'TLS 1.3';
  /** The ClientHello's server_name; absent for an IP address. */
  readonly serverName?: string;
  readonly alpnOffered: readonly string[];
  /** The protocol the server chose from the client's ALPN list. */
  readonly alpn?: string;
  /** IANA name, e.g. "TLS_AES_256_GCM_SHA384". */
  readonly cipherSuite?: string;
  readonly group?: 'x25519';
  readonly signatureScheme?: 'ecdsa_secp256r1_sha256';
  readonly certificate?: TlsCertificateFacts;
  /** Hex, the SSLKEYLOGFILE key. */
  readonly clientRandom?: string;
  readonly sessionTickets: number;
}
