/**
 * The names and labels of ingress-nginx's official manifests
 * (deploy/static/provider/baremetal/deploy.yaml, controller v1.15.1).
 */
import type { ContainerSpec } from '../../scenario/types.ts';

export const INGRESS_NGINX_NAMESPACE = 'ingress-nginx';
export const INGRESS_NGINX_NAME = 'ingress-nginx-controller';
export const INGRESS_NGINX_CONTROLLER = 'k8s.io/ingress-nginx';
export const INGRESS_NGINX_CLASS = 'nginx';
export const INGRESS_NGINX_VERSION = '1.15.1';
export const INGRESS_NGINX_IMAGE = `registry.k8s.io/ingress-nginx/controller:v${INGRESS_NGINX_VERSION}`;

/** The selector of the Deployment and the Service. */
export const INGRESS_NGINX_SELECTOR = {
  'app.kubernetes.io/component': 'controller',
  'app.kubernetes.io/instance': 'ingress-nginx',
  'app.kubernetes.io/name': 'ingress-nginx',
} as const;

/** Every object's labels: the selector plus part-of and version. */
export const INGRESS_NGINX_LABELS = {
  ...INGRESS_NGINX_SELECTOR,
  'app.kubernetes.io/part-of': 'ingress-nginx',
  'app.kubernetes.io/version': INGRESS_NGINX_VERSION,
} as const;

export const INGRESS_NGINX_CONTAINER: ContainerSpec = {
  name: 'controller',
  image: INGRESS_NGINX_IMAGE,
  ports: [
    { containerPort: 80, name: 'http', protocol: 'TCP' },
    { containerPort: 443, name: 'https', protocol: 'TCP' },
    { containerPort: 8443, name: 'webhook', protocol: 'TCP' },
  ],
};
