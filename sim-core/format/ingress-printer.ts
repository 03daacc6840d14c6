/**
 * kubectl's printIngress (pkg/printers/internalversion/printers.go): NAME,
 * CLASS (`<none>` without ingressClassName), HOSTS (formatHosts: the first
 * three rule hosts, `*` when none, ` + N more...`), ADDRESS (the
 * status.loadBalancer.ingress addresses), PORTS (`80`, or `80, 443` with a
 * tls section), AGE.
 */
import type { Ingress } from '../k8s/api-types.ts';
import { translateTimestampSince } from './human-duration.ts';
import type { Columns, PrintOptions } from './kubectl-printers.ts';

export const INGRESS_COLUMNS: Columns = {
  names: ['Name', 'Class', 'Hosts', 'Address', 'Ports', 'Age'],
  normal: 6,
};

/** formatHosts. */
export function formatHosts(ing: Ingress): string {
  const list: string[] = [];
  const max = 3;
  let more = false;
  for (const rule of ing.spec.rules) {
    if (list.length === max) more = true;
    if (!more && rule.host) list.push(rule.host);
  }
  if (list.length === 0) return '*';
  const ret = list.join(',');
  return more ? `${ret} + ${ing.spec.rules.length - max} more...` : ret;
}

const LOAD_BALANCER_WIDTH = 16;

export function printIngress(
  ing: Ingress,
  address: readonly string[],
  createdUs: number | undefined,
  opts: PrintOptions,
): string[] {
  const a = address.join(',');
  return [
    ing.metadata.name,
    ing.spec.ingressClassName ?? '<none>',
    formatHosts(ing),
    !opts.wide && a.length > LOAD_BALANCER_WIDTH ? `${a.slice(0, LOAD_BALANCER_WIDTH - 3)}...` : a,
    ing.spec.tls.length ? '80, 443' : '80',
    translateTimestampSince(createdUs, opts.nowUs),
  ];
}
