/**
 * `kubewire ingress --host H --path P`: the backend ingress-nginx would pick,
 * `service:port` (or 404, or nginx's 301), then the rule that won and why.
 */
import type { RouteResult } from '../k8s/ingress/match.ts';

export function routeText(r: RouteResult): string {
  const where = `server ${r.server}, location ${r.location.startsWith('=') ? `= "${r.location.slice(2)}"` : `"${r.location}"`}`;
  const lines: string[] = [];
  if (r.kind === 'rule') {
    lines.push(`${r.backend.service}:${r.backend.port}`);
    lines.push(`  ingress   ${r.ingress} (rule ${r.ruleIndex}, path ${r.pathIndex})`);
    lines.push(`  host      ${r.host || '*'}`);
    lines.push(`  path      ${r.path} (${r.pathType})`);
  } else if (r.kind === 'redirect') {
    lines.push(`301 ${r.redirect}`);
    lines.push(`  ingress   ${r.ingress} (rule ${r.ruleIndex}, path ${r.pathIndex})`);
    lines.push(`  host      ${r.host || '*'}`);
    lines.push(`  path      ${r.path} (${r.pathType})`);
  } else if (r.kind === 'default') {
    lines.push(`${r.backend.service}:${r.backend.port}`);
    lines.push(`  ingress   ${r.ingress} (its defaultBackend)`);
  } else lines.push('404');
  lines.push(`  nginx     ${where}`);
  lines.push(`  why       ${r.why}`);
  return lines.join('\n');
}
