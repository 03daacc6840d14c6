/**
 * Cilium's fields of spec.cni: cluster-pool IPAM's pod CIDR list and the
 * per-node mask size (the Helm values ipam.operator.clusterPoolIPv4PodCIDRList
 * and clusterPoolIPv4MaskSize). Cilium's default list is 10.0.0.0/8, which
 * contains kubeadm's Service range 10.96.0.0/12: a real pitfall (Cilium's
 * cluster-pool docs: "the pod CIDR must not overlap with the Service CIDR or
 * the node network"), caught here with a located error.
 * kubeProxyReplacement (the Helm value of that name) replaces kube-proxy
 * with Cilium's eBPF service load balancing (k8s/cni/cilium-lb.ts).
 */
import { cidrsOverlap, parseCidr, prefixLength, subnetCount } from '../net/cidr.ts';
import type { NetworkPlan } from './cluster-network.ts';
import type { Fields } from './fields.ts';

export const CILIUM_DEFAULT_POOL = '10.0.0.0/8';
export const CILIUM_DEFAULT_MASK_SIZE = 24;

export const CILIUM_FIELDS = [
  'clusterPoolIPv4PodCIDRList',
  'clusterPoolIPv4MaskSize',
  'kubeProxyReplacement',
] as const;

export interface CiliumPool {
  readonly clusterPoolIPv4PodCIDRList: string;
  readonly clusterPoolIPv4MaskSize: number;
  /** Helm's kubeProxyReplacement (true/false since Cilium 1.14): no kube-proxy, Services in eBPF. */
  readonly kubeProxyReplacement?: boolean;
}

const KPR = 'kubeProxyReplacement';

/** kubeProxyReplacement: true or false; Cilium 1.14 dropped "strict", "partial" and "disabled". */
function readKubeProxyReplacement(f: Fields): { ok: boolean; value?: boolean } {
  if (!f.has(KPR)) return { ok: true };
  const v = f.value(KPR) as { value?: unknown } | undefined;
  if (typeof v?.value === 'boolean') return { ok: true, value: v.value };
  const text = String(v?.value);
  const old: Record<string, string> = { strict: 'true', partial: 'false', disabled: 'false' };
  f.ctx.error(
    v as never,
    f.p(KPR),
    old[text]
      ? `${KPR}: "${text}" was removed in Cilium 1.14; write ${old[text]}`
      : `${KPR} is true or false, not ${JSON.stringify(v?.value ?? null)}`,
  );
  return { ok: false };
}

const LIST = 'clusterPoolIPv4PodCIDRList';
const MASK = 'clusterPoolIPv4MaskSize';

/** The written pool: a CIDR, or a list of one CIDR as in Helm's values. */
function readPoolText(f: Fields): string | undefined {
  const v = f.value(LIST) as { items?: { value?: unknown }[]; value?: unknown } | undefined;
  if (v && Array.isArray(v.items)) {
    if (v.items.length !== 1 || typeof v.items[0]?.value !== 'string') {
      f.ctx.error(
        v as never,
        f.p(LIST),
        `${LIST}: give one IPv4 CIDR (only one pool is simulated)`,
      );
      return undefined;
    }
    return v.items[0].value as string;
  }
  return f.str(LIST);
}

/** spec.cni's cluster-pool fields; undefined after reporting an error. */
export function readCiliumPool(
  f: Fields,
  plan: NetworkPlan,
  nodeCount: number,
): CiliumPool | undefined {
  let pool = CILIUM_DEFAULT_POOL;
  const at = f.has(LIST) ? f.value(LIST) : f.has('plugin') ? f.value('plugin') : undefined;
  const path = f.has(LIST) ? f.p(LIST) : f.p('plugin');
  if (f.has(LIST)) {
    const text = readPoolText(f);
    if (text === undefined) return undefined;
    const parsed = parseCidr(text);
    if (!parsed.ok) {
      f.ctx.error(f.value(LIST), f.p(LIST), `${LIST}: ${parsed.message}`);
      return undefined;
    }
    pool = parsed.cidr;
  }
  const mask = f.has(MASK)
    ? f.int(MASK, {
        min: prefixLength(pool),
        max: 30,
        range: (n) => `${MASK} must be between ${prefixLength(pool)} and 30 for ${pool}, not ${n}`,
      })
    : CILIUM_DEFAULT_MASK_SIZE;
  if (mask === undefined) return undefined;
  const kpr = readKubeProxyReplacement(f);
  if (!kpr.ok) return undefined;
  if (mask < prefixLength(pool)) {
    f.ctx.error(at, path, `${MASK} /${mask} is larger than the pool ${pool} itself`);
    return undefined;
  }
  const written = f.has(LIST) ? '' : " (Cilium's default cluster pool)";
  for (const range of [plan.nodeNetwork, plan.serviceCIDR]) {
    if (!range) continue;
    const overlap = cidrsOverlap(pool, range.cidr);
    if (overlap === undefined) continue;
    const suggestion = ['10.0.0.0/16', '10.244.0.0/16', '172.16.0.0/16'].find((c) =>
      [plan.nodeNetwork, plan.serviceCIDR].every((r) => !r || !cidrsOverlap(c, r.cidr)),
    );
    const why =
      range.name === 'nodeNetwork'
        ? 'pods would get addresses of the node network'
        : 'pod addresses would collide with Service addresses';
    f.ctx.error(
      at,
      path,
      `${LIST} ${pool}${written} overlaps ${range.name} ${range.cidr} (overlap: ${overlap}): ${why}; set cni.${LIST} to a range that is not in use${suggestion ? `, like ${suggestion}` : ''}`,
    );
    return undefined;
  }
  if (subnetCount(pool, mask) < BigInt(nodeCount)) {
    f.ctx.error(
      at,
      path,
      `${LIST} ${pool} has room for ${subnetCount(pool, mask)} /${mask} node CIDRs, not ${nodeCount}`,
    );
    return undefined;
  }
  return {
    clusterPoolIPv4PodCIDRList: pool,
    clusterPoolIPv4MaskSize: mask,
    ...(kpr.value ? { kubeProxyReplacement: true } : {}),
  };
}
