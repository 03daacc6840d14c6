/**
 * calico-ipam, as libcalico-go's ipam package does it: an IP pool cut into
 * blocks (/26 by default), each block affine to one node once that node
 * claims it; a node allocates from its own blocks first and claims a new
 * block only when they are full. Within a block, addresses go by ordinal in
 * the order of the block's `unallocated` list — 0, 1, 2 … for a new block —
 * and a released ordinal goes to the end of that list (ipam_block.go's
 * autoAssign and release; the IP cooldown before that is not modelled).
 *
 * Which block a node claims: libcalico-go walks the pool from a point
 * chosen by a random generator seeded with the FNV hash of the node name
 * (randomBlockGenerator); this model walks the pool from its start, so node
 * after node claims 10.244.0.0/26, 10.244.0.64/26 … — same sizes and rules,
 * more predictable addresses.
 *
 * State is immutable: each operation returns new blocks.
 */
import type { IpamAttribute, IpamBlock } from '../../model.ts';
import { hostAddress, ipToNumber, nthSubnet, prefixLength, subnetCount } from '../../net/cidr.ts';

export interface CalicoIpam {
  readonly pool: string;
  readonly blockSize: number;
  /** Every claimed block by CIDR, in the order they were claimed. */
  readonly blocks: ReadonlyMap<string, IpamBlock>;
  /** The next block index in the pool to look at (the walk's position). */
  readonly next: number;
}

export function createCalicoIpam(pool: string, blockSize: number): CalicoIpam {
  return { pool, blockSize, blocks: new Map(), next: 0 };
}

/** A new block as newBlock makes it: every ordinal free, in order. */
function newBlock(cidr: string, node: string): IpamBlock {
  const size = 2 ** (32 - prefixLength(cidr));
  return {
    cidr,
    affinity: `host:${node}`,
    allocations: new Array<null>(size).fill(null),
    unallocated: Array.from({ length: size }, (_, i) => i),
    attributes: [],
  };
}

export const blocksOf = (s: CalicoIpam, node: string): IpamBlock[] =>
  [...s.blocks.values()].filter((b) => b.affinity === `host:${node}`);

export type CalicoAssign =
  | {
      readonly ok: true;
      readonly ip: string;
      readonly block: string;
      /** Set when this allocation claimed a new block for the node. */
      readonly claimed?: string;
      readonly state: CalicoIpam;
    }
  | { readonly ok: false; readonly error: string };

/** Claim the first unclaimed block of the pool for `node`. */
function claimBlock(s: CalicoIpam, node: string): { state: CalicoIpam; cidr: string } | undefined {
  const total = Number(subnetCount(s.pool, s.blockSize));
  for (let i = s.next; i < total; i++) {
    const cidr = nthSubnet(s.pool, s.blockSize, i);
    if (s.blocks.has(cidr)) continue;
    const blocks = new Map(s.blocks);
    blocks.set(cidr, newBlock(cidr, node));
    return { state: { ...s, blocks, next: i + 1 }, cidr };
  }
  return undefined;
}

/** autoAssign of one IPv4 address for `handle`, with its attributes. */
export function autoAssign(
  s: CalicoIpam,
  node: string,
  handle: string,
  secondary: Readonly<Record<string, string>>,
): CalicoAssign {
  let state = s;
  let block = blocksOf(state, node).find((b) => b.unallocated.length > 0);
  let claimed: string | undefined;
  if (!block) {
    const c = claimBlock(state, node);
    if (!c)
      return {
        ok: false,
        error: `failed to request IPv4 addresses: no free blocks left in IP pool ${s.pool}`,
      };
    state = c.state;
    claimed = c.cidr;
    block = state.blocks.get(c.cidr)!;
  }
  const ordinal = block.unallocated[0];
  const attr: IpamAttribute = { handle_id: handle, secondary };
  const allocations = [...block.allocations];
  allocations[ordinal] = block.attributes.length;
  const next: IpamBlock = {
    ...block,
    allocations,
    unallocated: block.unallocated.slice(1),
    attributes: [...block.attributes, attr],
  };
  const blocks = new Map(state.blocks);
  blocks.set(block.cidr, next);
  return {
    ok: true,
    ip: hostAddress(block.cidr, ordinal),
    block: block.cidr,
    ...(claimed ? { claimed } : {}),
    state: { ...state, blocks },
  };
}

/** releaseByHandle: free the handle's ordinals (to the end of `unallocated`) and drop its attribute. */
export function releaseByHandle(s: CalicoIpam, handle: string): CalicoIpam {
  const blocks = new Map(s.blocks);
  for (const b of s.blocks.values()) {
    const idx = b.attributes.findIndex((a) => a.handle_id === handle);
    if (idx < 0) continue;
    const freed: number[] = [];
    const allocations = b.allocations.map((a, ordinal) => {
      if (a === idx) {
        freed.push(ordinal);
        return null;
      }
      // Attributes after the removed one move down by one.
      return a !== null && a > idx ? a - 1 : a;
    });
    blocks.set(b.cidr, {
      ...b,
      allocations,
      unallocated: [...b.unallocated, ...freed],
      attributes: b.attributes.filter((_, i) => i !== idx),
    });
  }
  return { ...s, blocks };
}

/** The block an address falls in, if claimed. */
export function blockOf(s: CalicoIpam, ip: string): IpamBlock | undefined {
  const n = ipToNumber(ip);
  for (const b of s.blocks.values()) {
    const base = ipToNumber(b.cidr.split('/')[0]);
    if (n >= base && n < base + b.allocations.length) return b;
  }
  return undefined;
}
