/**
 * The API server's ClusterIP allocator for one IPv4 service CIDR
 * (--service-cluster-ip-range, e.g. 10.96.0.0/12).
 *
 * Kubernetes 1.33 allocates through ServiceCIDR and IPAddress objects
 * (MultiCIDRServiceAllocator went GA, on by default): a MetaAllocator finds
 * the ServiceCIDR containing a requested address and asks that CIDR's
 * Allocator (ipallocator.go). That allocator keeps KEP-3070's two bands:
 *
 * - the usable addresses are network+1 .. broadcast-1;
 * - the lowest `rangeOffset` of them are the static band, left for users who
 *   ask for a clusterIP (the `kubernetes` Service takes the very first,
 *   10.96.0.1, and kube-dns is usually given 10.96.0.10);
 * - rangeOffset = min(max(16, cidrSize / 16), 256), or 0 when the CIDR has
 *   16 addresses or fewer (calculateRangeOffset);
 * - a dynamic allocation starts at a random address of the upper band and
 *   walks up, wrapping within the band, to the first free one; only when the
 *   upper band is full does it do the same in the lower band.
 *
 * Go draws the start with math/rand seeded from the clock; Kubewire draws it
 * from the simulation's seeded generator.
 */
import type { Rng } from '../../engine/rng';
import { cidrContains, cidrSize, ipToNumber, networkAddress, numberToIp } from '../../net/cidr';
import {
  AllocatorError,
  IP_ALREADY_ALLOCATED,
  IP_MISMATCHED_NETWORK,
  RANGE_FULL,
  ipNotInRange,
} from './allocator-errors';

const STATIC_MIN = 16;
const STATIC_MAX = 256;
const STATIC_STEP = 16;

/**
 * KEP-3070's static band size for a service CIDR: min(max(16, size/16), 256),
 * where size counts every address of the CIDR (a /24 is 256), and 0 when the
 * CIDR has at most 16 addresses (ipallocator calculateRangeOffset).
 */
export function calculateRangeOffset(cidr: string): number {
  const size = cidrSize(cidr);
  if (size <= BigInt(STATIC_MIN)) return 0;
  const offset = size / BigInt(STATIC_STEP);
  if (offset < BigInt(STATIC_MIN)) return STATIC_MIN;
  if (offset > BigInt(STATIC_MAX)) return STATIC_MAX;
  return Number(offset);
}

/**
 * The `kubernetes` Service's ClusterIP: the first address of the service CIDR
 * (the API server's GetIndexedIP(serviceCIDR, 1)).
 */
export function kubernetesServiceIP(cidr: string): string {
  return numberToIp(ipToNumber(networkAddress(cidr)) + 1);
}

export class ClusterIPAllocator {
  readonly cidr: string;
  /** First allocatable address (network + 1), as a number. */
  readonly first: number;
  /** Last allocatable address (broadcast − 1), as a number. */
  readonly last: number;
  /** Allocatable addresses (the CIDR's size minus network and broadcast). */
  readonly size: number;
  /** Size of the static (lower) band; the dynamic band starts at first + rangeOffset. */
  readonly rangeOffset: number;
  private readonly allocated = new Set<number>();
  private readonly rng: Rng;

  constructor(cidr: string, rng: Rng) {
    this.cidr = cidr;
    this.rng = rng;
    const total = Number(cidrSize(cidr));
    const network = ipToNumber(networkAddress(cidr));
    this.size = Math.max(0, total - 2);
    this.first = network + 1;
    this.last = network + total - 2;
    this.rangeOffset = calculateRangeOffset(cidr);
  }

  /** The first address of the dynamic band (the allocator's offsetAddress). */
  get dynamicStart(): string {
    return numberToIp(this.first + this.rangeOffset);
  }

  /**
   * Reserve a requested address. Throws the API server's error: outside the
   * CIDR (no ServiceCIDR has it), the network or broadcast address, or
   * already taken.
   */
  allocate(ip: string): void {
    if (!cidrContains(this.cidr, ip)) {
      throw new AllocatorError('mismatched-network', IP_MISMATCHED_NETWORK);
    }
    const n = ipToNumber(ip);
    if (n < this.first || n > this.last) {
      throw new AllocatorError('not-in-range', ipNotInRange(ip, this.cidr));
    }
    if (this.allocated.has(n)) throw new AllocatorError('allocated', IP_ALREADY_ALLOCATED);
    this.allocated.add(n);
  }

  /** A free address: random start in the dynamic band, then the static band; throws "range is full". */
  allocateNext(): string {
    const dynamicSize = this.size - this.rangeOffset;
    if (dynamicSize <= 0) throw new AllocatorError('full', RANGE_FULL);
    const upper = this.scan(
      this.first + this.rangeOffset,
      dynamicSize,
      this.rng.int(0, dynamicSize - 1),
    );
    if (upper !== undefined) return upper;
    if (this.rangeOffset > 0) {
      const lower = this.scan(this.first, this.rangeOffset, this.rng.int(0, this.rangeOffset - 1));
      if (lower !== undefined) return lower;
    }
    throw new AllocatorError('full', RANGE_FULL);
  }

  /** Give an address back; releasing a free or foreign address does nothing (as upstream). */
  release(ip: string): void {
    if (!cidrContains(this.cidr, ip)) return;
    this.allocated.delete(ipToNumber(ip));
  }

  has(ip: string): boolean {
    return cidrContains(this.cidr, ip) && this.allocated.has(ipToNumber(ip));
  }

  used(): number {
    return this.allocated.size;
  }

  free(): number {
    return this.size - this.allocated.size;
  }

  /** Walk `count` addresses from base+start, wrapping at base+count, and take the first free one. */
  private scan(base: number, count: number, start: number): string | undefined {
    for (let i = 0; i < count; i++) {
      const n = base + ((start + i) % count);
      if (!this.allocated.has(n)) {
        this.allocated.add(n);
        return numberToIp(n);
      }
    }
    return undefined;
  }
}
