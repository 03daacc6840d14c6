/**
 * EndpointSlice manifests (discovery.k8s.io/v1) a user writes for a Service
 * without a selector: kube-proxy reads them like the controller's. Checked as
 * the API server checks them (addressType, addresses, ports), and tied to
 * their Service by the kubernetes.io/service-name label.
 */
import { isScalar } from 'yaml';
import type { Node } from 'yaml';
import type { Endpoint, EndpointPort, EndpointSlice, Protocol } from '../k8s/api-types.ts';
import { parseIPv4 } from '../net/cidr.ts';
import type { DocContext } from './context.ts';
import type { Fields } from './fields.ts';
import { asFields } from './fields.ts';
import {
  ENDPOINT_CONDITION_FIELDS,
  ENDPOINT_FIELDS,
  ENDPOINT_PORT_FIELDS,
  OBJECT_META_FIELDS,
} from './kubernetes-fields.ts';
import { dns1123LabelProblem, dns1123SubdomainProblem } from './names.ts';
import { checkName, readLabels } from './pods.ts';
import type { SourcePos } from './types.ts';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export interface EndpointSliceDraft {
  readonly slice: EndpointSlice;
  readonly pos: SourcePos;
  readonly ctx: DocContext;
  readonly labelAt?: Node;
}

function bool(f: Fields, key: string): boolean | undefined {
  const v = f.value(key);
  if (v === undefined) return undefined;
  if (isScalar(v) && typeof v.value === 'boolean') return v.value;
  f.ctx.error(v, f.p(key), `${f.p(key)} must be true or false`);
  return undefined;
}

export function readEndpointSlice(top: Fields): EndpointSliceDraft | undefined {
  const ctx = top.ctx;
  const meta = top.map(
    'metadata',
    OBJECT_META_FIELDS,
    'the EndpointSlice metadata',
    'an EndpointSlice needs metadata.name',
  );
  if (!meta) return undefined;
  if (!meta.has('name')) meta.missing('name', 'an EndpointSlice needs a metadata.name');
  const name = checkName(meta, 'name', 'EndpointSlice name', dns1123SubdomainProblem);
  const namespace = meta.has('namespace')
    ? checkName(meta, 'namespace', 'namespace name', dns1123LabelProblem)
    : 'default';
  const labels = readLabels(meta);
  if (!labels[SERVICE_NAME_LABEL])
    ctx.error(
      meta.value('labels') ?? meta.node,
      'metadata.labels',
      `an EndpointSlice names its Service with the label ${SERVICE_NAME_LABEL}: add it, or kube-proxy ignores the slice`,
    );
  const addressType = top.str('addressType', 'addressType: Required value (IPv4)');
  if (addressType !== undefined && addressType !== 'IPv4')
    ctx.error(
      top.value('addressType'),
      'addressType',
      addressType === 'IPv6' || addressType === 'FQDN'
        ? `addressType ${addressType} is not simulated yet by this version of Kubewire (IPv4 only)`
        : `addressType: Unsupported value: "${addressType}": supported values: "FQDN", "IPv4", "IPv6"`,
    );
  const endpoints: Endpoint[] = [];
  for (const item of top.list('endpoints') ?? []) {
    const f = asFields(ctx, item.node, item.path, ENDPOINT_FIELDS, 'an endpoint');
    if (!f) continue;
    const addresses: string[] = [];
    const list = f.list('addresses', `${f.p('addresses')}: Required value`) ?? [];
    if (list.length === 0 && f.has('addresses'))
      ctx.error(
        f.value('addresses'),
        f.p('addresses'),
        `${f.p('addresses')}: Required value: must contain at least 1 address`,
      );
    for (const a of list) {
      const ip =
        isScalar(a.node) && typeof a.node.value === 'string' ? parseIPv4(a.node.value) : undefined;
      if (!ip) ctx.error(a.node, a.path, `${a.path}: Invalid value: must be a valid IPv4 address`);
      else addresses.push(ip);
    }
    const c = f.map('conditions', ENDPOINT_CONDITION_FIELDS, 'conditions');
    // An unset ready condition means "unknown", which consumers treat as ready.
    const ready = (c && bool(c, 'ready')) ?? true;
    const serving = (c && bool(c, 'serving')) ?? ready;
    const terminating = (c && bool(c, 'terminating')) ?? false;
    const nodeName = f.str('nodeName');
    const hostname = f.str('hostname');
    if (addresses.length)
      endpoints.push({
        addresses,
        conditions: { ready, serving, terminating },
        ...(nodeName ? { nodeName } : {}),
        ...(hostname ? { hostname } : {}),
      });
  }
  const ports: EndpointPort[] = [];
  for (const item of top.list('ports') ?? []) {
    const f = asFields(ctx, item.node, item.path, ENDPOINT_PORT_FIELDS, 'an EndpointSlice port');
    if (!f) continue;
    const port = f.int('port', {
      min: 1,
      max: 65535,
      range: (n) => `${f.p('port')}: Invalid value: ${n}: must be between 1 and 65535, inclusive`,
    });
    const protocol = (f.str('protocol') ?? 'TCP') as Protocol;
    if (!['TCP', 'UDP', 'SCTP'].includes(protocol))
      ctx.error(
        f.value('protocol'),
        f.p('protocol'),
        `${f.p('protocol')}: Unsupported value: "${protocol}": supported values: "SCTP", "TCP", "UDP"`,
      );
    if (port !== undefined) ports.push({ name: f.str('name') ?? '', protocol, port });
  }
  if (name === undefined || namespace === undefined) return undefined;
  return {
    slice: {
      metadata: { namespace, name, labels },
      addressType: 'IPv4',
      endpoints,
      ports,
    },
    pos: ctx.pos(meta.value('name')),
    ctx,
    ...(meta.value('labels') ? { labelAt: meta.value('labels') } : {}),
  };
}
