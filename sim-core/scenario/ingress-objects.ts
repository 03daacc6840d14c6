/**
 * What the API server and its admission plugins do with the file's
 * Ingresses, IngressClasses and Secrets before ingress-nginx sees them:
 * refuse a second object of the same name (AlreadyExists), add ingress-nginx's
 * own IngressClass `nginx` (unless the file defines it), and let the
 * DefaultIngressClass admission plugin give a classless Ingress the class
 * annotated `ingressclass.kubernetes.io/is-default-class: "true"`, and refuse
 * a classless one when several are (plugin/pkg/admission/network/
 * defaultingressclass: "2 default IngressClasses were found, only 1 allowed").
 */
import type { Ingress, IngressClass, Secret } from '../k8s/api-types.ts';
import type { DocContext } from './context.ts';
import type { IngressClassDraft, IngressDraft } from './ingress.ts';
import { INGRESS_NGINX_CLASS, ingressNginxClass } from './ingress-nginx.ts';
import type { SecretDraft } from './secrets.ts';
import type { Node } from 'yaml';
import type { SourcePos } from './types.ts';

interface Named {
  readonly key: string;
  readonly ctx: DocContext;
  readonly nameAt: Node;
  readonly pos: SourcePos;
}

/** Keep the first of each key; the others are refused as `kubectl apply` would be on create. */
function unique<T extends Named>(
  drafts: readonly T[],
  resource: string,
  name: (d: T) => string,
): T[] {
  const seen = new Map<string, T>();
  for (const d of drafts) {
    const first = seen.get(d.key);
    if (first)
      d.ctx.error(
        d.nameAt,
        'metadata.name',
        `Error from server (AlreadyExists): ${resource} "${name(d)}" already exists (defined at line ${first.pos.line})`,
      );
    else seen.set(d.key, d);
  }
  return [...seen.values()];
}

export interface IngressObjects {
  readonly ingresses: Ingress[];
  readonly ingressClasses: IngressClass[];
  readonly secrets: Secret[];
}

export function ingressObjects(
  ingressDrafts: readonly IngressDraft[],
  classDrafts: readonly IngressClassDraft[],
  secretDrafts: readonly SecretDraft[],
  withController: boolean,
): IngressObjects {
  const classes = unique(
    classDrafts.map((d) => ({ ...d, key: d.ingressClass.metadata.name })),
    'ingressclasses.networking.k8s.io',
    (d) => d.ingressClass.metadata.name,
  );
  const ingressClasses = classes.map((d) => d.ingressClass);
  if (withController && !ingressClasses.some((c) => c.metadata.name === INGRESS_NGINX_CLASS))
    ingressClasses.push(ingressNginxClass());
  const defaults = classes.filter((d) => d.isDefault);
  const defaultClass = defaults.length === 1 ? defaults[0].ingressClass.metadata.name : undefined;

  const ingresses = unique(
    ingressDrafts.map((d) => ({
      ...d,
      key: `${d.ingress.metadata.namespace}/${d.ingress.metadata.name}`,
    })),
    'ingresses.networking.k8s.io',
    (d) => d.ingress.metadata.name,
  ).flatMap((d) => {
    if (d.classless && defaults.length > 1) {
      const name = d.ingress.metadata.name;
      d.ctx.error(
        d.nameAt,
        'metadata.name',
        `Error from server (Forbidden): ingresses.networking.k8s.io "${name}" is forbidden: Internal error occurred: ${defaults.length} default IngressClasses were found, only 1 allowed`,
      );
      return [];
    }
    return [
      d.classless && defaultClass
        ? { ...d.ingress, spec: { ...d.ingress.spec, ingressClassName: defaultClass } }
        : d.ingress,
    ];
  });
  const secrets = unique(
    secretDrafts.map((d) => ({
      ...d,
      key: `${d.secret.metadata.namespace}/${d.secret.metadata.name}`,
    })),
    'secrets',
    (d) => d.secret.metadata.name,
  ).map((d) => d.secret);
  return { ingresses, ingressClasses, secrets };
}
