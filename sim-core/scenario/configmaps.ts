/**
 * ConfigMap manifests (v1): kept and listed, nothing to simulate. Keys are
 * checked as the API server checks them (ValidateConfigMap: config keys,
 * `data` values strings, no key in both data and binaryData).
 */
import { isScalar } from 'yaml';
import { configMapKeyErrors, invalid } from './api-validation.ts';
import type { Fields } from './fields.ts';
import { OBJECT_META_FIELDS } from './kubernetes-fields.ts';
import { dns1123LabelProblem, dns1123SubdomainProblem } from './names.ts';
import { checkName } from './pods.ts';
import type { ConfigMapSpec } from './types.ts';

export function readConfigMap(top: Fields): ConfigMapSpec | undefined {
  const meta = top.map(
    'metadata',
    OBJECT_META_FIELDS,
    'the ConfigMap metadata',
    'a ConfigMap needs metadata.name',
  );
  if (!meta) return undefined;
  if (!meta.has('name')) meta.missing('name', 'a ConfigMap needs a metadata.name');
  const name = checkName(meta, 'name', 'configmap name', dns1123SubdomainProblem);
  const namespace = meta.has('namespace')
    ? checkName(meta, 'namespace', 'namespace name', dns1123LabelProblem)
    : 'default';
  const keys: string[] = [];
  for (const field of ['data', 'binaryData'] as const) {
    const f = top.map(field, 'any', field);
    for (const k of f?.keys() ?? []) {
      const path = `${field}[${k}]`;
      for (const e of configMapKeyErrors(k)) f!.ctx.error(f!.keyNode(k), path, invalid(path, k, e));
      if (keys.includes(k))
        f!.ctx.error(f!.keyNode(k), path, invalid(path, k, 'duplicate of key present in data'));
      const v = f!.value(k);
      if (v !== undefined && !(isScalar(v) && typeof v.value === 'string'))
        f!.ctx.error(v, path, `${path} must be a string; put it in quotes`);
      keys.push(k);
    }
  }
  top.value('immutable');
  if (name === undefined || namespace === undefined) return undefined;
  return { namespace, name, keys, pos: top.ctx.pos(meta.value('name')) };
}
