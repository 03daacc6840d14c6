/**
 * The ingress-nginx controller's program, wired to the simulation: its
 * pods (the add-on's Deployment in namespace ingress-nginx) answer :80 and
 * :443 with apps/ingress-nginx.ts; the Ingress model comes from the file's
 * Ingresses, IngressClasses and Secrets; certificates from the Secrets'
 * tls.crt and tls.key, else the controller's fake certificate.
 */
import type { ServerApps } from '../dataplane/tcp-app.ts';
import { EPOCH_SECONDS, type Transport } from '../dataplane/transport.ts';
import type { Dataplane } from '../dataplane/types.ts';
import type { Rng } from '../engine/rng.ts';
import { createIngressModel, type IngressModel } from '../k8s/ingress/index.ts';
import { decodeBase64 } from '../net/base64.ts';
import { INGRESS_NGINX_NAMESPACE, INGRESS_NGINX_SELECTOR } from '../k8s/ingress/addon.ts';
import type { LoadedScenario, PodSpec } from '../scenario/types.ts';
import { fakeIngressCertificate, parseEcPrivateKey, pemDecode } from '../tls/index.ts';
import type { ServerCertificate } from '../tls/index.ts';
import { createIngressNginx } from './ingress-nginx.ts';

const latin1 = new TextDecoder('latin1');

export function isIngressController(pod: PodSpec | undefined): boolean {
  return (
    pod?.namespace === INGRESS_NGINX_NAMESPACE &&
    Object.entries(INGRESS_NGINX_SELECTOR).every(([k, v]) => pod.labels[k] === v)
  );
}

function secretCertificate(loaded: LoadedScenario, key: string): ServerCertificate | undefined {
  const secret = loaded.secrets.find((s) => `${s.metadata.namespace}/${s.metadata.name}` === key);
  const crt = secret && decodeBase64(secret.data['tls.crt'] ?? '');
  const pem = secret && decodeBase64(secret.data['tls.key'] ?? '');
  if (!crt?.ok || !pem?.ok) return undefined;
  try {
    const chain = pemDecode(latin1.decode(crt.bytes))
      .filter((b) => b.label === 'CERTIFICATE')
      .map((b) => b.der);
    return chain.length ? { chain, key: parseEcPrivateKey(latin1.decode(pem.bytes)) } : undefined;
  } catch {
    return undefined; // not a P-256 certificate and key: nginx would serve the fake one
  }
}

export function ingressServers(
  loaded: LoadedScenario,
  dp: () => Dataplane,
  transport: Transport,
  rng: Rng,
  podOf: (netnsId: string) => PodSpec | undefined,
): ServerApps | undefined {
  if (!loaded.cluster.ingressNginx) return undefined;
  let model: IngressModel | undefined;
  let fake: ServerCertificate | undefined;
  const certs = new Map<string, ServerCertificate | undefined>();
  const certRng = rng.fork('fake-certificate');
  const serve = createIngressNginx({
    model: () =>
      (model ??= createIngressModel({
        ingresses: loaded.ingresses,
        ingressClasses: loaded.ingressClasses,
        secrets: loaded.secrets,
      })),
    services: () => dp().world.api.services,
    slices: () => dp().world.api.endpointSlices,
    rng: rng.fork('nginx'),
    now: () => EPOCH_SECONDS + Math.floor(dp().world.timeUs / 1e6),
    label: (id) => dp().label(id),
    connect(netnsId, dst, port, app) {
      const world = dp().world;
      const key = world.findNetns(netnsId)?.pod;
      const ip = key ? world.pod(key)?.ip : undefined;
      if (ip) transport.connect(netnsId, ip, dst, port, dst, { app, owner: 'controller' });
    },
    certificate(key) {
      if (!certs.has(key)) certs.set(key, secretCertificate(loaded, key));
      return certs.get(key);
    },
    fakeCertificate() {
      if (!fake) {
        const f = fakeIngressCertificate(certRng, new Date(EPOCH_SECONDS * 1000));
        fake = { chain: [f.der], key: f.key };
      }
      return fake;
    },
  });
  return (netnsId, local, peer) =>
    isIngressController(podOf(netnsId)) ? serve(netnsId, local, peer) : undefined;
}
