/**
 * Calico's fields of spec.cni: the IP pool calico-ipam hands addresses out
 * of and its block size, checked against the node network and the Service
 * range. Calico's default pool (calico-node's DEFAULT_IPV4_POOL_CIDR, the
 * operator's custom-resources.yaml) is 192.168.0.0/16, which overlaps a
 * node network like 192.168.1.0/24: the install guide's "if 192.168.0.0/16
 * is already in use within your network you must select a different pod
 * network CIDR".
 */
import { cidrsOverlap, parseCidr, prefixLength } from '../net/cidr.ts';
import type { NetworkPlan } from './cluster-network.ts';
import type { Fields } from './fields.ts';

export const CALICO_DEFAULT_POOL = '192.168.0.0/16';
/** IPPool spec.blockSize: 26 by default; Calico accepts 20 to 32 for IPv4. */
export const CALICO_DEFAULT_BLOCK_SIZE = 26;
const MIN_BLOCK_SIZE = 20;
const MAX_BLOCK_SIZE = 32;

export const CALICO_FIELDS = ['ipPool', 'blockSize'] as const;

export interface CalicoPool {
  readonly ipPool: string;
  readonly blockSize: number;
}

/** spec.cni's ipPool and blockSize; undefined after reporting an error. */
export function readCalicoPool(f: Fields, plan: NetworkPlan): CalicoPool | undefined {
  let ipPool = CALICO_DEFAULT_POOL;
  const at = f.has('ipPool') ? f.value('ipPool') : f.has('plugin') ? f.value('plugin') : undefined;
  const path = f.has('ipPool') ? f.p('ipPool') : f.p(f.has('plugin') ? 'plugin' : 'ipPool');
  if (f.has('ipPool')) {
    const text = f.str('ipPool');
    if (text === undefined) return undefined;
    const parsed = parseCidr(text);
    if (!parsed.ok) {
      f.ctx.error(f.value('ipPool'), f.p('ipPool'), `ipPool: ${parsed.message}`);
      return undefined;
    }
    ipPool = parsed.cidr;
  }
  const blockSize = f.has('blockSize')
    ? f.int('blockSize', {
        min: MIN_BLOCK_SIZE,
        max: MAX_BLOCK_SIZE,
        range: (n) =>
          `blockSize must be between ${MIN_BLOCK_SIZE} and ${MAX_BLOCK_SIZE} (Calico's IPv4 block sizes), not ${n}`,
      })
    : CALICO_DEFAULT_BLOCK_SIZE;
  if (blockSize === undefined) return undefined;
  if (blockSize < prefixLength(ipPool)) {
    f.ctx.error(
      f.has('blockSize') ? f.value('blockSize') : at,
      f.has('blockSize') ? f.p('blockSize') : path,
      `blockSize /${blockSize} is larger than the ipPool ${ipPool} itself; use a blockSize of at least ${prefixLength(ipPool)}`,
    );
    return undefined;
  }
  const written = f.has('ipPool') ? '' : " (Calico's default pool)";
  for (const range of [plan.nodeNetwork, plan.serviceCIDR]) {
    if (!range) continue;
    const overlap = cidrsOverlap(ipPool, range.cidr);
    if (overlap === undefined) continue;
    const suggestion = [plan.podCIDR?.cidr, '172.16.0.0/16', '10.244.0.0/16'].find(
      (c) =>
        c !== undefined &&
        [plan.nodeNetwork, plan.serviceCIDR].every((r) => !r || !cidrsOverlap(c, r.cidr)),
    );
    const nodes =
      range.name === 'nodeNetwork'
        ? 'pods would get addresses of the node network, and routes to them would shadow the nodes'
        : 'pod addresses would collide with Service addresses';
    f.ctx.error(
      at,
      path,
      `ipPool ${ipPool}${written} overlaps ${range.name} ${range.cidr} (overlap: ${overlap}): ${nodes}; set cni.ipPool to a range that is not in use${suggestion ? `, like ${suggestion}` : ''}`,
    );
    return undefined;
  }
  return { ipPool, blockSize };
}
