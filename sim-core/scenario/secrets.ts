/**
 * Secret manifests (v1), validated as the API server validates them
 * (pkg/apis/core/validation ValidateSecret): keys are config keys, `data`
 * is base64 (decoded as Go's encoding/json decodes []byte), `stringData` is
 * merged over it, and a `kubernetes.io/tls` Secret must hold tls.crt and
 * tls.key. The API server does not parse the PEM; ingress-nginx does, later.
 */
import { isScalar } from 'yaml';
import type { Node } from 'yaml';
import type { Secret } from '../k8s/api-types.ts';
import { decodeBase64, textBase64 } from '../net/base64.ts';
import { configMapKeyErrors, invalid, required } from './api-validation.ts';
import type { DocContext } from './context.ts';
import type { Fields } from './fields.ts';
import { OBJECT_META_FIELDS } from './kubernetes-fields.ts';
import { dns1123LabelProblem, dns1123SubdomainProblem } from './names.ts';
import { checkName, readLabels } from './pods.ts';
import type { SourcePos } from './types.ts';
import { readAnnotations } from './ingress.ts';

export const SECRET_TYPE_TLS = 'kubernetes.io/tls';
/** api.MaxSecretSize: 1 MiB. */
const MAX_SECRET_SIZE = 1024 * 1024;

export interface SecretDraft {
  readonly secret: Secret;
  readonly pos: SourcePos;
  readonly ctx: DocContext;
  readonly nameAt: Node;
}

/** One map of the Secret (data or stringData): keys checked, values strings. */
function readKeys(top: Fields, key: 'data' | 'stringData', out: Map<string, string>): boolean {
  const f = top.map(key, 'any', key);
  let ok = true;
  for (const k of f?.keys() ?? []) {
    // stringData is merged into data before validation, so both are reported as data[key].
    const path = `data[${k}]`;
    for (const e of configMapKeyErrors(k)) {
      f!.ctx.error(f!.keyNode(k), path, invalid(path, k, e));
      ok = false;
    }
    const v = f!.value(k);
    const s =
      v === undefined ? '' : isScalar(v) && typeof v.value === 'string' ? v.value : undefined;
    if (s === undefined) {
      f!.ctx.error(v, path, `${path} must be a string`);
      ok = false;
      continue;
    }
    if (key === 'stringData') {
      out.set(k, textBase64(s));
      continue;
    }
    const decoded = decodeBase64(s);
    if (!decoded.ok) {
      f!.ctx.error(
        v,
        path,
        `Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte ${decoded.at} (${path} is base64; put PEM text under stringData instead)`,
      );
      ok = false;
      continue;
    }
    out.set(k, s.replace(/[\r\n]/g, ''));
  }
  return ok;
}

export function readSecret(top: Fields): SecretDraft | undefined {
  const ctx = top.ctx;
  const meta = top.map(
    'metadata',
    OBJECT_META_FIELDS,
    'the Secret metadata',
    'a Secret needs metadata.name',
  );
  if (!meta) return undefined;
  if (!meta.has('name')) meta.missing('name', 'a Secret needs a metadata.name');
  const name = checkName(meta, 'name', 'Secret name', dns1123SubdomainProblem);
  const namespace = meta.has('namespace')
    ? checkName(meta, 'namespace', 'namespace name', dns1123LabelProblem)
    : 'default';
  const labels = readLabels(meta);
  const annotations = readAnnotations(meta);
  const type = top.str('type') ?? 'Opaque';
  const data = new Map<string, string>();
  const ok = readKeys(top, 'data', data) && readKeys(top, 'stringData', data);
  if (ok && type === SECRET_TYPE_TLS)
    for (const k of ['tls.crt', 'tls.key'])
      if (!data.has(k))
        ctx.error(
          top.value('data') ?? top.value('stringData') ?? top.value('type'),
          `data[${k}]`,
          required(`data[${k}]`),
        );
  let size = 0;
  for (const v of data.values()) size += Math.floor((v.length * 3) / 4);
  if (size > MAX_SECRET_SIZE)
    ctx.error(
      top.value('data') ?? top.node,
      'data',
      `data: Too long: may not be more than ${MAX_SECRET_SIZE} bytes`,
    );
  if (!ok || name === undefined || namespace === undefined) return undefined;
  return {
    secret: {
      metadata: {
        namespace,
        name,
        ...(Object.keys(labels).length ? { labels } : {}),
        ...(Object.keys(annotations).length ? { annotations } : {}),
      },
      type,
      data: Object.fromEntries(data),
    },
    pos: ctx.pos(meta.value('name')),
    ctx,
    nameAt: meta.value('name')!,
  };
}
