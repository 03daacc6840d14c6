/**
 * Deployment → ReplicaSet → Pod naming (pkg/controller/deployment and
 * replicaset, v1.33).
 *
 * - The Deployment controller names its ReplicaSet "<deployment>-<pod-template-hash>".
 *   The hash is controller.ComputeHash: FNV-32a over a dump of the pod
 *   template (plus the collision count, when set, as 4 little-endian bytes),
 *   then SafeEncodeString of the decimal uint32. Kubewire hashes a stable
 *   serialisation of the template (JSON with sorted keys) instead of Go's
 *   spew dump, so the value differs from a real cluster's but has its shape:
 *   1–10 characters of "456789bcdf", e.g. 75675f5897, and changes exactly
 *   when the template does.
 * - The ReplicaSet gets the template's labels plus pod-template-hash, and its
 *   selector gains pod-template-hash too.
 * - The ReplicaSet controller creates pods with generateName "<replicaset>-",
 *   so the API server names them "<replicaset>-" + rand.String(5).
 */
import type { Rng } from '../../engine/rng';
import { generateName, safeEncodeString } from '../apiserver/names';
import type { LabelSelector } from './labels';

/** apps.DefaultDeploymentUniqueLabelKey. */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

export interface PodTemplateView {
  readonly labels: Readonly<Record<string, string>>;
  /** The rest of the template (containers, ports, …), hashed as given. */
  readonly spec?: unknown;
}

export interface DeploymentView {
  readonly namespace: string;
  readonly name: string;
  /** spec.replicas; 1 when absent. */
  readonly replicas?: number;
  readonly selector: LabelSelector;
  readonly template: PodTemplateView;
  /** status.collisionCount. */
  readonly collisionCount?: number;
}

export interface ReplicaSetView {
  readonly namespace: string;
  readonly name: string;
  readonly replicas: number;
  readonly podTemplateHash: string;
  readonly selector: LabelSelector;
  /** The pods' labels: the template's plus pod-template-hash. */
  readonly templateLabels: Readonly<Record<string, string>>;
  readonly ownerDeployment: string;
}

export interface PodName {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ownerReplicaSet: string;
}

/** JSON with object keys sorted, so equal templates serialise equally. */
function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableStringify(x)}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** FNV-1a, 32-bit, over bytes (hash/fnv New32a). */
export function fnv32a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * controller.ComputeHash with Kubewire's template serialisation: the
 * pod-template-hash label value.
 */
export function computeHash(template: PodTemplateView, collisionCount?: number): string {
  const text = new TextEncoder().encode(stableStringify(template));
  let bytes = text;
  if (collisionCount !== undefined) {
    bytes = new Uint8Array(text.length + 4);
    bytes.set(text);
    new DataView(bytes.buffer).setUint32(text.length, collisionCount >>> 0, true);
  }
  return safeEncodeString(String(fnv32a(bytes)));
}

/** The ReplicaSet the Deployment controller creates for the current template. */
export function replicaSetFor(d: DeploymentView): ReplicaSetView {
  const hash = computeHash(d.template, d.collisionCount);
  return {
    namespace: d.namespace,
    name: `${d.name}-${hash}`,
    replicas: d.replicas ?? 1,
    podTemplateHash: hash,
    selector: {
      ...d.selector,
      matchLabels: { ...(d.selector.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash },
    },
    templateLabels: { ...d.template.labels, [POD_TEMPLATE_HASH_LABEL]: hash },
    ownerDeployment: d.name,
  };
}

/** The pods the ReplicaSet controller creates: `replicas` generated names "<rs>-xxxxx". */
export function podsFor(rs: ReplicaSetView, rng: Rng, count = rs.replicas): PodName[] {
  const pods: PodName[] = [];
  const taken = new Set<string>();
  while (pods.length < count) {
    const name = generateName(rng, `${rs.name}-`);
    // The API server refuses a name that exists and the controller retries.
    if (taken.has(name)) continue;
    taken.add(name);
    pods.push({
      namespace: rs.namespace,
      name,
      labels: rs.templateLabels,
      ownerReplicaSet: rs.name,
    });
  }
  return pods;
}
