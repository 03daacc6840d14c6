/**
 * The address ingress-nginx writes into status.loadBalancer.ingress of every
 * Ingress it owns (internal/ingress/status): with --publish-service (the
 * provider/cloud manifest) the controller Service's load-balancer address;
 * without it (provider/baremetal) the address of each node a Running
 * controller pod is on (its InternalIP: the simulated nodes have no
 * ExternalIP). Sorted and without duplicates, as kubectl prints them.
 */
import type { PodStatus } from '../../model.ts';
import type { Service } from '../api-types.ts';
import type { ClusterSpec } from '../../scenario/types.ts';
import { INGRESS_NGINX_NAME, INGRESS_NGINX_NAMESPACE } from './addon.ts';

export function ingressAddress(
  cluster: ClusterSpec,
  services: readonly Service[],
  pods: readonly PodStatus[],
): string[] {
  const nginx = cluster.ingressNginx;
  if (!nginx) return [];
  const running = pods.filter(
    (p) =>
      p.namespace === INGRESS_NGINX_NAMESPACE &&
      p.name.startsWith(`${INGRESS_NGINX_NAME}-`) &&
      p.phase === 'Running',
  );
  if (running.length === 0) return [];
  if (nginx.service === 'LoadBalancer') {
    const svc = services.find(
      (s) =>
        s.metadata.namespace === INGRESS_NGINX_NAMESPACE && s.metadata.name === INGRESS_NGINX_NAME,
    );
    return [...new Set(svc?.loadBalancerIngress ?? [])].sort();
  }
  const ips = running
    .map((p) => cluster.nodes.find((n) => n.name === p.node)?.ip)
    .filter((ip): ip is string => ip !== undefined);
  return [...new Set(ips)].sort();
}
