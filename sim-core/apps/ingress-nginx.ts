/**
 * ingress-nginx's controller pod as a program on :80 and :443 (controller
 * v1.x; rootfs/etc/nginx/template/nginx.tmpl and lua/ read for this):
 * - :443 terminates TLS; the ClientHello's SNI picks the certificate (tlsFor:
 *   the server of that name, a wildcard, else the fake certificate);
 * - the request's Host and path pick the server and location (routeRequest);
 * - the Lua balancer (round_robin, resty.roundrobin) picks an endpoint of the
 *   backend Service from its EndpointSlices, starting at a random one (seeded)
 *   and rotating, and nginx connects to that POD IP itself: no ClusterIP,
 *   no kube-proxy on that hop;
 * - the upstream request is HTTP/1.1 with the location's proxy_set_header
 *   lines in the template's order (Host and X-Forwarded-Host: the client's
 *   Host as sent; X-Forwarded-Port: the port nginx listens on), X-Request-ID, X-Real-IP,
 *   X-Forwarded-For, -Host, -Port, -Proto, -Scheme, X-Scheme; Upgrade,
 *   Connection, X-Original-Forwarded-* and Proxy are empty and not sent:
 *   upstream keepalive makes `$connection_upgrade` ""), then the client's
 *   other headers in their order;
 * - the response goes back with nginx's own head (Date, Content-Type,
 *   Content-Length, Connection: keep-alive), the upstream's other headers
 *   (proxy_hide_header drops its Date and Server; server_tokens off and
 *   `more_clear_headers Server` leave no Server line), and HSTS on https when
 *   a certificate is configured for the host (lua_ingress.lua);
 * - no rule: the default server's `return 404`; no endpoint: 503; both with
 *   nginx's built-in error pages.
 * The upstream connection stays open (keepalive 320), as the client's does
 * until curl closes it.
 */
import type { Endpoint as SocketEnd, TcpApp, TcpConn } from '../dataplane/tcp-app.ts';
import type { Rng } from '../engine/rng.ts';
import type { EndpointSlice, Service } from '../k8s/api-types.ts';
import { routeRequest, tlsFor, type IngressModel } from '../k8s/ingress/index.ts';
import type { ServerCertificate } from '../tls/index.ts';
import {
  emitRequest,
  emitResponse,
  header,
  headText,
  httpDate,
  parseRequest,
  parseResponse,
  ReadBuffer,
  type HttpRequest,
  type HttpResponse,
} from './http-message.ts';
import { tlsServerApp } from './tls-stream.ts';

export interface NginxContext {
  readonly model: () => IngressModel;
  readonly services: () => readonly Service[];
  readonly slices: () => readonly EndpointSlice[];
  readonly rng: Rng;
  /** Seconds since 1970 now. */
  readonly now: () => number;
  readonly label: (netnsId: string) => string;
  /** connect() from the controller's namespace, with `app` as the socket's program. */
  readonly connect: (netnsId: string, dst: string, port: number, app: TcpApp) => void;
  /** The certificate of a kubernetes.io/tls Secret ('ns/name'), and the fake one. */
  readonly certificate: (secret: string) => ServerCertificate | undefined;
  readonly fakeCertificate: () => ServerCertificate;
}

const utf8 = new TextEncoder();

/** nginx's built-in error pages (ngx_http_special_response.c), with server_tokens off. */
function errorPage(status: 404 | 503): HttpResponse {
  const title = status === 404 ? '404 Not Found' : '503 Service Temporarily Unavailable';
  const body = utf8.encode(
    `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n` +
      `<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`,
  );
  return {
    version: 'HTTP/1.1',
    status,
    reason: title.slice(4),
    headers: [
      ['Content-Type', 'text/html'],
      ['Content-Length', String(body.length)],
    ],
    body,
  };
}

const HSTS = 'max-age=31536000; includeSubDomains';
const HIDDEN = new Set(['date', 'server', 'content-type', 'content-length', 'connection']);

/** The response nginx writes to the client for `r` (from upstream or its own). */
function clientResponse(r: HttpResponse, now: number, hsts: boolean): Uint8Array {
  const own: [string, string][] = [['Date', httpDate(now)]];
  const type = header(r.headers, 'Content-Type');
  if (type) own.push(['Content-Type', type]);
  own.push(['Content-Length', String(r.body.length)], ['Connection', 'keep-alive']);
  const rest = r.headers.filter(([k]) => !HIDDEN.has(k.toLowerCase()));
  const tail: [string, string][] = hsts ? [['Strict-Transport-Security', HSTS]] : [];
  return emitResponse({ ...r, headers: [...own, ...rest, ...tail] });
}

/** The upstream request: the location's proxy_set_header lines, then the client's other headers. */
export function upstreamRequest(
  req: HttpRequest,
  o: { host: string; requestId: string; remote: string; port: number; scheme: 'http' | 'https' },
): HttpRequest {
  const set: [string, string][] = [
    ['Host', o.host],
    ['X-Request-ID', o.requestId],
    ['X-Real-IP', o.remote],
    ['X-Forwarded-For', o.remote],
    ['X-Forwarded-Host', o.host],
    ['X-Forwarded-Port', String(o.port)],
    ['X-Forwarded-Proto', o.scheme],
    ['X-Forwarded-Scheme', o.scheme],
    ['X-Scheme', o.scheme],
  ];
  const overridden = new Set(
    [...set.map(([k]) => k), 'Connection', 'Upgrade', 'Proxy', 'Keep-Alive', 'TE', 'Expect'].map(
      (k) => k.toLowerCase(),
    ),
  );
  const kept = req.headers.filter(([k]) => !overridden.has(k.toLowerCase()));
  return { ...req, version: 'HTTP/1.1', headers: [...set, ...kept] };
}

/** The endpoints ("ip:port") of a Service port, ready ones, as the controller's EndpointSlice informer sees them. */
function endpointsOf(ctx: NginxContext, service: string, port: number | string): string[] {
  const [ns, name] = service.split('/');
  const svc = ctx.services().find((s) => s.metadata.namespace === ns && s.metadata.name === name);
  const sp = svc?.spec.ports.find((p) =>
    typeof port === 'number' ? p.port === port : p.name === port,
  );
  if (!sp) return [];
  const out: string[] = [];
  for (const slice of ctx.slices()) {
    if (slice.metadata.namespace !== ns) continue;
    if (slice.metadata.labels?.['kubernetes.io/service-name'] !== name) continue;
    const ep = slice.ports.find((p) => p.name === (sp.name ?? ''));
    if (!ep) continue;
    for (const e of slice.endpoints)
      if (e.conditions.ready !== false) for (const a of e.addresses) out.push(`${a}:${ep.port}`);
  }
  return out;
}

/** One per controller: the balancer's state per backend, and the program for each connection. */
export function createIngressNginx(ctx: NginxContext) {
  const cursor = new Map<string, number>();

  /** resty.roundrobin: a random first node (seeded), then each in turn. */
  function balance(key: string, endpoints: readonly string[]): string {
    const n = endpoints.length;
    const next = cursor.has(key) ? (cursor.get(key)! + 1) % n : ctx.rng.int(0, n - 1);
    cursor.set(key, next);
    return endpoints[next];
  }

  const requestId = () =>
    Array.from({ length: 16 }, () => ctx.rng.int(0, 255).toString(16).padStart(2, '0')).join('');

  function httpSide(netnsId: string, local: SocketEnd, peer: SocketEnd, scheme: 'http' | 'https') {
    const controller = ctx.label(netnsId);
    const buffer = new ReadBuffer();
    let hsts = false;
    const app: TcpApp = {
      data(conn, bytes) {
        const all = buffer.push(bytes);
        const req = parseRequest(all);
        if (!req) return;
        buffer.clear();
        const host = header(req.headers, 'Host') ?? '';
        const route = routeRequest(ctx.model(), { host, path: req.target });
        const backend =
          route.kind === 'rule' || route.kind === 'default' ? route.backend : undefined;
        const endpoints = backend ? endpointsOf(ctx, backend.service, backend.port) : [];
        const upstream =
          backend && endpoints.length
            ? balance(`${backend.service}:${backend.port}`, endpoints)
            : undefined;
        const bare = host.replace(/:\d+$/, '').toLowerCase();
        hsts = scheme === 'https' && !tlsFor(ctx.model(), bare).fake;
        conn.note(
          route.kind === 'rule'
            ? `ingress-nginx: rule → ${backend!.service}:${backend!.port}`
            : route.kind === 'default'
              ? `ingress-nginx: no rule matches → default backend ${backend!.service}:${backend!.port}`
              : route.kind === 'not-found'
                ? 'ingress-nginx: no rule, no defaultBackend → its own 404'
                : `ingress-nginx: 301 → ${route.redirect}`,
          {
            type: 'ingress.route',
            controller,
            host: bare,
            path: req.target,
            result:
              route.kind === 'rule' ? 'rule' : route.kind === 'default' ? 'default' : 'not-found',
            ...(route.kind === 'rule' || route.kind === 'default'
              ? { ingress: route.ingress }
              : {}),
            ...(route.kind === 'rule'
              ? {
                  ruleIndex: route.ruleIndex,
                  pathIndex: route.pathIndex,
                  ruleHost: route.host,
                  rulePath: route.path,
                  pathType: route.pathType,
                }
              : {}),
            ...(backend ? { service: backend.service, port: backend.port } : {}),
            ...(upstream ? { upstream } : {}),
            why: route.why,
          },
        );
        if (!backend || !upstream) {
          const page = errorPage(backend ? 503 : 404);
          const bytesOut = clientResponse(page, ctx.now(), hsts);
          conn.write(bytesOut, {
            type: 'ingress.respond',
            controller,
            status: page.status,
            reason: page.reason,
            head: headText(bytesOut),
            len: bytesOut.length,
            tls: scheme === 'https',
          });
          return;
        }
        // $best_http_host is $http_host: the Host header as the client sent it, port and all.
        const forwarded = upstreamRequest(req, {
          host,
          requestId: requestId(),
          remote: peer.addr,
          port: local.port,
          scheme,
        });
        const [addr, port] = upstream.split(':');
        ctx.connect(netnsId, addr, Number(port), upstreamApp(conn, req, all, forwarded, upstream));
      },
    };

    function upstreamApp(
      client: TcpConn,
      req: HttpRequest,
      raw: Uint8Array,
      fwd: HttpRequest,
      upstream: string,
    ): TcpApp {
      const back = new ReadBuffer();
      const added = fwd.headers
        .map(([k]) => k)
        .filter((k) => k !== 'Host' && !req.headers.some(([h]) => h === k));
      return {
        connected(conn) {
          const bytes = emitRequest(fwd);
          conn.write(bytes, {
            type: 'ingress.proxy',
            controller,
            upstream,
            before: headText(raw),
            after: headText(bytes),
            added,
            len: bytes.length,
          });
        },
        data(_conn, bytes) {
          const r = parseResponse(back.push(bytes));
          if (!r) return;
          back.clear();
          const out = clientResponse(r, ctx.now(), hsts);
          client.write(out, {
            type: 'ingress.respond',
            controller,
            status: r.status,
            reason: r.reason,
            head: headText(out),
            len: out.length,
            from: upstream,
            tls: scheme === 'https',
          });
        },
      };
    }
    return app;
  }

  /** The program for a new connection to the controller's :80 or :443. */
  return function serve(netnsId: string, local: SocketEnd, peer: SocketEnd): TcpApp | undefined {
    if (local.port === 80) return httpSide(netnsId, local, peer, 'http');
    if (local.port !== 443) return undefined;
    const controller = ctx.label(netnsId);
    return tlsServerApp(httpSide(netnsId, local, peer, 'https'), {
      rng: ctx.rng,
      who: controller,
      alpn: ['h2', 'http/1.1'],
      select(sni) {
        const choice = tlsFor(ctx.model(), sni);
        const cert = (!choice.fake && ctx.certificate(choice.secret)) || ctx.fakeCertificate();
        return {
          cert,
          why: {
            type: 'ingress.certificate',
            controller,
            ...(sni ? { sni } : {}),
            ...(!choice.fake ? { secret: choice.secret, host: choice.host } : {}),
            fake: choice.fake,
            why: choice.why,
          },
        };
      },
    });
  };
}
