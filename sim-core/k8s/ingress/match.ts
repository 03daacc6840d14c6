/**
 * Which backend ingress-nginx sends a request to: nginx's own choice of
 * server and location over the servers model.ts builds.
 *
 * Server (ngx_http_find_virtual_server): the Host header lower-cased, its
 * port and a trailing dot dropped; an exact server_name first, then the
 * wildcard, which ingress-nginx writes as the regex
 * `~^(?<subdomain>[\w-]+)\.example\.com$` (buildServerName): exactly one
 * label; else the default server `_`.
 *
 * Location (ngx_http_core_find_location), against the normalized URI (query
 * dropped, %XX decoded, `.`/`..` resolved, `//` merged): an exact `= /p`
 * first; else the longest prefix, which for ingress-nginx's `/p/` means
 * whole path elements; a URI that is a location minus its final slash
 * (`/p` for `location /p/` or `location = /p/`, without `= /p`) gets nginx's
 * 301 to `/p/`: every location proxies, and proxy_pass sets auto_redirect on
 * a location whose name ends in `/`, exact or not (ngx_http_proxy_pass,
 * ngx_http_create_locations_tree). Matching is case-sensitive.
 * `location /` is the host's default: an Ingress's defaultBackend, or
 * ingress-nginx's default backend, which answers 404.
 */
import type { PathType } from '../api-types.ts';
import type { IngressModel, LocationBackend, NginxLocation, NginxServer } from './model.ts';
import { CATCH_ALL, FAKE_CERTIFICATE_CN } from './model.ts';

export interface IngressRequest {
  /** The Host header (or :authority), as the client sent it. */
  readonly host: string;
  /** The request target: path, maybe with a query. */
  readonly path: string;
}

interface Matched {
  /** The server_name that matched ('_' for the default server). */
  readonly server: string;
  /** The nginx location, as written in the config: '= /foo', '/foo/'. */
  readonly location: string;
}

export type RouteResult =
  | (Matched & {
      readonly kind: 'rule';
      readonly ingress: string;
      readonly ruleIndex: number;
      readonly pathIndex: number;
      /** The rule's host as written ('' for a rule without host). */
      readonly host: string;
      /** The path and pathType as written in the Ingress. */
      readonly path: string;
      readonly pathType: PathType;
      readonly backend: LocationBackend;
      readonly why: string;
    })
  | (Matched & {
      /** nginx answers 301 Moved Permanently itself: the URI lacks the prefix location's slash. */
      readonly kind: 'redirect';
      readonly status: 301;
      /** The Location path: the URI with '/' appended (and its query). */
      readonly redirect: string;
      readonly ingress: string;
      readonly ruleIndex: number;
      readonly pathIndex: number;
      readonly host: string;
      readonly path: string;
      readonly pathType: PathType;
      readonly why: string;
    })
  | (Matched & {
      readonly kind: 'default';
      /** The Ingress whose defaultBackend this is. */
      readonly ingress: string;
      readonly backend: LocationBackend;
      readonly why: string;
    })
  | (Matched & { readonly kind: 'not-found'; readonly why: string });

/** nginx's host: lower case, no port, no trailing dot. */
export function normalizeHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[')) h = h.slice(0, h.indexOf(']') + 1);
  else if (h.includes(':')) h = h.slice(0, h.indexOf(':'));
  return h.endsWith('.') ? h.slice(0, -1) : h;
}

/** nginx's normalized URI (ngx_http_parse_complex_uri, merge_slashes on). */
export function normalizePath(target: string): { path: string; query: string } {
  const q = target.search(/[?#]/);
  const raw = q < 0 ? target : target.slice(0, q);
  const query = q >= 0 && target[q] === '?' ? target.slice(q).split('#')[0] : '';
  const decoded = raw.replace(/%([0-9a-fA-F]{2})/g, (_, h: string) =>
    String.fromCharCode(parseInt(h, 16)),
  );
  const out: string[] = [];
  const parts = (decoded.startsWith('/') ? decoded : `/${decoded}`).split('/').slice(1);
  parts.forEach((seg, i) => {
    const last = i === parts.length - 1;
    if (seg === '' && !last) return; // merged slash
    if (seg === '.') {
      if (last) out.push('');
      return;
    }
    if (seg === '..') {
      out.pop();
      if (last) out.push('');
      return;
    }
    out.push(seg);
  });
  return { path: `/${out.join('/')}`, query };
}

const LABEL = /^[A-Za-z0-9_-]+$/; // PCRE's [\w-]

function findServer(model: IngressModel, host: string): { server: NginxServer; why: string } {
  const exact = model.servers.find((s) => s.hostname === host && !s.hostname.startsWith('*'));
  if (exact && host !== CATCH_ALL)
    return { server: exact, why: `Host ${host} is server_name ${host}` };
  const dot = host.indexOf('.');
  if (dot > 0 && LABEL.test(host.slice(0, dot))) {
    const wild = model.servers.find((s) => s.hostname === `*${host.slice(dot)}`);
    if (wild)
      return {
        server: wild,
        why: `Host ${host} matches the wildcard ${wild.hostname}, whose * is exactly one label (${host.slice(0, dot)})`,
      };
  }
  const catchAll = model.servers.find((s) => s.hostname === CATCH_ALL)!;
  return {
    server: catchAll,
    why: `no server_name is ${host || 'an empty Host'}${wildcardHint(model, host)}, so nginx uses the default server _`,
  };
}

/** " (*.foo.com covers one label, not baz.bar)" when a wildcard server ends like the host. */
function wildcardHint(model: IngressModel, host: string): string {
  const w = model.servers.find(
    (s) =>
      s.hostname.startsWith('*.') &&
      (host.endsWith(s.hostname.slice(1)) || host === s.hostname.slice(2)),
  );
  if (!w) return '';
  const label =
    host === w.hostname.slice(2) ? 'none' : host.slice(0, host.length - w.hostname.length + 1);
  return ` (${w.hostname} covers exactly one label, and here it would be ${label === 'none' ? 'no label at all' : label})`;
}

const nginxLocation = (l: NginxLocation) => (l.exact ? `= ${l.path}` : l.path);

/** The backend ingress-nginx picks for a request. */
export function routeRequest(model: IngressModel, req: IngressRequest): RouteResult {
  const host = normalizeHost(req.host);
  const { path, query } = normalizePath(req.path);
  const { server, why: hostWhy } = findServer(model, host);
  const base = { server: server.hostname };
  const exact = server.locations.find((l) => l.exact && l.path === path);
  let best: NginxLocation | undefined = exact;
  if (!best)
    for (const l of server.locations)
      if (!l.exact && path.startsWith(l.path) && (!best || l.path.length > best.path.length))
        best = l;
  const redirect = exact
    ? undefined
    : server.locations.find((l) => l.path === `${path}/` && l.path !== '/');
  if (redirect && redirect.ingress !== undefined && !redirect.isDefaultBackend) {
    return {
      kind: 'redirect',
      ...base,
      location: nginxLocation(redirect),
      status: 301,
      redirect: `${path}/${query}`,
      ...ruleOf(redirect, server),
      why: `${hostWhy}; ${path} is location ${nginxLocation(redirect)} without its final slash, and a proxying location ending in / makes nginx answer 301 Moved Permanently to ${path}/ (no Exact ${path} path exists)`,
    };
  }
  const loc = best!;
  const location = nginxLocation(loc);
  if (!loc.isDefaultBackend && loc.ingress !== undefined && loc.backend) {
    return {
      kind: 'rule',
      ...base,
      location,
      ...ruleOf(loc, server),
      backend: loc.backend,
      why: `${hostWhy}; ${pathWhy(loc, path, server)}`,
    };
  }
  const none = `no path of ${server.hostname === CATCH_ALL ? 'the default server' : `server ${server.hostname}`} matches ${path}${elementHint(server, path)}, so location / takes it`;
  if (loc.backend && loc.ingress)
    return {
      kind: 'default',
      ...base,
      location,
      ingress: loc.ingress,
      backend: loc.backend,
      why: `${hostWhy}; ${none}: the defaultBackend of ${loc.ingress}`,
    };
  return {
    kind: 'not-found',
    ...base,
    location,
    why: `${hostWhy}; ${none}: ingress-nginx's own default backend, which answers 404 Not Found`,
  };
}

function ruleOf(l: NginxLocation, server: NginxServer) {
  return {
    ingress: l.ingress!,
    ruleIndex: l.ruleIndex!,
    pathIndex: l.pathIndex!,
    host: server.hostname === CATCH_ALL ? '' : server.hostname,
    path: l.ingressPath,
    pathType: l.writtenPathType,
  };
}

function pathWhy(l: NginxLocation, path: string, server: NginxServer): string {
  const implSpecific =
    l.writtenPathType === 'ImplementationSpecific'
      ? ' (ingress-nginx reads ImplementationSpecific as Prefix)'
      : '';
  if (l.exact && !l.twin)
    return `Exact ${l.ingressPath} is location = ${l.path}, which nginx tries before any prefix`;
  if (l.twin)
    return `Prefix ${l.ingressPath}${implSpecific} matches ${path} itself through its twin location = ${l.path}`;
  const longer = server.locations.filter(
    (o) => !o.exact && path.startsWith(o.path) && o !== l,
  ).length;
  return `Prefix ${l.ingressPath}${implSpecific} is location ${l.path}, which matches ${path} element by element${longer > 0 ? `; it is the longest of ${longer + 1} matching prefixes` : ''}${elementHint(server, path)}`;
}

/** "(Prefix /foo does not match /foobar: …)" when a prefix matches as a string but not by element. */
function elementHint(server: NginxServer, path: string): string {
  const near = server.locations.find(
    (l) =>
      !l.exact &&
      l.path !== '/' &&
      path.startsWith(l.path.slice(0, -1)) &&
      !path.startsWith(l.path),
  );
  return near
    ? ` (Prefix ${near.ingressPath} does not match ${path}: a prefix matches whole path elements)`
    : '';
}

export type CertificateChoice =
  | {
      readonly fake: false;
      /** 'ns/name' of the Secret. */
      readonly secret: string;
      /** The server whose certificate it is ('*.example.com' for the wildcard). */
      readonly host: string;
      readonly why: string;
    }
  | { readonly fake: true; readonly commonName: string; readonly why: string };

/**
 * The certificate ingress-nginx presents for an SNI (its Lua
 * certificate.call: the server of that exact name, then the wildcard `*.` +
 * the name without its first label), else its fake certificate.
 */
export function tlsFor(model: IngressModel, sni: string | undefined): CertificateChoice {
  const fake = (why: string): CertificateChoice => ({
    fake: true,
    commonName: FAKE_CERTIFICATE_CN,
    why,
  });
  if (!sni) return fake('the ClientHello has no server_name, so no server can be picked by name');
  const name = normalizeHost(sni);
  const dot = name.indexOf('.');
  const candidates = [name, ...(dot > 0 ? [`*${name.slice(dot)}`] : [])];
  for (const c of candidates) {
    const server = model.servers.find((s) => s.hostname === c);
    if (!server) continue;
    if (server.secret)
      return {
        fake: false,
        secret: server.secret,
        host: c,
        why:
          c === name
            ? `SNI ${name} is server ${c}`
            : `SNI ${name} is covered by the wildcard server ${c}`,
      };
    if (server.certificateWhy)
      return fake(`server ${c} is in a tls section, but ${server.certificateWhy}`);
  }
  return fake(`no Ingress of class nginx lists ${name} under tls with a Secret`);
}
