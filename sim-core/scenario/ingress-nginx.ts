/**
 * The objects ingress-nginx's official manifests create
 * (deploy/static/provider/baremetal/deploy.yaml, provider/cloud for a
 * LoadBalancer), the parts the network sees: the `ingress-nginx` namespace,
 * the controller Deployment (container ports http 80, https 443, webhook
 * 8443), the `ingress-nginx-controller` Service (http 80 → http, https 443 →
 * https) and the IngressClass `nginx` for controller k8s.io/ingress-nginx.
 * RBAC, the ConfigMap, the admission webhook and its Jobs have no packets and
 * are left out. They go through the same Deployment and Service machinery as
 * the file's own objects, after them, so nothing the file wrote shifts.
 */
import type { Node } from 'yaml';
import type { IngressClass, Service } from '../k8s/api-types.ts';
import type { DocContext } from './context.ts';
import type { DeploymentDraft } from './deployments.ts';
import type { ServiceDraft } from './services.ts';
import type { IngressNginxSpec, SourcePos } from './types.ts';
import {
  INGRESS_NGINX_CLASS,
  INGRESS_NGINX_CONTAINER,
  INGRESS_NGINX_CONTROLLER,
  INGRESS_NGINX_LABELS,
  INGRESS_NGINX_NAME,
  INGRESS_NGINX_NAMESPACE,
  INGRESS_NGINX_SELECTOR,
} from '../k8s/ingress/addon.ts';

export { INGRESS_NGINX_CLASS, INGRESS_NGINX_NAME, INGRESS_NGINX_NAMESPACE };

export function ingressNginxClass(): IngressClass {
  return {
    metadata: { namespace: '', name: INGRESS_NGINX_CLASS, labels: { ...INGRESS_NGINX_LABELS } },
    spec: { controller: INGRESS_NGINX_CONTROLLER },
  };
}

export function ingressNginxService(spec: IngressNginxSpec): Service {
  return {
    metadata: {
      namespace: INGRESS_NGINX_NAMESPACE,
      name: INGRESS_NGINX_NAME,
      labels: { ...INGRESS_NGINX_LABELS },
    },
    spec: {
      type: spec.service,
      selector: { ...INGRESS_NGINX_SELECTOR },
      ports: [
        { name: 'http', protocol: 'TCP', port: 80, targetPort: 'http' },
        { name: 'https', protocol: 'TCP', port: 443, targetPort: 'https' },
      ],
      sessionAffinity: 'None',
      // provider/cloud keeps the client's address with Local; baremetal leaves the default.
      externalTrafficPolicy: spec.service === 'LoadBalancer' ? 'Local' : 'Cluster',
      internalTrafficPolicy: 'Cluster',
    },
    ...(spec.loadBalancerIP ? { loadBalancerIngress: [spec.loadBalancerIP] } : {}),
  };
}

/** Drafts for the loader, located at `at` (spec.ingressNginx, or the first Ingress). */
export function ingressNginxDrafts(
  spec: IngressNginxSpec,
  ctx: DocContext,
  at: Node,
): { deployment: DeploymentDraft; service: ServiceDraft } {
  const pos: SourcePos = ctx.pos(at);
  return {
    deployment: {
      kind: 'Deployment',
      namespace: INGRESS_NGINX_NAMESPACE,
      name: INGRESS_NGINX_NAME,
      replicas: spec.replicas,
      selector: { ...INGRESS_NGINX_SELECTOR },
      templateLabels: { ...INGRESS_NGINX_LABELS },
      containers: [INGRESS_NGINX_CONTAINER],
      dns: { dnsPolicy: 'ClusterFirst' },
      pos,
      nameAt: at,
      ctx,
    },
    service: { service: ingressNginxService(spec), pos, ctx, nodePortAt: [], nameAt: at },
  };
}
