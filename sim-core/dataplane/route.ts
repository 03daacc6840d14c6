/**
 * Route lookup: longest prefix match over the namespace's main table, as
 * `ip route get` answers it. Ties go to the earlier route (kernel order).
 */
import type { Netns, Route } from '../model.ts';
import { ipToNumber } from '../net/cidr.ts';
import { parsePrefix, prefixContains } from '../net/prefix.ts';

function routePrefixLength(r: Route): number {
  return r.dst === 'default' ? 0 : parsePrefix(r.dst).length;
}

export function routeMatches(r: Route, ip: number): boolean {
  return r.dst === 'default' || prefixContains(parsePrefix(r.dst), ip);
}

export function lookupRoute(ns: Netns, dst: string): Route | undefined {
  const ip = ipToNumber(dst);
  let best: Route | undefined;
  let bestLen = -1;
  for (const r of ns.routes) {
    if (!routeMatches(r, ip)) continue;
    const len = routePrefixLength(r);
    if (len > bestLen) {
      best = r;
      bestLen = len;
    }
  }
  return best;
}

/** `ip route` line for a route. */
export function formatRoute(r: Route): string {
  // iproute2 prints a host route's destination without its /32.
  const parts = r.type ? [r.type, r.dst] : [r.dst.endsWith('/32') ? r.dst.slice(0, -3) : r.dst];
  if (r.via) parts.push('via', r.via);
  if (r.type !== 'blackhole') parts.push('dev', r.dev);
  if (r.proto) parts.push('proto', r.proto);
  if (r.scope && r.scope !== 'global') parts.push('scope', r.scope);
  if (r.src) parts.push('src', r.src);
  if (r.onlink) parts.push('onlink');
  if (r.mtu) parts.push('mtu', String(r.mtu));
  return parts.join(' ');
}
