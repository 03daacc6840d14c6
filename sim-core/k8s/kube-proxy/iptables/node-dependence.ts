/**
 * Whether kube-proxy's iptables rules for a set of Services can differ from
 * one node to the next. syncProxyRules reads its own node in two places only:
 *
 * - which endpoints are local (EndpointInfo.IsLocal, the endpoint's nodeName
 *   against the proxier's hostname), used by CategorizeEndpoints only for a
 *   port that UsesLocalEndpoints (internalTrafficPolicy Local, or
 *   externalTrafficPolicy Local with external access), which writes the
 *   KUBE-SVL- chain and the "has no local endpoints" rules;
 * - the node's IP, tested against a LoadBalancer's loadBalancerSourceRanges
 *   (allowFromNode) for the KUBE-FW- chain.
 *
 * Everything else (the cluster CIDR of --detect-local-mode=ClusterCIDR, the
 * `--dst-type LOCAL` NodePort jump) is the same on every node of a cluster.
 * When no Service port needs either, every node writes the very same file,
 * so the simulation builds and parses it once for all nodes.
 */
import type { Service } from '../../api-types.ts';
import { servicePorts, usesLocalEndpoints } from '../service-port.ts';

export function rulesDependOnNode(services: readonly Service[]): boolean {
  return services.some((svc) =>
    servicePorts(svc).some(
      (sp) => usesLocalEndpoints(sp) || sp.loadBalancerSourceRanges.length > 0,
    ),
  );
}
