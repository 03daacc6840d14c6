/**
 * The `server` blocks ingress-nginx writes into nginx.conf for the model's
 * servers, from rootfs/etc/nginx/template/nginx.tmpl, cut to the lines that
 * route a request: server_name (buildServerName: a wildcard becomes the
 * one-label regex), the listens (buildHTTPListener/buildHTTPSListener:
 * `default_server reuseport backlog=4096` only on `_`), the certificate hook
 * (certificates are served by Lua per SNI, so the Secret is a comment), and
 * per location (buildLocation: `= "/p"` for Exact, `"/p/"` for Prefix) the
 * `set $namespace … $service_port` lines, the upstream name and
 * `proxy_pass http://upstream_balancer;`. IPv6 listens are left out: the
 * simulated pods have no IPv6.
 */
import type { IngressModel, NginxLocation, NginxServer } from './model.ts';
import { CATCH_ALL } from './model.ts';

const DEFAULT_UPSTREAM = 'upstream-default-backend';
const BACKLOG = 4096;

/** buildServerName. */
export function serverName(hostname: string): string {
  if (!hostname.startsWith('*')) return hostname;
  const parts = hostname.replace('*.', '').split('.');
  return `~^(?<subdomain>[\\w-]+)\\.${parts.join('\\.')}$`;
}

/** buildLocation, without use-regex (refused by the loader). */
export function locationText(l: NginxLocation): string {
  return l.exact ? `= "${l.path}"` : `"${l.path}"`;
}

/** upstreamName: namespace-service-port, or the default backend's. */
export function upstreamName(l: NginxLocation): string {
  if (!l.backend) return DEFAULT_UPSTREAM;
  const [ns, name] = l.backend.service.split('/');
  return `${ns}-${name}-${l.backend.port}`;
}

function location(l: NginxLocation): string[] {
  const [ns = '', ing = ''] = (l.ingress ?? '').split('/');
  const service = l.backend?.service.split('/')[1] ?? '';
  const port = l.backend ? String(l.backend.port) : '';
  return [
    `        location ${locationText(l)} {`,
    `            set $namespace      "${ns}";`,
    `            set $ingress_name   "${ing}";`,
    `            set $service_name   "${service}";`,
    `            set $service_port   "${port}";`,
    `            set $location_path  "${l.ingressPath}";`,
    '',
    `            set $proxy_upstream_name "${upstreamName(l)}";`,
    '',
    '            proxy_pass http://upstream_balancer;',
    '        }',
    '',
  ];
}

export function serverBlock(s: NginxServer): string {
  const opts = s.hostname === CATCH_ALL ? ` default_server reuseport backlog=${BACKLOG}` : ' ';
  const cert = s.secret
    ? `# certificate: Secret ${s.secret}`
    : `# certificate: the default (fake) certificate${s.certificateWhy ? `: ${s.certificateWhy}` : ''}`;
  return [
    `    ## start server ${s.hostname}`,
    '    server {',
    `        server_name "${serverName(s.hostname)}" ;`,
    '',
    `        listen 80${opts} ;`,
    `        listen 443${opts} ssl;`,
    '',
    '        set $proxy_upstream_name "-";',
    '',
    '        ssl_certificate_by_lua_file /etc/nginx/lua/nginx/ngx_conf_certificate.lua;',
    `        ${cert}`,
    '',
    ...s.locations.flatMap(location),
    '    }',
    `    ## end server ${s.hostname}`,
  ].join('\n');
}

/** Every server block, in ingress-nginx's order (by hostname; `_` first as it sorts first). */
export function renderNginxServers(model: IngressModel): string {
  return model.servers.map(serverBlock).join('\n\n') + '\n';
}
