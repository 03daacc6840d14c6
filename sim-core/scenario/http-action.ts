/**
 * The `http` action: `{from, url, resolve?, insecure?, header?}`, curl's
 * URL, --resolve, -k and -H. Every part is checked where it is written.
 */
import { isScalar } from 'yaml';
import type { Fields } from './fields.ts';
import type { HttpAction, PodRef, SourcePos } from './types.ts';

export const HTTP_FIELDS = ['from', 'url', 'resolve', 'insecure', 'header'] as const;

const URL_SHAPE = /^(https?):\/\/([A-Za-z0-9.-]+)(?::(\d{1,5}))?([/?][^#\s]*)?$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HEADER = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*)$/;

interface Url {
  readonly scheme: 'http' | 'https';
  readonly host: string;
  readonly port: number;
  readonly path: string;
}

function readUrl(body: Fields): Url | undefined {
  const url = body.str(
    'url',
    'http needs url: like "http://web.default/" or "https://shop.example/"',
  );
  if (url === undefined) return undefined;
  const m = URL_SHAPE.exec(url);
  const port = m?.[3] === undefined ? undefined : Number(m[3]);
  if (!m || (port !== undefined && (port < 1 || port > 65535))) {
    body.ctx.error(
      body.value('url'),
      body.p('url'),
      `url must be http:// or https://, a host, an optional :port (1..65535) and a path, like "https://shop.example/cart", not ${JSON.stringify(url)}`,
    );
    return undefined;
  }
  const scheme = m[1] as 'http' | 'https';
  const path = !m[4] ? '/' : m[4].startsWith('?') ? `/${m[4]}` : m[4];
  return { scheme, host: m[2].toLowerCase(), port: port ?? (scheme === 'http' ? 80 : 443), path };
}

function readResolve(body: Fields, url: Url): HttpAction['resolve'] | 'bad' | undefined {
  if (!body.has('resolve')) return undefined;
  const text = body.str('resolve');
  if (text === undefined) return 'bad';
  const m = /^([A-Za-z0-9.-]+):(\d{1,5}):(\S+)$/.exec(text);
  const bad = (msg: string) => {
    body.ctx.error(body.value('resolve'), body.p('resolve'), msg);
    return 'bad' as const;
  };
  if (!m || !IPV4.test(m[3]))
    return bad(
      `resolve is curl's --resolve HOST:PORT:ADDRESS with an IPv4 address, like "shop.example:443:192.168.1.10", not ${JSON.stringify(text)}`,
    );
  const host = m[1].toLowerCase();
  const port = Number(m[2]);
  if (host !== url.host || port !== url.port)
    return bad(
      `resolve is for ${host}:${port} but the url goes to ${url.host}:${url.port}; curl would not use it`,
    );
  return { host, port, addr: m[3] };
}

function readHeaders(body: Fields): HttpAction['headers'] | 'bad' | undefined {
  if (!body.has('header')) return undefined;
  const v = body.value('header');
  const items = isScalar(v) ? [{ node: v, path: body.p('header') }] : body.list('header');
  if (!items) return 'bad';
  const out: [string, string][] = [];
  for (const item of items) {
    const text = isScalar(item.node) ? item.node.value : undefined;
    const m = typeof text === 'string' ? HEADER.exec(text) : null;
    if (!m) {
      body.ctx.error(
        item.node,
        item.path,
        `a header is "Name: value", like "X-Debug: 1" (curl -H), not ${JSON.stringify(text ?? null)}`,
      );
      return 'bad';
    }
    out.push([m[1], m[2]]);
  }
  return out;
}

export function readHttpAction(
  body: Fields,
  from: PodRef | undefined,
  pos: SourcePos,
): HttpAction | undefined {
  const url = readUrl(body);
  const resolve = url && readResolve(body, url);
  const headers = readHeaders(body);
  let insecure: boolean | undefined;
  if (body.has('insecure')) {
    const v = body.value('insecure');
    if (isScalar(v) && typeof v.value === 'boolean') insecure = v.value;
    else body.ctx.error(v, body.p('insecure'), `insecure must be true or false (curl -k)`);
  }
  if (!from || !url || resolve === 'bad' || headers === 'bad') return undefined;
  if (body.has('insecure') && insecure === undefined) return undefined;
  return {
    kind: 'http',
    from,
    url: body.str('url')!,
    ...url,
    ...(resolve ? { resolve } : {}),
    ...(insecure ? { insecure } : {}),
    ...(headers ? { headers } : {}),
    pos,
  };
}
