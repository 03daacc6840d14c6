/**
 * Namespace and Pod manifests, read the way the API server validates them,
 * but keeping only what the network model needs: names, labels, placement,
 * hostname/subdomain (for DNS), and each container's ports.
 */
import { isScalar } from 'yaml';
import type { Node } from 'yaml';
import type { DocContext } from './context.ts';
import { asFields } from './fields.ts';
import type { Fields } from './fields.ts';
import {
  CONTAINER_FIELDS,
  CONTAINER_PORT_FIELDS,
  LIFECYCLE_FIELDS,
  LIFECYCLE_HANDLER_FIELDS,
  OBJECT_META_FIELDS,
  POD_SPEC_FIELDS,
} from './kubernetes-fields.ts';
import {
  dns1123LabelProblem,
  dns1123SubdomainProblem,
  labelKeyProblem,
  labelValueProblem,
  portNameProblem,
} from './names.ts';
import { readPodDns } from './pod-dns.ts';
import { DEFAULT_GRACE_PERIOD_SECONDS } from './types.ts';
import type {
  ContainerPort,
  ContainerSpec,
  DnsPolicy,
  PodDnsConfig,
  PreStopHook,
  SourcePos,
} from './types.ts';

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;

export interface NamespaceDraft {
  readonly name: string;
  readonly pos: SourcePos;
  readonly at: Node | undefined;
  readonly ctx: DocContext;
}

/** A pod as written; placement (nodeName) is decided once all documents are read. */
export interface PodDraft {
  readonly namespace: string;
  readonly name: string;
  readonly nodeName?: string;
  readonly nodeNameAt?: Node;
  readonly labels: Readonly<Record<string, string>>;
  readonly hostname?: string;
  readonly subdomain?: string;
  readonly dnsPolicy?: DnsPolicy;
  readonly dnsConfig?: PodDnsConfig;
  readonly containers: readonly ContainerSpec[];
  /** spec.terminationGracePeriodSeconds, when written. */
  readonly terminationGracePeriodSeconds?: number;
  readonly pos: SourcePos;
  readonly nameAt?: Node;
  /** False if the manifest had errors: the pod still exists for references. */
  readonly complete: boolean;
  readonly ctx: DocContext;
}

/** Check a name against a rule and report it at the field's value; true when valid. */
export function checkName(
  f: Fields,
  key: string,
  what: string,
  problem: (s: string) => string | undefined,
): string | undefined {
  const s = f.str(key);
  if (s === undefined) return undefined;
  const why = problem(s);
  if (why) {
    f.ctx.error(f.value(key), f.p(key), `${what} '${s}' ${why}`);
    return undefined;
  }
  return s;
}

/** The field's value if it is a string at all, valid or not. */
function rawString(f: Fields, key: string): string | undefined {
  const v = f.value(key);
  return isScalar(v) && typeof v.value === 'string' ? v.value : undefined;
}

export function readNamespace(top: Fields): NamespaceDraft | undefined {
  const meta = top.map(
    'metadata',
    OBJECT_META_FIELDS,
    'the Namespace metadata',
    'a Namespace needs metadata.name',
  );
  if (!meta) return undefined;
  if (!meta.has('name')) meta.missing('name', 'a Namespace needs a metadata.name');
  const name = checkName(meta, 'name', 'namespace name', dns1123LabelProblem);
  if (name === undefined) return undefined;
  return { name, pos: top.ctx.pos(meta.value('name')), at: meta.value('name'), ctx: top.ctx };
}

export function readLabels(meta: Fields): Record<string, string> {
  return readLabelMap(meta.map('labels', 'any', 'labels'));
}

/** A map of label keys to values (labels, a selector's matchLabels), checked as labels are. */
export function readLabelMap(f: Fields | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const key of f?.keys() ?? []) {
    const value = f!.str(key) ?? (f!.has(key) ? undefined : '');
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) f!.ctx.error(f!.keyNode(key), f!.p(key), `label key '${key}' ${keyProblem}`);
    if (value === undefined) continue;
    const valueProblem = labelValueProblem(value);
    if (valueProblem)
      f!.ctx.error(f!.value(key), f!.p(key), `label value '${value}' ${valueProblem}`);
    else if (!keyProblem) labels[key] = value;
  }
  return labels;
}

export function readPod(top: Fields): PodDraft | undefined {
  const ctx = top.ctx;
  const before = ctx.reporter.errors.length;
  const meta = top.map(
    'metadata',
    OBJECT_META_FIELDS,
    'the Pod metadata',
    'a Pod needs metadata.name',
  );
  if (meta && !meta.has('name')) meta.missing('name', 'a Pod needs a metadata.name');
  const name = meta && checkName(meta, 'name', 'pod name', dns1123SubdomainProblem);
  const namespace = meta?.has('namespace')
    ? checkName(meta, 'namespace', 'namespace name', dns1123LabelProblem)
    : 'default';
  const labels = meta ? readLabels(meta) : {};

  const spec = top.map(
    'spec',
    POD_SPEC_FIELDS,
    'the Pod spec',
    'a Pod needs a spec with its containers',
  );
  const nodeName = spec?.str('nodeName');
  const hostname = spec && checkName(spec, 'hostname', 'hostname', dns1123LabelProblem);
  const subdomain = spec && checkName(spec, 'subdomain', 'subdomain', dns1123LabelProblem);
  const grace = spec && readGracePeriod(spec);
  const containers = spec ? readContainers(spec, grace) : [];
  const dns = spec ? readPodDns(spec) : {};

  // A pod whose name is invalid still exists for actions that name it, so
  // one bad name is one error, not one more per action mentioning the pod.
  const anyName = name ?? (meta && rawString(meta, 'name'));
  const anyNamespace = namespace ?? (meta && rawString(meta, 'namespace'));
  if (anyName === undefined || anyNamespace === undefined) return undefined;
  return {
    namespace: anyNamespace,
    name: anyName,
    ...(nodeName !== undefined ? { nodeName, nodeNameAt: spec!.value('nodeName') } : {}),
    labels,
    ...(hostname !== undefined ? { hostname } : {}),
    ...(subdomain !== undefined ? { subdomain } : {}),
    ...dns,
    containers,
    ...(grace !== undefined ? { terminationGracePeriodSeconds: grace } : {}),
    pos: ctx.pos(meta!.value('name')),
    nameAt: meta!.value('name'),
    complete: ctx.reporter.errors.length === before,
    ctx,
  };
}

/**
 * spec.terminationGracePeriodSeconds: a non-negative number of seconds
 * (ValidateNonnegativeField). Kubewire caps it at an hour: past that a trace
 * only waits longer.
 */
export function readGracePeriod(spec: Fields): number | undefined {
  if (!spec.has('terminationGracePeriodSeconds')) return undefined;
  return spec.int('terminationGracePeriodSeconds', {
    min: 0,
    max: MAX_GRACE_PERIOD_SECONDS,
    range: (n) =>
      n < 0
        ? `spec.terminationGracePeriodSeconds: Invalid value: ${n}: must be greater than or equal to 0`
        : `terminationGracePeriodSeconds is at most ${MAX_GRACE_PERIOD_SECONDS} in Kubewire, not ${n}`,
  });
}
const MAX_GRACE_PERIOD_SECONDS = 3600;

/**
 * A container's lifecycle.preStop, validated as the API server validates a
 * LifecycleHandler (exactly one handler; sleep.seconds within 0 and the
 * grace period, validateSleepAction with PodLifecycleSleepActionAllowZero).
 * httpGet and tcpSocket are real but not simulated, and refused as such.
 */
function readPreStop(container: Fields, grace: number): PreStopHook | undefined {
  const lifecycle = container.map('lifecycle', LIFECYCLE_FIELDS, 'lifecycle');
  const hook = lifecycle?.map('preStop', LIFECYCLE_HANDLER_FIELDS, 'a preStop hook');
  if (!hook) return undefined;
  const kinds = hook.keys();
  const path = lifecycle!.p('preStop');
  if (kinds.length !== 1) {
    const msg =
      kinds.length === 0
        ? `${path}: Required value: must specify a handler type`
        : `${hook.p(kinds[1])}: Forbidden: may not specify more than 1 handler type`;
    const at = kinds.length === 0 ? lifecycle!.value('preStop') : hook.keyNode(kinds[1]);
    container.ctx.error(at ?? null, path, msg);
    return undefined;
  }
  const kind = kinds[0];
  if (kind === 'httpGet' || kind === 'tcpSocket') {
    container.ctx.error(
      hook.keyNode(kind),
      hook.p(kind),
      `preStop ${kind} is not simulated by Kubewire; use sleep: {seconds: N} or exec: {command: [sleep, "N"]}`,
    );
    return undefined;
  }
  if (kind === 'sleep') {
    const sleep = hook.map('sleep', ['seconds'], 'a sleep action');
    if (!sleep) return undefined;
    const seconds = sleep.int('seconds', {}, `${sleep.p('seconds')}: Required value`);
    if (seconds === undefined) return undefined;
    if (seconds < 0 || seconds > grace) {
      const msg = `${hook.p('sleep')}: Invalid value: ${seconds}: must be non-negative and less than terminationGracePeriodSeconds (${grace})`;
      container.ctx.error(sleep.value('seconds'), sleep.p('seconds'), msg);
      return undefined;
    }
    return { kind: 'sleep', seconds };
  }
  const exec = hook.map('exec', ['command'], 'an exec action');
  if (!exec) return undefined;
  const items = exec.list('command', `${exec.p('command')}: Required value`);
  if (!items) return undefined;
  const command = items.map((i) => (isScalar(i.node) ? String(i.node.value) : ''));
  if (command.length === 0) {
    container.ctx.error(
      exec.value('command'),
      exec.p('command'),
      `${exec.p('command')}: Required value`,
    );
    return undefined;
  }
  return { kind: 'exec', seconds: execSeconds(command), command };
}

/** How long an exec preStop takes: `sleep N` itself or under `sh -c`, else no time. */
export function execSeconds(command: readonly string[]): number {
  const words =
    command.length === 3 && /(^|\/)(ba|da)?sh$/.test(command[0]) && command[1] === '-c'
      ? command[2].trim().split(/\s+/)
      : command;
  const sleep = /(^|\/)sleep$/.test(words[0] ?? '') && words.length === 2 ? words[1] : undefined;
  const n = sleep !== undefined && /^\d+(\.\d+)?s?$/.test(sleep) ? parseFloat(sleep) : 0;
  return Number.isFinite(n) ? n : 0;
}

export function readContainers(
  spec: Fields,
  grace = DEFAULT_GRACE_PERIOD_SECONDS,
): ContainerSpec[] {
  const items = spec.list('containers', 'a Pod needs at least one container (spec.containers)');
  if (!items) return [];
  if (items.length === 0) {
    spec.ctx.error(
      spec.value('containers'),
      spec.p('containers'),
      'a Pod needs at least one container',
    );
  }
  const seen = new Map<string, number>();
  const containers: ContainerSpec[] = [];
  for (const [i, item] of items.entries()) {
    const f = asFields(spec.ctx, item.node, item.path, CONTAINER_FIELDS, 'a container');
    if (!f) continue;
    if (!f.has('name')) f.missing('name', `container ${i} needs a name`);
    const name = checkName(f, 'name', 'container name', dns1123LabelProblem);
    const image = f.str('image', `container ${name ?? i} needs an image, like nginx:1.27`);
    if (name !== undefined && seen.has(name)) {
      const msg = `container name ${name} is used twice in this Pod (first: containers[${seen.get(name)}])`;
      f.ctx.error(f.value('name'), f.p('name'), msg);
    } else if (name !== undefined) {
      seen.set(name, i);
    }
    const ports = readPorts(f);
    const args = f.has('args')
      ? f.list('args')?.flatMap((a) => (isScalar(a.node) ? [String(a.node.value)] : []))
      : undefined;
    const preStop = readPreStop(f, grace);
    if (name !== undefined)
      containers.push({
        name,
        image: image ?? '',
        ports,
        ...(args ? { args } : {}),
        ...(preStop ? { preStop } : {}),
      });
  }
  return containers;
}

function readPorts(container: Fields): ContainerPort[] {
  const ports: ContainerPort[] = [];
  for (const item of container.list('ports') ?? []) {
    const f = asFields(
      container.ctx,
      item.node,
      item.path,
      CONTAINER_PORT_FIELDS,
      'a container port',
    );
    if (!f) continue;
    const containerPort = f.int(
      'containerPort',
      { min: 1, max: 65535, range: (n) => `containerPort must be between 1 and 65535, not ${n}` },
      'a port needs a containerPort (1..65535)',
    );
    const protocol = f.has('protocol') ? f.oneOf('protocol', PROTOCOLS, 'protocol') : 'TCP';
    const name = checkName(f, 'name', 'port name', portNameProblem);
    if (containerPort === undefined || protocol === undefined) continue;
    ports.push({ containerPort, protocol, ...(name !== undefined ? { name } : {}) });
  }
  return ports;
}
