/**
 * The workload and node faults of a Scenario (issue 10): `scale`, `drain`
 * and `node-down`. Each names a Deployment or a node the file has; a typo is
 * a located error with a did-you-mean, like every other action.
 *
 *   - scale: {deployment: web, replicas: 5}        # kubectl scale deployment/web --replicas=5
 *   - drain: {node: node-2}                         # kubectl drain node-2 --ignore-daemonsets
 *   - drain: {node: node-2, force: true}            # … --force (bare pods are deleted, not moved)
 *   - node-down: {node: node-2}                     # node-2 loses power
 */
import { readBool, type Fields } from './fields.ts';
import { SCENARIO_LIMITS } from './limits.ts';
import { parsePodRef, podKey } from './refs.ts';
import { didYouMean } from './suggest.ts';
import type { DrainAction, NodeDownAction, ScaleAction, SourcePos } from './types.ts';

export const SCALE_FIELDS = ['deployment', 'replicas'] as const;
export const DRAIN_FIELDS = ['node', 'force'] as const;
export const NODE_DOWN_FIELDS = ['node'] as const;

/** The most replicas a scale may ask for: the scenario's pod limit. */
export const MAX_SCALE_REPLICAS = SCENARIO_LIMITS.pods;

export interface FaultContext {
  /** The Deployments by "ns/name" (coredns in kube-system included); unchecked when unknown. */
  readonly deployments?: ReadonlySet<string>;
  readonly nodes?: ReadonlySet<string>;
}

export function readScaleAction(
  body: Fields,
  pos: SourcePos,
  env: FaultContext,
): ScaleAction | undefined {
  const text = body.str('deployment', 'scale needs deployment: the Deployment to scale');
  const replicas = body.int(
    'replicas',
    {
      min: 0,
      max: MAX_SCALE_REPLICAS,
      range: (n) =>
        n < 0
          ? `spec.replicas: Invalid value: ${n}: must be greater than or equal to 0`
          : `replicas must be at most ${MAX_SCALE_REPLICAS} (Kubewire's pod limit), not ${n}`,
    },
    'scale needs replicas: how many pods the Deployment should have (0 or more)',
  );
  if (text === undefined || replicas === undefined) return undefined;
  const parsed = parsePodRef(text.replace(/^deployments?(\.apps)?\//, ''));
  if (!parsed.ok) {
    body.ctx.error(
      body.value('deployment'),
      body.p('deployment'),
      parsed.message.replace('a pod reference', 'a Deployment reference'),
    );
    return undefined;
  }
  const key = podKey(parsed.ref);
  if (env.deployments && !env.deployments.has(key)) {
    const known = [...env.deployments];
    const hint = known.length
      ? didYouMean(key, known) || ` (Deployments: ${known.join(', ')})`
      : '; the file has no Deployment';
    body.ctx.error(
      body.value('deployment'),
      body.p('deployment'),
      `Error from server (NotFound): deployments.apps "${parsed.ref.name}" not found in namespace ${parsed.ref.namespace}${hint}`,
    );
    return undefined;
  }
  return { kind: 'scale', deployment: parsed.ref, replicas, pos };
}

export function readDrainAction(
  body: Fields,
  pos: SourcePos,
  env: FaultContext,
): DrainAction | undefined {
  const node = readNode(body, env, 'drain needs node: the node to drain');
  const force = body.has('force') ? readBool(body, 'force') : false;
  if (node === undefined || force === undefined) return undefined;
  return { kind: 'drain', node, force, pos };
}

export function readNodeDownAction(
  body: Fields,
  pos: SourcePos,
  env: FaultContext,
): NodeDownAction | undefined {
  const node = readNode(body, env, 'node-down needs node: the node that stops');
  return node === undefined ? undefined : { kind: 'node-down', node, pos };
}

function readNode(body: Fields, env: FaultContext, required: string): string | undefined {
  const node = body.str('node', required);
  if (node === undefined) return undefined;
  if (env.nodes && !env.nodes.has(node)) {
    body.ctx.error(
      body.value('node'),
      body.p('node'),
      `Error from server (NotFound): nodes "${node}" not found${didYouMean(node, [...env.nodes]) || ` (nodes: ${[...env.nodes].join(', ')})`}`,
    );
    return undefined;
  }
  return node;
}
