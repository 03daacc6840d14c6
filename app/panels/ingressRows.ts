/**
 * The Ingress panel's data: one row per path of every Ingress (host, path,
 * pathType, service, port, Ingress), the rule a step's `ingress.route` fact
 * names, and each TLS host's certificate. Pure, for the panel and its tests.
 */
import {
  classProblem,
  secretCertificate,
  type Fact,
  type Ingress,
  type IngressClass,
  type IngressModel,
  type ParsedCertificate,
} from '@kubewire/sim-core';

export interface RuleRow {
  readonly key: string;
  readonly ingress: string;
  readonly ruleIndex: number;
  readonly pathIndex: number;
  readonly host: string;
  readonly path: string;
  readonly pathType: string;
  readonly service: string;
  readonly port: string;
  /** Why ingress-nginx does not serve it (another class, a resource backend). */
  readonly ignored?: string;
}

export function ruleRows(
  ingresses: readonly Ingress[],
  classes: readonly IngressClass[],
): RuleRow[] {
  const out: RuleRow[] = [];
  for (const ing of ingresses) {
    const name = `${ing.metadata.namespace}/${ing.metadata.name}`;
    const skip = classProblem(ing, classes);
    const row = (
      ruleIndex: number,
      pathIndex: number,
      host: string,
      path: string,
      pathType: string,
      b: Ingress['spec']['defaultBackend'],
    ) => {
      const svc = b?.service;
      out.push({
        key: `${name}#${ruleIndex}.${pathIndex}`,
        ingress: name,
        ruleIndex,
        pathIndex,
        host,
        path,
        pathType,
        service: svc ? svc.name : b?.resource ? `${b.resource.kind}/${b.resource.name}` : '',
        port: svc ? ('number' in svc.port ? String(svc.port.number) : svc.port.name) : '',
        ...(skip
          ? { ignored: skip }
          : b?.resource
            ? { ignored: 'a resource backend: ingress-nginx skips it' }
            : {}),
      });
    };
    if (ing.spec.defaultBackend) row(-1, -1, '*', '(defaultBackend)', '', ing.spec.defaultBackend);
    ing.spec.rules.forEach((r, ri) =>
      r.http?.paths.forEach((p, pi) =>
        row(ri, pi, r.host || '*', p.path || '/', p.pathType, p.backend),
      ),
    );
  }
  return out;
}

/** The `ingress.route` fact of a step, top-level or nested in what it carries. */
export function routeFact(
  f: Fact | undefined,
): Extract<Fact, { type: 'ingress.route' }> | undefined {
  if (!f) return undefined;
  if (f.type === 'ingress.route') return f;
  for (const v of Object.values(f))
    if (v && typeof v === 'object' && 'type' in v) {
      const inner = routeFact(v as Fact);
      if (inner) return inner;
    }
  return undefined;
}

export interface CertificateRow {
  readonly host: string;
  readonly secret?: string;
  readonly why?: string;
  readonly cert?: ParsedCertificate;
}

/** Each server's certificate: its Secret's, parsed, or why it is the fake one. */
export function certificateRows(model: IngressModel): CertificateRow[] {
  return model.servers
    .filter((s) => s.secret || s.certificateWhy)
    .map((s) => {
      const secret = s.secret ? model.secrets.get(s.secret) : undefined;
      const cert = secret ? secretCertificate(secret) : undefined;
      return {
        host: s.hostname,
        ...(s.secret ? { secret: s.secret } : {}),
        ...(s.certificateWhy ? { why: s.certificateWhy } : {}),
        ...(cert ? { cert } : {}),
      };
    });
}
