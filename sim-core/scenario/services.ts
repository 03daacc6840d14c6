/**
 * Service manifests (v1), read the way the API server validates them
 * (pkg/apis/core/validation ValidateService), keeping what kube-proxy, the
 * EndpointSlice controller and CoreDNS read. Field errors are worded as the
 * API server words them (`spec.ports[0].port: Invalid value: 0: must be
 * between 1 and 65535, inclusive`), at the offending value. Addresses and
 * node ports are allocated later, in file order, by the API server's allocators.
 */
import { isScalar } from 'yaml';
import type { Node } from 'yaml';
import type {
  Protocol,
  Service,
  ServicePort,
  ServiceType,
  TrafficPolicy,
} from '../k8s/api-types.ts';
import { parseCidr, parseIPv4 } from '../net/cidr.ts';
import type { DocContext } from './context.ts';
import type { Fields } from './fields.ts';
import { asFields } from './fields.ts';
import {
  OBJECT_META_FIELDS,
  SERVICE_PORT_FIELDS,
  SERVICE_SPEC_FIELDS,
} from './kubernetes-fields.ts';
import { dns1123LabelProblem, portNameProblem } from './names.ts';
import { checkName, readLabelMap, readLabels } from './pods.ts';
import type { SourcePos } from './types.ts';

const TYPES: readonly ServiceType[] = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS: readonly Protocol[] = ['SCTP', 'TCP', 'UDP'];
const POLICIES: readonly TrafficPolicy[] = ['Cluster', 'Local'];
const AFFINITIES = ['ClientIP', 'None'] as const;
/** 3 hours: v1.DefaultClientIPServiceAffinitySeconds. */
export const DEFAULT_AFFINITY_SECONDS = 10800;

/** A Service as written, with the nodes its allocations are reported at. */
export interface ServiceDraft {
  readonly service: Service;
  readonly pos: SourcePos;
  readonly ctx: DocContext;
  /** spec.clusterIP's value, where an allocation error about it points. */
  readonly clusterIPAt?: Node;
  /** Each port's nodePort value, by port index. */
  readonly nodePortAt: readonly (Node | undefined)[];
  readonly nameAt: Node;
}

/** `Unsupported value: "Foo": supported values: "ClusterIP", …`, as field.NotSupported prints it. */
function notSupported(f: Fields, key: string, value: string, values: readonly string[]): void {
  const list = values.map((v) => `"${v}"`).join(', ');
  f.ctx.error(
    f.value(key),
    f.p(key),
    `${f.p(key)}: Unsupported value: "${value}": supported values: ${list}`,
  );
}

function enumField<T extends string>(f: Fields, key: string, values: readonly T[], fallback: T): T {
  const s = f.str(key);
  if (s === undefined) return fallback;
  if (!(values as readonly string[]).includes(s)) {
    notSupported(f, key, s, values);
    return fallback;
  }
  return s as T;
}

function boolField(f: Fields, key: string): boolean | undefined {
  const v = f.value(key);
  if (v === undefined) return undefined;
  if (isScalar(v) && typeof v.value === 'boolean') return v.value;
  f.ctx.error(v, f.p(key), `${f.p(key)} must be true or false`);
  return undefined;
}

function portNumber(f: Fields, key: string): number | undefined {
  return f.int(key, {
    min: 1,
    max: 65535,
    range: (n) => `${f.p(key)}: Invalid value: ${n}: must be between 1 and 65535, inclusive`,
  });
}

function readStringList(
  f: Fields,
  key: string,
  check?: (s: string) => string | undefined,
): string[] {
  const out: string[] = [];
  for (const item of f.list(key) ?? []) {
    const n = item.node;
    if (!isScalar(n) || typeof n.value !== 'string') {
      f.ctx.error(n, item.path, `${item.path} must be a string`);
      continue;
    }
    const problem = check?.(n.value);
    if (problem) f.ctx.error(n, item.path, `${item.path}: Invalid value: "${n.value}": ${problem}`);
    else out.push(n.value);
  }
  return out;
}

const ipProblem = (s: string) => (parseIPv4(s) ? undefined : 'must be a valid IP address');
const cidrProblem = (s: string) => {
  const c = parseCidr(s);
  return c.ok ? undefined : c.message;
};

function readPorts(
  spec: Fields,
  type: ServiceType,
): { ports: ServicePort[]; at: (Node | undefined)[] } {
  const ports: ServicePort[] = [];
  const at: (Node | undefined)[] = [];
  const items = spec.list('ports');
  if (!items || items.length === 0) {
    if (type !== 'ExternalName') spec.missing('ports', 'spec.ports: Required value');
    return { ports, at };
  }
  const names = new Map<string, number>();
  for (const [i, item] of items.entries()) {
    const f = asFields(spec.ctx, item.node, item.path, SERVICE_PORT_FIELDS, 'a Service port');
    if (!f) continue;
    const name = f.has('name') ? checkName(f, 'name', 'port name', dns1123LabelProblem) : undefined;
    if (items.length > 1 && !f.has('name'))
      f.missing('name', `${f.p('name')}: Required value (a Service with several ports names each)`);
    if (name !== undefined) {
      const first = names.get(name);
      if (first !== undefined)
        f.ctx.error(f.value('name'), f.p('name'), `${f.p('name')}: Duplicate value: "${name}"`);
      else names.set(name, i);
    }
    const port = f.has('port') ? portNumber(f, 'port') : undefined;
    if (!f.has('port')) f.missing('port', `${f.p('port')}: Required value`);
    const protocol = enumField(f, 'protocol', PROTOCOLS, 'TCP');
    let targetPort: number | string | undefined = port;
    const tv = f.value('targetPort');
    if (tv !== undefined) {
      if (isScalar(tv) && typeof tv.value === 'number') targetPort = portNumber(f, 'targetPort');
      else if (isScalar(tv) && typeof tv.value === 'string') {
        const problem = portNameProblem(tv.value);
        if (problem)
          f.ctx.error(
            tv,
            f.p('targetPort'),
            `${f.p('targetPort')}: Invalid value: "${tv.value}": ${problem}`,
          );
        else targetPort = tv.value;
      } else
        f.ctx.error(
          tv,
          f.p('targetPort'),
          `${f.p('targetPort')} must be a port number or a port name`,
        );
    }
    let nodePort: number | undefined;
    if (f.has('nodePort')) {
      if (type !== 'NodePort' && type !== 'LoadBalancer')
        f.ctx.error(
          f.value('nodePort'),
          f.p('nodePort'),
          `${f.p('nodePort')}: Forbidden: may not be used when \`type\` is '${type}'`,
        );
      else nodePort = f.int('nodePort', { min: 0, max: 65535 });
    }
    if (port === undefined || targetPort === undefined) continue;
    ports.push({
      ...(name !== undefined ? { name } : {}),
      protocol,
      port,
      targetPort,
      ...(nodePort ? { nodePort } : {}),
    });
    at.push(f.value('nodePort'));
  }
  return { ports, at };
}

export function readService(top: Fields): ServiceDraft | undefined {
  const ctx = top.ctx;
  const meta = top.map(
    'metadata',
    OBJECT_META_FIELDS,
    'the Service metadata',
    'a Service needs metadata.name',
  );
  if (!meta) return undefined;
  if (!meta.has('name')) meta.missing('name', 'a Service needs a metadata.name');
  const name = checkName(meta, 'name', 'service name', dns1123LabelProblem);
  const namespace = meta.has('namespace')
    ? checkName(meta, 'namespace', 'namespace name', dns1123LabelProblem)
    : 'default';
  const labels = readLabels(meta);
  const spec = top.map(
    'spec',
    SERVICE_SPEC_FIELDS,
    'the Service spec',
    'a Service needs a spec with its ports',
  );
  if (!spec || name === undefined || namespace === undefined) return undefined;

  const type = enumField(spec, 'type', TYPES, 'ClusterIP');
  const sel = spec.map('selector', 'any', 'the selector');
  const selector = sel ? readLabelMap(sel) : undefined;
  const { ports, at } = readPorts(spec, type);

  let clusterIP: string | undefined = spec.str('clusterIP');
  if (clusterIP === '') clusterIP = undefined;
  if (clusterIP !== undefined && clusterIP !== 'None' && !parseIPv4(clusterIP)) {
    ctx.error(
      spec.value('clusterIP'),
      spec.p('clusterIP'),
      `spec.clusterIPs[0]: Invalid value: "${clusterIP}": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)`,
    );
    clusterIP = undefined;
  }
  if (clusterIP === 'None' && type !== 'ClusterIP')
    ctx.error(
      spec.value('clusterIP'),
      spec.p('clusterIP'),
      `spec.clusterIPs[0]: Invalid value: "None": may only be set to 'None' for ClusterIP services`,
    );
  const externalName = spec.str('externalName');
  if (type === 'ExternalName' && !externalName)
    spec.missing('externalName', 'spec.externalName: Required value');

  const etpAt = spec.has('externalTrafficPolicy');
  const externalTrafficPolicy = enumField(spec, 'externalTrafficPolicy', POLICIES, 'Cluster');
  if (etpAt && type !== 'NodePort' && type !== 'LoadBalancer')
    ctx.error(
      spec.value('externalTrafficPolicy'),
      spec.p('externalTrafficPolicy'),
      'spec.externalTrafficPolicy: Invalid value: may only be set for NodePort and LoadBalancer services',
    );
  const internalTrafficPolicy = enumField(spec, 'internalTrafficPolicy', POLICIES, 'Cluster');
  const sessionAffinity = enumField(spec, 'sessionAffinity', AFFINITIES, 'None');
  let timeout: number | undefined;
  const sac = spec.map('sessionAffinityConfig', ['clientIP'], 'sessionAffinityConfig');
  const cip = sac?.map('clientIP', ['timeoutSeconds'], 'sessionAffinityConfig.clientIP');
  if (cip?.has('timeoutSeconds'))
    timeout = cip.int('timeoutSeconds', {
      min: 1,
      max: 86400,
      range: (n) =>
        `spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: ${n}: must be greater than 0 and less than 86400`,
    });
  const externalIPs = readStringList(spec, 'externalIPs', ipProblem);
  const sourceRanges = readStringList(spec, 'loadBalancerSourceRanges', cidrProblem);
  boolField(spec, 'publishNotReadyAddresses');

  const ingress: string[] = [];
  const status = top.map('status', ['loadBalancer', 'conditions'], 'the Service status');
  const lb = status?.map('loadBalancer', ['ingress'], 'status.loadBalancer');
  for (const item of lb?.list('ingress') ?? []) {
    const f = asFields(
      ctx,
      item.node,
      item.path,
      ['ip', 'hostname', 'ipMode', 'ports'],
      'an ingress point',
    );
    const ip = f?.str('ip');
    if (ip && !parseIPv4(ip))
      ctx.error(
        f!.value('ip'),
        f!.p('ip'),
        `${f!.p('ip')}: Invalid value: "${ip}": must be a valid IP address`,
      );
    else if (ip) ingress.push(ip);
  }

  const service: Service = {
    metadata: { namespace, name, ...(Object.keys(labels).length ? { labels } : {}) },
    spec: {
      type,
      ...(selector !== undefined ? { selector } : {}),
      ports,
      ...(clusterIP !== undefined ? { clusterIP } : {}),
      ...(externalIPs.length ? { externalIPs } : {}),
      ...(sourceRanges.length ? { loadBalancerSourceRanges: sourceRanges } : {}),
      ...(externalName ? { externalName } : {}),
      sessionAffinity,
      ...(sessionAffinity === 'ClientIP'
        ? { sessionAffinityTimeoutSeconds: timeout ?? DEFAULT_AFFINITY_SECONDS }
        : {}),
      externalTrafficPolicy,
      internalTrafficPolicy,
    },
    ...(ingress.length ? { loadBalancerIngress: ingress } : {}),
  };
  return {
    service,
    pos: ctx.pos(meta.value('name')),
    ctx,
    ...(spec.value('clusterIP') ? { clusterIPAt: spec.value('clusterIP') } : {}),
    nodePortAt: at,
    nameAt: meta.value('name')!,
  };
}
