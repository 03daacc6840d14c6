/**
 * How big a scenario may be. Each limit is far above what a course needs
 * (the built-ins have at most 17 pods and 40 actions) and below what the
 * app can still simulate and show: the file, the nodes, the pods (in all and
 * on one node), the Services, the actions, the echo requests the ping
 * actions send, and the steps of the trace. A file over a limit is refused
 * with the limit, the count, and the line and column of the field that
 * pushed it over; the step limit, which only the simulation can know, is
 * reported at the action that was playing (simulation.ts).
 */
import type { DeploymentDraft } from './deployments.ts';
import type { PodDraft } from './pods.ts';
import type { ServiceDraft } from './services.ts';
import type { Diagnostic, LoadedScenario, SourcePos } from './types.ts';

export const SCENARIO_LIMITS = {
  /** Bytes of UTF-8 (the CLI and the app read no more; a 10,000-pod file is about 1.6 MiB). */
  fileBytes: 16 * 2 ** 20,
  /** Issue 10 measured 2,048 nodes; a flannel cluster holds a route per other node on every node. */
  nodes: 2_500,
  /** Pods in all, written or made by Deployments (and the add-ons' pods). */
  pods: 10_000,
  /** On one node (its podCIDR bounds it first unless nodeCIDRMaskSize is 19 or less). */
  podsPerNode: 5_000,
  /** Services written in the file (the bench's cluster has 2,000). */
  services: 5_000,
  actions: 1_000,
  /** Echo requests of all ping actions together: each ping's count, added up. */
  pings: 10_000,
  /** Steps in the trace: about 3 KiB each in memory. */
  steps: 500_000,
} as const;

export type ScenarioLimit = keyof typeof SCENARIO_LIMITS;

const n = (x: number) => x.toLocaleString('en-US');

const over = (what: string, count: string, limit: ScenarioLimit) =>
  `${what}: ${count}, over Kubewire's limit of ${n(SCENARIO_LIMITS[limit])} for a scenario`;

/** UTF-8 length of the code unit at i (a surrogate pair counts 4 at its first half, 0 at its second). */
function utf8Length(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 0x80) return 1;
  if (c < 0x800) return 2;
  if (c >= 0xd800 && c < 0xdc00) return 4;
  if (c >= 0xdc00 && c < 0xe000) return 0;
  return 3;
}

/**
 * The file-size error, at the line and column of the first byte past the
 * limit, or undefined when the file fits. Reads no further than it must.
 */
export function fileTooLarge(text: string): Diagnostic | undefined {
  const limit = SCENARIO_LIMITS.fileBytes;
  // Every code unit is 1–3 bytes (a surrogate pair 4 for two): only a long text can be over.
  if (text.length * 3 <= limit) return undefined;
  let bytes = 0;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    bytes += utf8Length(text, i);
    if (bytes > limit) {
      let total = bytes;
      for (let j = i + 1; j < text.length; j++) total += utf8Length(text, j);
      return {
        line,
        column: i - lineStart + 1,
        message: `the file is too large: ${n(total)} bytes, over Kubewire's limit of ${n(limit)} bytes (16 MiB) for a scenario`,
      };
    }
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return undefined;
}

/**
 * Pods in all, counted before the ReplicaSet controller makes any: the pod
 * or the `replicas:` that passes the limit gets the error, and only the
 * Deployments before it are expanded (a file of 16 MiB could otherwise ask
 * for a billion pods). Returns the Deployments to expand.
 */
export function limitPods(
  addonPods: number,
  written: readonly PodDraft[],
  deployments: readonly DeploymentDraft[],
): readonly DeploymentDraft[] {
  const limit = SCENARIO_LIMITS.pods;
  const total = addonPods + written.length + deployments.reduce((s, d) => s + d.replicas, 0);
  if (total <= limit) return deployments;
  const message = over('too many pods', n(total), 'pods');
  if (addonPods + written.length > limit) {
    const pod = written[limit - addonPods];
    pod.ctx.error(pod.nameAt, 'metadata.name', `${message} (pod ${n(limit + 1)} is this one)`);
    return [];
  }
  let count = addonPods + written.length;
  for (const [i, d] of deployments.entries()) {
    count += d.replicas;
    if (count > limit) {
      d.ctx.error(
        d.replicasAt ?? d.nameAt,
        'spec.replicas',
        `${message} (pod ${n(limit + 1)} is one of these replicas)`,
      );
      return deployments.slice(0, i);
    }
  }
  return deployments;
}

/** The Service past the limit gets the error; none of the Services beyond it is created. */
export function limitServices(drafts: readonly ServiceDraft[]): readonly ServiceDraft[] {
  const limit = SCENARIO_LIMITS.services;
  if (drafts.length <= limit) return drafts;
  const d = drafts[limit];
  d.ctx.error(
    d.nameAt,
    'metadata.name',
    `${over('too many Services', n(drafts.length), 'services')} (Service ${n(limit + 1)} is this one)`,
  );
  return drafts.slice(0, limit);
}

const at = (pos: SourcePos, path: string, message: string): Diagnostic => ({
  line: pos.line,
  column: pos.column,
  message,
  path,
});

/** The limits a loaded scenario can be held to without simulating: nodes, pods a node, actions, pings. */
export function checkLimits(s: LoadedScenario): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { nodes } = s.cluster;
  if (nodes.length > SCENARIO_LIMITS.nodes)
    out.push(
      at(
        nodes[SCENARIO_LIMITS.nodes].pos,
        'spec.nodes',
        `${over('too many nodes', n(nodes.length), 'nodes')} (node ${n(SCENARIO_LIMITS.nodes + 1)} is this one)`,
      ),
    );
  // Deployments are held to it before their pods are made (limitPods); other controllers' pods here.
  if (s.pods.length > SCENARIO_LIMITS.pods)
    out.push(
      at(
        s.pods[SCENARIO_LIMITS.pods].pos,
        'metadata.name',
        `${over('too many pods', n(s.pods.length), 'pods')} (pod ${n(SCENARIO_LIMITS.pods + 1)} is made by this object)`,
      ),
    );
  out.push(...podsPerNode(s));
  const { actions } = s.scenario;
  if (actions.length > SCENARIO_LIMITS.actions)
    out.push(
      at(
        actions[SCENARIO_LIMITS.actions].pos,
        'spec.actions',
        `${over('too many actions', n(actions.length), 'actions')} (action ${n(SCENARIO_LIMITS.actions + 1)} is this one)`,
      ),
    );
  let pings = 0;
  let first: SourcePos | undefined;
  for (const a of actions) {
    if (a.kind !== 'ping') continue;
    pings += a.count;
    if (pings > SCENARIO_LIMITS.pings) first ??= a.pos;
  }
  if (first)
    out.push(
      at(
        first,
        'spec.actions',
        `${over('the ping actions send too many echo requests', `${n(pings)} (their counts added up)`, 'pings')}; this ping passes it`,
      ),
    );
  return out;
}

/** The pod that makes a node's count pass the limit: its name, or its Deployment's `replicas:`. */
function podsPerNode(s: LoadedScenario): Diagnostic[] {
  const limit = SCENARIO_LIMITS.podsPerNode;
  if (s.pods.length <= limit) return [];
  const counts = new Map<string, number>();
  const made = new Map<string, SourcePos>();
  for (const d of s.deployments)
    for (const p of d.pods) made.set(`${d.namespace}/${p}`, d.replicasPos ?? d.pos);
  const out: Diagnostic[] = [];
  for (const pod of s.pods) {
    const c = (counts.get(pod.nodeName) ?? 0) + 1;
    counts.set(pod.nodeName, c);
    if (c !== limit + 1) continue;
    const total = s.pods.filter((p) => p.nodeName === pod.nodeName).length;
    const replicas = made.get(`${pod.namespace}/${pod.name}`);
    out.push(
      at(
        replicas ?? pod.pos,
        replicas ? 'spec.replicas' : 'metadata.name',
        `${over(`too many pods on node ${pod.nodeName}`, n(total), 'podsPerNode')} (pod ${n(limit + 1)} on it is ${replicas ? `one of these replicas, ${pod.name}` : 'this one'})`,
      ),
    );
  }
  return out;
}

/**
 * The step limit, reached while simulating: at the action that was playing
 * (or, before the first, at the last pod started).
 */
export function stepLimitError(
  s: LoadedScenario,
  e: { limit: number; action: number },
): Diagnostic {
  const action = s.scenario.actions[e.action];
  const pos = action?.pos ?? s.pods.at(-1)?.pos ?? { line: 1, column: 1 };
  const what = action ? `action ${n(e.action + 1)} (${action.kind})` : 'starting the pods';
  return at(
    pos,
    action ? 'spec.actions' : 'metadata.name',
    `the trace reached ${n(e.limit)} steps, Kubewire's limit for a scenario, during ${what}: nothing was simulated; use fewer pods on a node or fewer actions`,
  );
}
