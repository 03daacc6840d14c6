/**
 * Cilium's cluster-pool IPAM: cilium-operator cuts clusterPoolIPv4PodCIDRList
 * into clusterPoolIPv4MaskSize CIDRs, one per node in order (its CiliumNode's
 * spec.ipam.podCIDRs), and the agent hands addresses out of its node's CIDR
 * with a fork of Kubernetes' ipallocator: the range excludes the network and
 * broadcast addresses, and AllocateNext starts at a random offset and takes
 * the next free address from there (randomScanStrategy). The agent's first
 * allocation is the router IP, cilium_host's address.
 */
import type { Rng } from '../../engine/rng.ts';
import { hostAddress, nthSubnet, prefixLength } from '../../net/cidr.ts';

export interface NodePool {
  readonly cidr: string;
  /** Allocated offsets into the range (1 … size − 2) and who holds them. */
  readonly used: ReadonlyMap<number, string>;
}

export function nodePodCidr(pool: string, mask: number, nodeIndex: number): string {
  return nthSubnet(pool, mask, nodeIndex);
}

/** AllocateNext: a random offset, then the first free address from there, wrapping. */
export function allocateNext(
  p: NodePool,
  rng: Rng,
  owner: string,
): { pool: NodePool; ip: string } | undefined {
  const max = 2 ** (32 - prefixLength(p.cidr)) - 2;
  const start = rng.int(0, max - 1);
  for (let i = 0; i < max; i++) {
    const at = ((start + i) % max) + 1;
    if (p.used.has(at)) continue;
    const used = new Map(p.used);
    used.set(at, owner);
    return { pool: { ...p, used }, ip: hostAddress(p.cidr, at) };
  }
  return undefined;
}

export function release(p: NodePool, owner: string): NodePool {
  return { ...p, used: new Map([...p.used].filter(([, o]) => o !== owner)) };
}
