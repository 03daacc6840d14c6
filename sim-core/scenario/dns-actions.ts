/**
 * The DNS actions: `dig: {from, name, type?, server?, search?}` (one query,
 * like dig, which does not use the search list unless +search) and
 * `resolve: {from, name}` (getent ahosts NAME: glibc's getaddrinfo).
 */
import { isScalar } from 'yaml';
import { parseIPv4 } from '../net/cidr.ts';
import type { Fields } from './fields.ts';
import type { ActionContext } from './actions.ts';
import { didYouMean } from './suggest.ts';
import type { Action, PodRef, SourcePos } from './types.ts';

/** The query types dig is asked for here. */
export const DIG_TYPES = ['A', 'AAAA', 'SRV', 'PTR', 'CNAME', 'SOA', 'NS', 'TXT', 'MX', 'ANY'];

/** A host name as a resolver takes it: labels of letters, digits, '-' or '_', at most 63 each, 253 in all. */
export function isDnsName(s: string): boolean {
  const n = s.endsWith('.') ? s.slice(0, -1) : s;
  if (!n || n.length > 253) return false;
  return n.split('.').every((l) => /^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/.test(l));
}

export function readDnsAction(
  kind: 'dig' | 'resolve',
  body: Fields,
  pos: SourcePos,
  env: ActionContext,
  readPod: (b: Fields, key: string, msg: string) => PodRef | undefined,
): Action | undefined {
  const from = readPod(body, 'from', `${kind} needs from: the pod that asks`);
  const name = body.str('name', `${kind} needs name: the name to look up, like web or example.com`);
  if (name !== undefined && !isDnsName(name)) {
    body.ctx.error(body.value('name'), body.p('name'), `'${name}' is not a DNS name`);
    return undefined;
  }
  const server = kind === 'dig' ? body.str('server') : undefined;
  if (server !== undefined && parseIPv4(server) === undefined) {
    body.ctx.error(
      body.value('server'),
      body.p('server'),
      `server must be an IPv4 address, like 10.96.0.10, not '${server}'`,
    );
    return undefined;
  }
  if (!env.dns && server === undefined) {
    body.ctx.error(
      body.keyNode('name') ?? body.node,
      body.path,
      `${kind} needs the cluster's DNS: add dns: {upstream: <a host>} to the Cluster spec${kind === 'dig' ? ', or give the server to ask' : ''}`,
    );
    return undefined;
  }
  if (!from || name === undefined) return undefined;
  if (kind === 'resolve') return { kind, from, name, pos };
  const typeText = body.has('type') ? body.str('type') : 'A';
  if (typeText === undefined) return undefined;
  const qtype = typeText.toUpperCase();
  if (!DIG_TYPES.includes(qtype)) {
    const msg = `dig type '${typeText}' is not one of ${DIG_TYPES.join(', ')}${didYouMean(qtype, DIG_TYPES)}`;
    body.ctx.error(body.value('type'), body.p('type'), msg);
    return undefined;
  }
  let search: boolean | undefined;
  if (body.has('search')) {
    const v = body.value('search');
    if (isScalar(v) && typeof v.value === 'boolean') search = v.value;
    else {
      body.ctx.error(v, body.p('search'), 'search must be true or false (dig +search)');
      return undefined;
    }
  }
  return {
    kind,
    from,
    name,
    qtype,
    ...(server !== undefined ? { server } : {}),
    ...(search ? { search } : {}),
    pos,
  };
}
