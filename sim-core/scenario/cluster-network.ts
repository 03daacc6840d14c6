/**
 * The address plan of a Cluster: the three ranges (nodeNetwork, podCIDR,
 * serviceCIDR), the per-node pod subnet size, and their consistency. Each
 * range remembers whether the user wrote it, so an error about a range the
 * user never wrote (a default) points at the one they did write.
 */
import { cidrsOverlap, parseCidr, prefixLength, subnetCount } from '../net/cidr.ts';
import type { Locatable } from './context.ts';
import type { Fields } from './fields.ts';

export const DEFAULT_RANGES = {
  nodeNetwork: '192.168.1.0/24',
  podCIDR: '10.244.0.0/16',
  serviceCIDR: '10.96.0.0/12',
} as const;
export const DEFAULT_NODE_CIDR_MASK_SIZE = 24;
/** A /30 is the smallest node subnet with a gateway (.1) and one pod (.2). */
export const MAX_NODE_CIDR_MASK_SIZE = 30;

export type RangeName = keyof typeof DEFAULT_RANGES;

export interface ClusterRange {
  readonly name: RangeName;
  readonly cidr: string;
  /** Where the user wrote it; undefined for a default. */
  readonly at?: Locatable;
}

export interface NetworkPlan {
  /** Undefined when the written value is invalid (already reported). */
  readonly nodeNetwork?: ClusterRange;
  readonly podCIDR?: ClusterRange;
  readonly serviceCIDR?: ClusterRange;
  readonly nodeCIDRMaskSize?: number;
  readonly maskAt?: Locatable;
}

function readRange(spec: Fields | undefined, name: RangeName): ClusterRange | undefined {
  if (!spec?.has(name)) return { name, cidr: DEFAULT_RANGES[name] };
  const text = spec.str(name);
  if (text === undefined) return undefined;
  const parsed = parseCidr(text);
  if (!parsed.ok) {
    spec.ctx.error(spec.value(name), spec.p(name), `${name}: ${parsed.message}`);
    return undefined;
  }
  return { name, cidr: parsed.cidr, at: spec.value(name) };
}

/** Read the ranges and mask size, and report overlaps and an unusable mask size. */
export function readNetworkPlan(spec: Fields | undefined): NetworkPlan {
  const nodeNetwork = readRange(spec, 'nodeNetwork');
  const podCIDR = readRange(spec, 'podCIDR');
  const serviceCIDR = readRange(spec, 'serviceCIDR');

  // Pairwise: a pod IP that is also a node IP or a Service IP would make
  // routing ambiguous, which is exactly what kubeadm refuses too.
  const pairs: [ClusterRange | undefined, ClusterRange | undefined][] = [
    [nodeNetwork, podCIDR],
    [nodeNetwork, serviceCIDR],
    [podCIDR, serviceCIDR],
  ];
  for (const [a, b] of pairs) {
    if (!a || !b || !spec) continue;
    const overlap = cidrsOverlap(a.cidr, b.cidr);
    if (overlap === undefined) continue;
    const culprit = b.at !== undefined ? b : a;
    spec.ctx.error(
      culprit.at,
      spec.p(culprit.name),
      `${a.name} ${a.cidr} overlaps ${b.name} ${b.cidr} (overlap: ${overlap})`,
    );
  }

  let nodeCIDRMaskSize: number | undefined = DEFAULT_NODE_CIDR_MASK_SIZE;
  let maskAt: Locatable;
  if (spec?.has('nodeCIDRMaskSize')) {
    maskAt = spec.value('nodeCIDRMaskSize');
    nodeCIDRMaskSize = spec.int('nodeCIDRMaskSize', {
      min: 1,
      max: MAX_NODE_CIDR_MASK_SIZE,
      range: (n) =>
        n > MAX_NODE_CIDR_MASK_SIZE
          ? `nodeCIDRMaskSize must be at most ${MAX_NODE_CIDR_MASK_SIZE}, not ${n}: a node subnet needs room for the network address, a gateway, a pod and broadcast`
          : `nodeCIDRMaskSize must be a prefix length between 1 and ${MAX_NODE_CIDR_MASK_SIZE}, not ${n}`,
    });
  }
  if (podCIDR && nodeCIDRMaskSize !== undefined && spec) {
    const prefix = prefixLength(podCIDR.cidr);
    if (nodeCIDRMaskSize < prefix) {
      spec.ctx.error(
        maskAt ?? podCIDR.at,
        spec.p(maskAt ? 'nodeCIDRMaskSize' : 'podCIDR'),
        `nodeCIDRMaskSize ${nodeCIDRMaskSize} is smaller than podCIDR ${podCIDR.cidr}'s prefix /${prefix}: each node's /${nodeCIDRMaskSize} subnet must fit inside podCIDR`,
      );
      nodeCIDRMaskSize = undefined;
    }
  }
  return { nodeNetwork, podCIDR, serviceCIDR, nodeCIDRMaskSize, maskAt };
}

/** Report when podCIDR has fewer node subnets than there are nodes. */
export function checkSubnetCapacity(spec: Fields, plan: NetworkPlan, nodeCount: number): boolean {
  const { podCIDR, nodeCIDRMaskSize: mask } = plan;
  if (!podCIDR || mask === undefined) return false;
  const count = subnetCount(podCIDR.cidr, mask);
  if (BigInt(nodeCount) <= count) return true;
  const at = plan.maskAt ?? podCIDR.at ?? spec.keyNode('nodes');
  const path = spec.p(plan.maskAt ? 'nodeCIDRMaskSize' : podCIDR.at ? 'podCIDR' : 'nodes');
  spec.ctx.error(
    at,
    path,
    `podCIDR ${podCIDR.cidr} with nodeCIDRMaskSize ${mask} has ${count} node subnet${count === 1n ? '' : 's'}; ${nodeCount} nodes need more`,
  );
  return false;
}
