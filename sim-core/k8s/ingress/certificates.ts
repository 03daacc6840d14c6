/**
 * A kubernetes.io/tls Secret's certificate, read with the TLS library's
 * X.509 parser: what the Ingress panel lists per host, and the names
 * ingress-nginx checks a host against (VerifyHostname, then the Common Name).
 */
import type { Secret } from '../api-types.ts';
import { base64Text } from '../../net/base64.ts';
import { parseCertificate, pemDecode } from '../../tls/x509.ts';
import type { ParsedCertificate } from '../../tls/x509.ts';

/** The first CERTIFICATE block of tls.crt, or undefined when there is none or it does not parse. */
export function secretCertificate(secret: Secret): ParsedCertificate | undefined {
  const text = secret.data['tls.crt'] && base64Text(secret.data['tls.crt']);
  if (!text) return undefined;
  const block = pemDecode(text).find((b) => b.label === 'CERTIFICATE');
  if (!block) return undefined;
  try {
    return parseCertificate(block.der);
  } catch {
    return undefined;
  }
}

/** IngressSources.certificateNames: the DNS SANs and the subject CN. */
export function certificateNames(secret: Secret): readonly string[] | undefined {
  const c = secretCertificate(secret);
  if (!c) return undefined;
  return [...c.dnsNames, ...(c.commonName ? [c.commonName] : [])];
}
