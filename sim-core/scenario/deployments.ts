/**
 * Deployment manifests (apps/v1), validated as the API server validates them
 * (ValidateDeployment: a selector is required and must select the template's
 * labels). The Deployment controller's ReplicaSet and the ReplicaSet
 * controller's pods are made in load.ts once the cluster's seed is known.
 */
import type { Node } from 'yaml';
import { readPodDns, type PodDns } from './pod-dns.ts';
import type { ContainerSpec, SourcePos } from './types.ts';
import type { DocContext } from './context.ts';
import type { Fields } from './fields.ts';
import {
  DAEMON_SET_SPEC_FIELDS,
  DEPLOYMENT_SPEC_FIELDS,
  LABEL_SELECTOR_FIELDS,
  REPLICA_SET_SPEC_FIELDS,
  STATEFUL_SET_SPEC_FIELDS,
  OBJECT_META_FIELDS,
  POD_SPEC_FIELDS,
  POD_TEMPLATE_FIELDS,
} from './kubernetes-fields.ts';
import { dns1123LabelProblem, dns1123SubdomainProblem } from './names.ts';
import { checkName, readContainers, readGracePeriod, readLabelMap, readLabels } from './pods.ts';

/** The pod controllers Kubewire reads: each makes its pods its own way (api-objects.ts). */
export type WorkloadKind = 'Deployment' | 'ReplicaSet' | 'StatefulSet' | 'DaemonSet';

const SPEC_FIELDS: Readonly<Record<WorkloadKind, readonly string[]>> = {
  Deployment: DEPLOYMENT_SPEC_FIELDS,
  ReplicaSet: REPLICA_SET_SPEC_FIELDS,
  StatefulSet: STATEFUL_SET_SPEC_FIELDS,
  DaemonSet: DAEMON_SET_SPEC_FIELDS,
};

/** ValidateXSpec's words for an empty selector (a ReplicaSet's says "deployment", as upstream). */
const EMPTY_SELECTOR: Readonly<Record<WorkloadKind, string>> = {
  Deployment: 'deployment',
  ReplicaSet: 'deployment',
  StatefulSet: 'statefulset',
  DaemonSet: 'daemonset',
};

export interface DeploymentDraft {
  readonly kind: WorkloadKind;
  /** A StatefulSet's spec.serviceName: its pods' subdomain. */
  readonly serviceName?: string;
  readonly namespace: string;
  readonly name: string;
  readonly replicas: number;
  /** spec.replicas' value, when written: where the pod limit points. */
  readonly replicasAt?: Node;
  readonly selector: Readonly<Record<string, string>>;
  readonly templateLabels: Readonly<Record<string, string>>;
  readonly containers: readonly ContainerSpec[];
  /** The template's dnsPolicy and dnsConfig, given to every pod. */
  readonly dns: PodDns;
  readonly terminationGracePeriodSeconds?: number;
  readonly nodeName?: string;
  readonly nodeNameAt?: Node;
  readonly pos: SourcePos;
  readonly nameAt: Node;
  readonly ctx: DocContext;
}

/** Go's %#v of a map[string]string, as the API server's field errors print it. */
export function goStringMap(m: Readonly<Record<string, string>>): string {
  const items = Object.keys(m)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${JSON.stringify(m[k])}`);
  return `map[string]string{${items.join(', ')}}`;
}

export function readDeployment(top: Fields): DeploymentDraft | undefined {
  return readWorkload(top, 'Deployment');
}

/** A Deployment, ReplicaSet, StatefulSet or DaemonSet (apps/v1): the same pod template and selector rules. */
export function readWorkload(top: Fields, kind: WorkloadKind): DeploymentDraft | undefined {
  const ctx = top.ctx;
  const meta = top.map(
    'metadata',
    OBJECT_META_FIELDS,
    `the ${kind} metadata`,
    `a ${kind} needs metadata.name`,
  );
  if (!meta) return undefined;
  if (!meta.has('name')) meta.missing('name', `a ${kind} needs a metadata.name`);
  const name = checkName(
    meta,
    'name',
    `${kind.toLowerCase()} name`,
    // A StatefulSet's pods are named <name>-<ordinal> and use it as their hostname: a DNS label.
    kind === 'StatefulSet' ? dns1123LabelProblem : dns1123SubdomainProblem,
  );
  const namespace = meta.has('namespace')
    ? checkName(meta, 'namespace', 'namespace name', dns1123LabelProblem)
    : 'default';
  const spec = top.map(
    'spec',
    SPEC_FIELDS[kind],
    `the ${kind} spec`,
    `a ${kind} needs a spec with a selector and a pod template`,
  );
  if (!spec) return undefined;
  const replicas =
    kind === 'DaemonSet'
      ? 0
      : spec.has('replicas')
        ? spec.int('replicas', {
            min: 0,
            max: 10_000,
            range: (n) =>
              n < 0
                ? `spec.replicas: Invalid value: ${n}: must be greater than or equal to 0`
                : `spec.replicas: Invalid value: ${n}: Kubewire simulates at most 10000 replicas`,
          })
        : 1;
  const sel = spec.map(
    'selector',
    LABEL_SELECTOR_FIELDS,
    'the selector',
    'spec.selector: Required value',
  );
  if (sel?.has('matchExpressions'))
    ctx.error(
      sel.value('matchExpressions'),
      sel.p('matchExpressions'),
      'matchExpressions is not simulated yet by this version of Kubewire; use matchLabels',
    );
  const selector = readLabelMap(sel?.map('matchLabels', 'any', 'matchLabels'));
  if (sel && Object.keys(selector).length === 0 && !sel.has('matchExpressions'))
    sel.missing(
      'matchLabels',
      `spec.selector: Invalid value: "null": empty selector is invalid for ${EMPTY_SELECTOR[kind]}`,
    );
  const template = spec.map(
    'template',
    POD_TEMPLATE_FIELDS,
    'the pod template',
    'spec.template: Required value',
  );
  const tmeta = template?.map('metadata', OBJECT_META_FIELDS, 'the pod template metadata');
  const templateLabels = tmeta ? readLabels(tmeta) : {};
  const tspec = template?.map(
    'spec',
    POD_SPEC_FIELDS,
    'the pod template spec',
    'spec.template.spec: Required value',
  );
  const grace = tspec && readGracePeriod(tspec);
  const containers = tspec ? readContainers(tspec, grace) : [];
  const dns = tspec ? readPodDns(tspec) : {};
  const nodeName = tspec?.str('nodeName');
  const serviceName =
    kind === 'StatefulSet'
      ? checkName(spec, 'serviceName', 'serviceName', dns1123LabelProblem)
      : undefined;
  if (sel && template) {
    const selects = Object.entries(selector).every(([k, v]) => templateLabels[k] === v);
    if (!selects)
      ctx.error(
        tmeta?.value('labels') ?? template.node,
        'spec.template.metadata.labels',
        `spec.template.metadata.labels: Invalid value: ${goStringMap(templateLabels)}: \`selector\` does not match template \`labels\``,
      );
  }
  if (name === undefined || namespace === undefined || replicas === undefined) return undefined;
  return {
    kind,
    ...(serviceName !== undefined ? { serviceName } : {}),
    namespace,
    name,
    replicas,
    ...(spec.has('replicas') ? { replicasAt: spec.value('replicas') } : {}),
    selector,
    templateLabels,
    containers,
    dns,
    ...(grace !== undefined ? { terminationGracePeriodSeconds: grace } : {}),
    ...(nodeName !== undefined ? { nodeName, nodeNameAt: tspec!.value('nodeName') } : {}),
    pos: ctx.pos(meta.value('name')),
    nameAt: meta.value('name')!,
    ctx,
  };
}
