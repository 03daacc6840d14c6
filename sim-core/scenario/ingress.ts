/**
 * Ingress and IngressClass manifests (networking.k8s.io/v1), validated as
 * the API server validates them (pkg/apis/networking/validation:
 * ValidateIngressCreate, ValidateIngressClass) and worded as it words them:
 * `spec.rules[0].http.paths[0].path: Invalid value: "foo": must be an
 * absolute path`, each at the offending value. The DefaultIngressClass
 * admission plugin's defaulting happens in load.ts, once every class is read.
 */
import { isScalar } from 'yaml';
import type { Node } from 'yaml';
import type {
  HTTPIngressPath,
  Ingress,
  IngressBackend,
  IngressClass,
  IngressRule,
  IngressTLS,
  PathType,
} from '../k8s/api-types.ts';
import { parseIPv4 } from '../net/cidr.ts';
import {
  dns1035LabelErrors,
  dns1123SubdomainErrors,
  invalid,
  notSupported,
  portNameErrors,
  required,
  wildcardSubdomainErrors,
} from './api-validation.ts';
import type { DocContext } from './context.ts';
import type { Fields } from './fields.ts';
import { asFields } from './fields.ts';
import {
  INGRESS_BACKEND_FIELDS,
  INGRESS_CLASS_SPEC_FIELDS,
  INGRESS_PATH_FIELDS,
  INGRESS_RULE_FIELDS,
  INGRESS_SERVICE_BACKEND_FIELDS,
  INGRESS_SPEC_FIELDS,
  INGRESS_TLS_FIELDS,
  OBJECT_META_FIELDS,
} from './kubernetes-fields.ts';
import { dns1123LabelProblem, dns1123SubdomainProblem } from './names.ts';
import { checkName, readLabels } from './pods.ts';
import type { SourcePos } from './types.ts';

export const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
export const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';
const PATH_TYPES: readonly PathType[] = ['Exact', 'ImplementationSpecific', 'Prefix'];
const INVALID_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_SUFFIXES = ['/..', '/.'];
/** ingress-nginx annotations that turn every location of a host into a regex: not simulated. */
const REGEX_ANNOTATIONS = [
  'nginx.ingress.kubernetes.io/use-regex',
  'nginx.ingress.kubernetes.io/rewrite-target',
];

export interface IngressDraft {
  readonly ingress: Ingress;
  readonly pos: SourcePos;
  readonly ctx: DocContext;
  readonly nameAt: Node;
  /** Set in neither spec.ingressClassName nor the annotation: the default class applies. */
  readonly classless: boolean;
}

export interface IngressClassDraft {
  readonly ingressClass: IngressClass;
  readonly isDefault: boolean;
  readonly pos: SourcePos;
  readonly ctx: DocContext;
  readonly nameAt: Node;
}

/** metadata.annotations: string values only, as the API requires. */
export function readAnnotations(meta: Fields): Record<string, string> {
  const f = meta.map('annotations', 'any', 'annotations');
  const out: Record<string, string> = {};
  for (const key of f?.keys() ?? []) {
    const v = f!.value(key);
    if (v === undefined) out[key] = '';
    else if (isScalar(v) && typeof v.value === 'string') out[key] = v.value;
    else
      f!.ctx.error(
        v,
        f!.p(key),
        `annotation ${key} must be a string; put it in quotes: "${String(isScalar(v) ? v.value : '')}"`,
      );
  }
  return out;
}

function report(f: Fields, key: string, errors: string[], path: string, value: string): void {
  for (const e of errors) f.ctx.error(f.value(key), path, invalid(path, value, e));
}

/** validateIngressBackend: a service (name + port name xor number) or a resource, not both. */
function readBackend(
  parent: Fields,
  key: string,
  what: string,
  requiredMessage?: string,
): IngressBackend | undefined {
  const f = parent.map(key, INGRESS_BACKEND_FIELDS, what, requiredMessage);
  if (!f) return undefined;
  const svc = f.map('service', INGRESS_SERVICE_BACKEND_FIELDS, 'the backend service');
  const res = f.map('resource', ['apiGroup', 'kind', 'name'], 'the backend resource');
  if (svc && res) {
    f.ctx.error(
      f.node,
      f.path,
      invalid(f.path, '', 'cannot set both resource and service backends'),
    );
    return undefined;
  }
  if (res) {
    const kind = res.str('kind');
    const name = res.str('name');
    if (!kind) res.missing('kind', required(res.p('kind')));
    if (!name) res.missing('name', required(res.p('name')));
    const apiGroup = res.str('apiGroup');
    return kind && name
      ? { resource: { ...(apiGroup ? { apiGroup } : {}), kind, name } }
      : undefined;
  }
  if (!svc) {
    f.ctx.error(f.node, f.path, invalid(f.path, '', 'resource or service backend is required'));
    return undefined;
  }
  const name = svc.str('name');
  if (!name) svc.missing('name', required(svc.p('name')));
  else report(svc, 'name', dns1035LabelErrors(name), svc.p('name'), name);
  const port = svc.map('port', ['name', 'number'], 'the backend service port');
  const portName = port?.str('name');
  const numberNode = port?.value('number');
  let portNumber: number | undefined;
  if (numberNode !== undefined) {
    portNumber = port!.int('number', {
      min: 1,
      max: 65535,
      range: (n) => invalid(port!.p('number'), n, 'must be between 1 and 65535, inclusive'),
    });
    if (portNumber === undefined) return undefined;
  }
  if (portName && numberNode !== undefined) {
    f.ctx.error(port!.node, f.path, invalid(f.path, '', 'cannot set both port name & port number'));
    return undefined;
  }
  if (portName) {
    const errs = portNameErrors(portName);
    report(port!, 'name', errs, port!.p('name'), portName);
    if (errs.length > 0) return undefined;
  } else if (portNumber === undefined) {
    f.ctx.error(
      port?.node ?? svc.node,
      f.path,
      required(f.path, 'port name or number is required'),
    );
    return undefined;
  }
  if (!name || dns1035LabelErrors(name).length > 0) return undefined;
  return {
    service: { name, port: portName ? { name: portName } : { number: portNumber! } },
  };
}

/** validateHTTPIngressPath: a pathType, and for Exact/Prefix an absolute, normalized path. */
function readPath(f: Fields): HTTPIngressPath | undefined {
  const pathType = f.str('pathType');
  if (pathType === undefined) {
    if (!f.has('pathType'))
      f.missing('pathType', required(f.p('pathType'), 'pathType must be specified'));
    return undefined;
  }
  if (!(PATH_TYPES as readonly string[]).includes(pathType)) {
    f.ctx.error(
      f.value('pathType'),
      f.p('pathType'),
      notSupported(f.p('pathType'), pathType, PATH_TYPES),
    );
    return undefined;
  }
  const path = f.str('path') ?? '';
  const p = f.p('path');
  const errs: string[] = [];
  if (pathType !== 'ImplementationSpecific' || path.length > 0) {
    if (!path.startsWith('/')) errs.push('must be an absolute path');
  }
  if (pathType !== 'ImplementationSpecific' && path.length > 0) {
    for (const seq of INVALID_SEQUENCES)
      if (path.includes(seq)) errs.push(`must not contain '${seq}'`);
    for (const suf of INVALID_SUFFIXES)
      if (path.endsWith(suf)) errs.push(`cannot end with '${suf}'`);
  }
  for (const e of errs) f.ctx.error(f.value('path') ?? f.node, p, invalid(p, path, e));
  const backend = readBackend(f, 'backend', 'the path backend', required(f.p('backend')));
  if (errs.length > 0 || !backend) return undefined;
  return { path, pathType: pathType as PathType, backend };
}

/** validateIngressRules: a DNS name (or one leading wildcard label), not an IP; paths if http is set. */
function readRule(f: Fields): IngressRule | undefined {
  const host = f.str('host') ?? '';
  let ok = true;
  if (host) {
    const hp = f.p('host');
    const errs = [
      ...(parseIPv4(host) ? ['must be a DNS name, not an IP address'] : []),
      ...(host.includes('*') ? wildcardSubdomainErrors(host) : dns1123SubdomainErrors(host)),
    ];
    report(f, 'host', errs, hp, host);
    ok = errs.length === 0;
  }
  const http = f.map('http', ['paths'], 'the rule http');
  if (!http) return ok ? { host } : undefined;
  const items = http.list('paths') ?? [];
  if (items.length === 0) http.missing('paths', required(http.p('paths')));
  const paths: HTTPIngressPath[] = [];
  for (const item of items) {
    const pf = asFields(f.ctx, item.node, item.path, INGRESS_PATH_FIELDS, 'an Ingress path');
    const path = pf && readPath(pf);
    if (path) paths.push(path);
    else ok = false;
  }
  return ok && items.length > 0 ? { host, http: { paths } } : undefined;
}

function readTLS(f: Fields): IngressTLS | undefined {
  const hosts: string[] = [];
  let ok = true;
  for (const item of f.list('hosts') ?? []) {
    const n = item.node;
    if (!isScalar(n) || typeof n.value !== 'string') {
      f.ctx.error(n, item.path, `${item.path} must be a string`);
      ok = false;
      continue;
    }
    const h = n.value;
    const errs = h.includes('*') ? wildcardSubdomainErrors(h) : dns1123SubdomainErrors(h);
    for (const e of errs) f.ctx.error(n, item.path, invalid(item.path, h, e));
    if (errs.length > 0) ok = false;
    else hosts.push(h);
  }
  const secretName = f.str('secretName');
  if (secretName) {
    const errs = dns1123SubdomainErrors(secretName);
    report(f, 'secretName', errs, f.p('secretName'), secretName);
    if (errs.length > 0) ok = false;
  }
  return ok ? { hosts, ...(secretName ? { secretName } : {}) } : undefined;
}

function readMeta(top: Fields, kind: string) {
  const meta = top.map(
    'metadata',
    OBJECT_META_FIELDS,
    `the ${kind} metadata`,
    `an ${kind} needs metadata.name`,
  );
  if (!meta) return undefined;
  if (!meta.has('name')) meta.missing('name', `an ${kind} needs a metadata.name`);
  const name = checkName(meta, 'name', `${kind} name`, dns1123SubdomainProblem);
  const namespace = meta.has('namespace')
    ? checkName(meta, 'namespace', 'namespace name', dns1123LabelProblem)
    : 'default';
  return { meta, name, namespace, labels: readLabels(meta), annotations: readAnnotations(meta) };
}

export function readIngress(top: Fields): IngressDraft | undefined {
  const ctx = top.ctx;
  const m = readMeta(top, 'Ingress');
  if (!m) return undefined;
  const before = ctx.reporter.errors.length;
  const spec = top.map('spec', INGRESS_SPEC_FIELDS, 'the Ingress spec', required('spec'));
  if (!spec) return undefined;
  top.map('status', ['loadBalancer'], 'the Ingress status');

  for (const a of REGEX_ANNOTATIONS)
    if (a in m.annotations)
      ctx.error(
        m.meta.map('annotations', 'any', 'annotations')?.keyNode(a),
        `metadata.annotations.${a}`,
        `${a} is not simulated by Kubewire: with it ingress-nginx matches every path of the host as a case-insensitive regular expression (location ~* "^/path"); use pathType Exact or Prefix`,
      );

  const defaultBackend = spec.has('defaultBackend')
    ? readBackend(spec, 'defaultBackend', 'the default backend')
    : undefined;
  const rules: IngressRule[] = [];
  for (const item of spec.list('rules') ?? []) {
    const f = asFields(ctx, item.node, item.path, INGRESS_RULE_FIELDS, 'an Ingress rule');
    const r = f && readRule(f);
    if (r) rules.push(r);
  }
  if (!spec.has('rules') && !spec.has('defaultBackend'))
    ctx.error(
      spec.node,
      'spec',
      invalid('spec', 'null', 'either `defaultBackend` or `rules` must be specified'),
    );
  const tls: IngressTLS[] = [];
  for (const item of spec.list('tls') ?? []) {
    const f = asFields(ctx, item.node, item.path, INGRESS_TLS_FIELDS, 'an Ingress tls entry');
    const t = f && readTLS(f);
    if (t) tls.push(t);
  }
  let ingressClassName = spec.str('ingressClassName');
  if (ingressClassName !== undefined) {
    const errs = dns1123SubdomainErrors(ingressClassName);
    report(spec, 'ingressClassName', errs, spec.p('ingressClassName'), ingressClassName);
    if (errs.length > 0) ingressClassName = undefined;
  }
  const annotated = m.annotations[INGRESS_CLASS_ANNOTATION];
  if (annotated !== undefined && ingressClassName !== undefined && annotated !== ingressClassName) {
    const at = m.meta.map('annotations', 'any', 'annotations')?.value(INGRESS_CLASS_ANNOTATION);
    const path = `annotations.${INGRESS_CLASS_ANNOTATION}`;
    ctx.error(
      at,
      path,
      invalid(path, annotated, 'must match `ingressClassName` when both are specified'),
    );
  }
  if (m.name === undefined || m.namespace === undefined || ctx.reporter.errors.length > before)
    return undefined;
  const ingress: Ingress = {
    metadata: {
      namespace: m.namespace,
      name: m.name,
      ...(Object.keys(m.labels).length ? { labels: m.labels } : {}),
      ...(Object.keys(m.annotations).length ? { annotations: m.annotations } : {}),
    },
    spec: {
      ...(ingressClassName !== undefined ? { ingressClassName } : {}),
      ...(defaultBackend ? { defaultBackend } : {}),
      rules,
      tls,
    },
  };
  return {
    ingress,
    pos: ctx.pos(m.meta.value('name')),
    ctx,
    nameAt: m.meta.value('name')!,
    classless: ingressClassName === undefined && annotated === undefined,
  };
}

export function readIngressClass(top: Fields): IngressClassDraft | undefined {
  const ctx = top.ctx;
  const m = readMeta(top, 'IngressClass');
  if (!m) return undefined;
  const spec = top.map(
    'spec',
    INGRESS_CLASS_SPEC_FIELDS,
    'the IngressClass spec',
    required('spec.controller'),
  );
  const controller = spec?.str('controller');
  if (spec && !controller) spec.missing('controller', required(spec.p('controller')));
  if (controller) {
    const [domain, rest] = [controller.split('/')[0], controller.split('/').slice(1).join('/')];
    const path = spec!.p('controller');
    if (!controller.includes('/') || !domain || !rest)
      ctx.error(
        spec!.value('controller'),
        path,
        invalid(path, controller, 'must be a domain-prefixed path (such as "acme.io/foo")'),
      );
    else report(spec!, 'controller', dns1123SubdomainErrors(domain), path, domain);
    if (controller.length > 250)
      ctx.error(
        spec!.value('controller'),
        path,
        `${path}: Too long: may not be more than 250 bytes`,
      );
  }
  if (m.name === undefined || !controller) return undefined;
  return {
    ingressClass: {
      metadata: {
        namespace: '',
        name: m.name,
        ...(Object.keys(m.labels).length ? { labels: m.labels } : {}),
        ...(Object.keys(m.annotations).length ? { annotations: m.annotations } : {}),
      },
      spec: { controller },
    },
    isDefault: m.annotations[DEFAULT_CLASS_ANNOTATION] === 'true',
    pos: ctx.pos(m.meta.value('name')),
    ctx,
    nameAt: m.meta.value('name')!,
  };
}
