/**
 * The Ingress controller's decisions (ingress-nginx): which rule of which
 * Ingress a request matched, and which certificate the TLS handshake's SNI
 * picked. The proxy program emits these; the matching itself is
 * k8s/ingress/match.ts, whose result these facts restate.
 */
import type { FactOf, Narrators } from './types.ts';

/** The request's place in the rules, as routeRequest found it. */
export type IngressRouteResult = 'rule' | 'default' | 'not-found';

export type IngressFact =
  | FactOf<
      'ingress.route',
      {
        /** The controller pod that routed it ("ingress-nginx/ingress-nginx-controller-…"). */
        controller?: string;
        /** The request's Host (port stripped, lower-cased) and path, as nginx matched them. */
        host: string;
        path: string;
        result: IngressRouteResult;
        /** 'ns/name' of the Ingress whose rule (or defaultBackend) won. */
        ingress?: string;
        ruleIndex?: number;
        pathIndex?: number;
        /** The winning rule's host as written ('' for a rule without host) and path. */
        ruleHost?: string;
        rulePath?: string;
        pathType?: 'Exact' | 'Prefix' | 'ImplementationSpecific';
        /** The backend Service 'ns/name' and its port (number or name). */
        service?: string;
        port?: number | string;
        /** The endpoint nginx picked itself from the EndpointSlices ("10.244.1.3:8080"). */
        upstream?: string;
        /** Why this rule won (routeRequest's `why`, a sentence without its full stop). */
        why: string;
      }
    >
  | FactOf<
      'ingress.certificate',
      {
        controller?: string;
        /** The ClientHello's server_name; absent when the client sent none. */
        sni?: string;
        /** 'ns/name' of the kubernetes.io/tls Secret; absent for the fake certificate. */
        secret?: string;
        /** The tls[].hosts entry that matched ('*.example.com' for a wildcard). */
        host?: string;
        fake: boolean;
        /** tlsFor's `why`, without its full stop. */
        why: string;
      }
    >;

const target = (f: { service?: string; port?: number | string }): string =>
  f.service ? `${f.service}:${f.port ?? ''}` : 'its default backend';

export const ingressNarrators: Narrators<IngressFact> = {
  'ingress.route': (f) => {
    // routeRequest's why may start in lower case ("no server_name is …"): a sentence here.
    const sentence = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);
    const direct = f.upstream
      ? ` It sends the request to the endpoint ${f.upstream} itself, picked from the Service's EndpointSlices: not to the ClusterIP, so kube-proxy is not on this hop.`
      : '';
    if (f.result === 'not-found')
      return {
        headline: `No Ingress rule matches ${f.host}${f.path}: 404`,
        explanation: `ingress-nginx finds no rule for Host ${f.host} and path ${f.path}, and no Ingress for it has a defaultBackend: its own default backend answers 404 Not Found. ${sentence(f.why)}.`,
      };
    if (f.result === 'default')
      return {
        headline: `No rule matches: ${f.ingress ?? 'ingress-nginx'}'s default backend ${target(f)}`,
        explanation: `No rule of any Ingress matches Host ${f.host} and path ${f.path}, so ingress-nginx sends the request to ${f.ingress ? `the defaultBackend of ${f.ingress}` : 'its default backend'}, ${target(f)}. ${sentence(f.why)}.${direct}`,
      };
    const rule = `${f.ruleHost || '*'}${f.rulePath ?? ''}`;
    return {
      headline: `Ingress ${f.ingress} routes ${f.path} to ${target(f)}`,
      explanation: `ingress-nginx matches Host ${f.host} and path ${f.path} against the rules of every Ingress of its class: the ${f.pathType} path ${rule} of ${f.ingress} (rule ${f.ruleIndex}, path ${f.pathIndex}) wins, so the request goes to ${target(f)}. ${sentence(f.why)}.${direct}`,
    };
  },
  'ingress.certificate': (f) => ({
    headline: f.fake
      ? `No Secret for ${f.sni ?? 'this handshake'}: the fake certificate`
      : `SNI ${f.sni} picks the certificate of ${f.secret}`,
    explanation: f.fake
      ? `The ClientHello ${f.sni ? `asks for ${f.sni}` : 'carries no server_name'} and no Ingress's tls section covers it, so ingress-nginx presents its own "Kubernetes Ingress Controller Fake Certificate". ${f.why}.`
      : `The ClientHello's server_name ${f.sni} matches the tls host ${f.host} of an Ingress, so ingress-nginx presents the certificate in Secret ${f.secret} (tls.crt, tls.key). ${f.why}.`,
  }),
};
