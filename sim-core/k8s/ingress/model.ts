/**
 * The nginx servers ingress-nginx makes of the Ingresses it owns, built the
 * way its controller builds them (internal/ingress/controller/controller.go:
 * createServers, getBackendServers; location.go: updateServerLocations):
 *
 *  - Ingresses are taken in creation order (the file's order); one of another
 *    class, or of none, is left out (store.GetIngressClass).
 *  - The catch-all server `_` starts with `location /` on the controller's
 *    default backend (404); an Ingress with a defaultBackend and no rules
 *    takes it over.
 *  - Every rule host gets one server, created by the first Ingress naming it;
 *    its `location /` is that Ingress's defaultBackend, else the 404 backend.
 *    Later Ingresses for the same host add their paths to the same server.
 *  - ImplementationSpecific is read as Prefix (k8s.SetDefaultNGINXPathType).
 *    A path already present with the same pathType keeps its first backend;
 *    only the default `location /` is replaced.
 *  - A Prefix path `/foo` becomes `location /foo/` plus `location = /foo`
 *    (unless an Exact /foo exists): nginx then matches element-wise.
 *  - Resource backends are skipped ("does not contain a service backend").
 */
import type { Ingress, IngressBackend, IngressClass, PathType, Secret } from '../api-types.ts';

export const CONTROLLER_CLASS = 'k8s.io/ingress-nginx';
/** --ingress-class, the value the legacy annotation must have. */
export const ANNOTATION_CLASS = 'nginx';
export const CATCH_ALL = '_';
export const FAKE_CERTIFICATE_CN = 'Kubernetes Ingress Controller Fake Certificate';

/** A backend as nginx's `set $service_name`/`$service_port` name it; absent: the 404 backend. */
export interface LocationBackend {
  /** 'ns/name' of the Service. */
  readonly service: string;
  readonly port: number | string;
}

export interface NginxLocation {
  /** The location's path as nginx sees it: '/foo/' for the Prefix path '/foo'. */
  readonly path: string;
  /** `location = path` (Exact, and the exact twin of a Prefix path). */
  readonly exact: boolean;
  /** The path and pathType as written in the Ingress ('/' for the default location). */
  readonly ingressPath: string;
  /** Exact or Prefix: ingress-nginx reads ImplementationSpecific as Prefix. */
  readonly pathType: 'Exact' | 'Prefix';
  /** The pathType as written in the Ingress. */
  readonly writtenPathType: PathType;
  /** 'ns/name' of the Ingress that wrote it; absent for the controller's own catch-all. */
  readonly ingress?: string;
  readonly ruleIndex?: number;
  readonly pathIndex?: number;
  /** Undefined: ingress-nginx's default backend, which answers 404. */
  readonly backend?: LocationBackend;
  /** The server's `location /` nobody wrote a path for: a defaultBackend or the 404. */
  readonly isDefaultBackend: boolean;
  /** The twin `location = /foo` made for a Prefix path. */
  readonly twin?: boolean;
}

export interface NginxServer {
  /** The rule's host ('*.example.com' kept as written) or '_'. */
  readonly hostname: string;
  /** In nginx.tmpl's order: longest path first. */
  readonly locations: readonly NginxLocation[];
  /** The Ingress (ns/name) that created the server. */
  readonly ingress?: string;
  /** 'ns/name' of the TLS Secret picked for the host; absent: the fake certificate. */
  readonly secret?: string;
  /** Why the fake certificate is used when the host is in a tls section. */
  readonly certificateWhy?: string;
}

export interface SkippedIngress {
  readonly ingress: string;
  readonly why: string;
}

export interface IngressModel {
  /** Servers sorted by hostname, as ingress-nginx writes them. */
  readonly servers: readonly NginxServer[];
  /** Ingresses this controller does not own, and why. */
  readonly skipped: readonly SkippedIngress[];
  readonly secrets: ReadonlyMap<string, Secret>;
}

export interface IngressSources {
  readonly ingresses: readonly Ingress[];
  readonly ingressClasses: readonly IngressClass[];
  readonly secrets: readonly Secret[];
  /**
   * The names a Secret's tls.crt covers (subject CN and DNS SANs), or
   * undefined when it is not a certificate; absent: every Secret is taken
   * as covering its host. (ingress-nginx checks VerifyHostname.)
   */
  readonly certificateNames?: (secret: Secret) => readonly string[] | undefined;
}

const key = (m: { namespace: string; name: string }) => `${m.namespace}/${m.name}`;

/** store.GetIngressClass: ingressClassName naming one of our classes, else the annotation "nginx". */
export function classProblem(ing: Ingress, classes: readonly IngressClass[]): string | undefined {
  const name = ing.spec.ingressClassName;
  if (name !== undefined) {
    const cls = classes.find((c) => c.metadata.name === name);
    if (!cls) return `its ingressClassName ${name} names no IngressClass`;
    if (cls.spec.controller !== CONTROLLER_CLASS)
      return `its IngressClass ${name} belongs to controller ${cls.spec.controller}, not ${CONTROLLER_CLASS}`;
    return undefined;
  }
  const annotated = ing.metadata.annotations?.['kubernetes.io/ingress.class'];
  if (annotated !== undefined)
    return annotated === ANNOTATION_CLASS
      ? undefined
      : `its kubernetes.io/ingress.class annotation is ${annotated}, not ${ANNOTATION_CLASS}`;
  return 'it has no class, and ingress-nginx ignores classless Ingresses (--watch-ingress-without-class is off; no IngressClass is the default)';
}

function serviceBackend(ns: string, b: IngressBackend | undefined): LocationBackend | undefined {
  const s = b?.service;
  if (!s) return undefined;
  return { service: `${ns}/${s.name}`, port: 'number' in s.port ? s.port.number : s.port.name };
}

interface MutableServer {
  hostname: string;
  locations: NginxLocation[];
  ingress?: string;
  secret?: string;
  certificateWhy?: string;
  tlsDone?: boolean;
}

const root = (backend: LocationBackend | undefined, ingress?: string): NginxLocation => ({
  path: '/',
  exact: false,
  ingressPath: '/',
  pathType: 'Prefix',
  writtenPathType: 'Prefix',
  ...(ingress ? { ingress } : {}),
  ...(backend ? { backend } : {}),
  isDefaultBackend: true,
});

export function createIngressModel(src: IngressSources): IngressModel {
  const skipped: SkippedIngress[] = [];
  const owned = src.ingresses.filter((ing) => {
    const why = classProblem(ing, src.ingressClasses);
    if (why) skipped.push({ ingress: key(ing.metadata), why });
    return !why;
  });
  const servers = new Map<string, MutableServer>();
  servers.set(CATCH_ALL, { hostname: CATCH_ALL, locations: [root(undefined)] });

  for (const ing of owned) {
    const name = key(ing.metadata);
    const def = serviceBackend(ing.metadata.namespace, ing.spec.defaultBackend);
    const catchAll = servers.get(CATCH_ALL)!;
    if (def && ing.spec.rules.length === 0 && catchAll.locations[0].backend === undefined)
      catchAll.locations[0] = root(def, name);
    for (const rule of ing.spec.rules) {
      const host = rule.host || CATCH_ALL;
      if (servers.has(host)) continue;
      servers.set(host, { hostname: host, locations: [root(def, name)], ingress: name });
    }
  }

  for (const ing of owned) {
    const name = key(ing.metadata);
    ing.spec.rules.forEach((rule, ruleIndex) => {
      const server = servers.get(rule.host || CATCH_ALL)!;
      rule.http?.paths.forEach((p, pathIndex) => {
        const backend = serviceBackend(ing.metadata.namespace, p.backend);
        if (!backend) return; // a resource backend: ingress-nginx skips it
        const pathType = p.pathType === 'Exact' ? 'Exact' : 'Prefix';
        const path = p.path || '/';
        const at = server.locations.findIndex(
          (l) => l.ingressPath === path && l.pathType === pathType,
        );
        const loc: NginxLocation = {
          path,
          exact: pathType === 'Exact',
          ingressPath: path,
          pathType,
          writtenPathType: p.pathType,
          ingress: name,
          ruleIndex,
          pathIndex,
          backend,
          isDefaultBackend: false,
        };
        if (at < 0) server.locations.push(loc);
        else if (server.locations[at].isDefaultBackend) server.locations[at] = loc;
      });
    });
  }

  const secrets = new Map(src.secrets.map((s) => [key(s.metadata), s]));
  for (const ing of owned) assignCertificates(ing, servers, secrets, src.certificateNames);

  const out = [...servers.values()]
    .map((s): NginxServer => ({
      hostname: s.hostname,
      locations: sortLocations(withExactTwins(s.locations)),
      ...(s.ingress ? { ingress: s.ingress } : {}),
      ...(s.secret ? { secret: s.secret } : {}),
      ...(s.certificateWhy ? { certificateWhy: s.certificateWhy } : {}),
    }))
    .sort((a, b) => (a.hostname < b.hostname ? -1 : a.hostname > b.hostname ? 1 : 0));
  return { servers: out, skipped, secrets };
}

/** updateServerLocations: Prefix '/foo' → '/foo/' and, unless an Exact '/foo' exists, '= /foo'. */
function withExactTwins(locations: readonly NginxLocation[]): NginxLocation[] {
  const exact = new Set(locations.filter((l) => l.exact).map((l) => l.ingressPath));
  const out: NginxLocation[] = [];
  for (const l of locations) {
    if (l.path === '/' || l.exact) {
      out.push(l);
      continue;
    }
    const normalized = l.path.endsWith('/') ? l.path : `${l.path}/`;
    out.push({ ...l, path: normalized });
    if (!exact.has(l.ingressPath)) out.push({ ...l, exact: true, twin: true });
  }
  return out;
}

/** getBackendServers: by path descending, then (stable) by length descending. */
function sortLocations(locations: NginxLocation[]): NginxLocation[] {
  return [...locations]
    .sort((a, b) => (a.path > b.path ? -1 : a.path < b.path ? 1 : 0))
    .sort((a, b) => b.path.length - a.path.length);
}

/** The `tls` section's certificate for each server the Ingress has a rule for (first Ingress wins). */
function assignCertificates(
  ing: Ingress,
  servers: Map<string, MutableServer>,
  secrets: ReadonlyMap<string, Secret>,
  names: IngressSources['certificateNames'],
): void {
  for (const rule of ing.spec.rules) {
    const host = rule.host || CATCH_ALL;
    const server = servers.get(host)!;
    if (server.tlsDone || host === CATCH_ALL || ing.spec.tls.length === 0) continue;
    const entry = ing.spec.tls.find((t) => t.hosts.some((h) => h.toLowerCase() === host));
    if (!entry) continue;
    server.tlsDone = true;
    if (!entry.secretName) {
      server.certificateWhy = `the tls entry for ${host} has no secretName`;
      continue;
    }
    const secretKey = `${ing.metadata.namespace}/${entry.secretName}`;
    const secret = secrets.get(secretKey);
    if (!secret) {
      server.certificateWhy = `Secret ${secretKey} does not exist`;
      continue;
    }
    if (!secret.data['tls.crt'] || !secret.data['tls.key']) {
      server.certificateWhy = `Secret ${secretKey} has no tls.crt and tls.key`;
      continue;
    }
    const covered = names?.(secret);
    if (names && covered === undefined) {
      server.certificateWhy = `Secret ${secretKey}'s tls.crt is not a valid certificate`;
      continue;
    }
    if (covered && !covered.some((n) => hostMatchesName(host, n))) {
      server.certificateWhy = `the certificate in ${secretKey} does not contain a Common Name or Subject Alternative Name for server ${host}`;
      continue;
    }
    server.secret = secretKey;
  }
}

/** Go's VerifyHostname for a DNS name: case-insensitive, `*.` covering exactly one label. */
export function hostMatchesName(host: string, name: string): boolean {
  const h = host.toLowerCase();
  const n = name.toLowerCase();
  if (h === n) return true;
  if (!n.startsWith('*.')) return false;
  const dot = h.indexOf('.');
  return dot > 0 && h.slice(dot) === n.slice(1);
}
