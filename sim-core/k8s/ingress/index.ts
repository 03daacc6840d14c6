/** ingress-nginx's view of the Ingresses: its servers, the route a request takes, the certificate an SNI gets. */
export {
  createIngressModel,
  classProblem,
  hostMatchesName,
  CATCH_ALL,
  FAKE_CERTIFICATE_CN,
} from './model.ts';
export type {
  IngressModel,
  IngressSources,
  LocationBackend,
  NginxLocation,
  NginxServer,
  SkippedIngress,
} from './model.ts';
export { routeRequest, tlsFor, normalizeHost, normalizePath } from './match.ts';
export type { CertificateChoice, IngressRequest, RouteResult } from './match.ts';
export {
  renderNginxServers,
  serverBlock,
  serverName,
  locationText,
  upstreamName,
} from './nginx-conf.ts';
export { ingressAddress } from './status.ts';
export { secretCertificate, certificateNames } from './certificates.ts';
export type { ParsedCertificate } from '../../tls/x509.ts';
