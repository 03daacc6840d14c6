/**
 * `spec.ingressNginx` of the Cluster document: the ingress-nginx add-on, as
 * its official manifests install it (deploy/static/provider/baremetal: a
 * NodePort Service; provider/cloud: a LoadBalancer). Present, or implied by
 * any Ingress in the file; a file with neither gets no add-on at all, so its
 * trace is what it was before Ingress existed.
 */
import { parseIPv4 } from '../net/cidr.ts';
import type { Fields } from './fields.ts';
import type { IngressNginxSpec } from './types.ts';

const SERVICE_TYPES = ['NodePort', 'LoadBalancer'] as const;

export const DEFAULT_INGRESS_NGINX: IngressNginxSpec = { service: 'NodePort', replicas: 1 };

/** undefined: not written; null: written but wrong (reported). */
export function readIngressNginx(spec: Fields | undefined): IngressNginxSpec | undefined | null {
  if (!spec?.has('ingressNginx')) return undefined;
  const f = spec.map('ingressNginx', ['service', 'replicas', 'loadBalancerIP'], 'ingressNginx');
  if (!f) return null;
  const service = f.has('service')
    ? f.oneOf('service', SERVICE_TYPES, 'ingressNginx service type')
    : 'NodePort';
  const replicas = f.has('replicas')
    ? f.int('replicas', {
        min: 1,
        max: 10,
        range: (n) => `ingressNginx.replicas must be between 1 and 10, not ${n}`,
      })
    : 1;
  const lb = f.str('loadBalancerIP');
  if (lb !== undefined && !parseIPv4(lb)) {
    f.ctx.error(
      f.value('loadBalancerIP'),
      f.p('loadBalancerIP'),
      `${f.p('loadBalancerIP')} must be an IPv4 address, not "${lb}"`,
    );
    return null;
  }
  if (lb !== undefined && service !== 'LoadBalancer') {
    f.ctx.error(
      f.value('loadBalancerIP'),
      f.p('loadBalancerIP'),
      `${f.p('loadBalancerIP')} needs service: LoadBalancer`,
    );
    return null;
  }
  if (!service || replicas === undefined) return null;
  return { service, replicas, ...(lb ? { loadBalancerIP: lb } : {}) };
}
