/**
 * The API server's NodePort allocator (--service-node-port-range, default
 * 30000-32767), the same banding as ClusterIPs (KEP-3668, GA in 1.29):
 *
 * - the lowest `offset` ports are the static band, for users who pick a port;
 *   offset = min(max(16, size/32), 128), or 0 when the range has 16 ports or
 *   fewer (portallocator calculateRangeOffset). The default range has 2768
 *   ports, so 30000–30085 are static and 30086–32767 dynamic;
 * - a dynamic allocation starts at a random port of the upper band, walks up
 *   wrapping within the band to a free one, and falls back to the lower band
 *   (the bitmap's randomScanStrategyWithOffset).
 */
import type { Rng } from '../../engine/rng';
import {
  AllocatorError,
  PORT_ALREADY_ALLOCATED,
  RANGE_FULL,
  portNotInRange,
} from './allocator-errors';

export interface PortRange {
  readonly base: number;
  readonly size: number;
}

/** The default --service-node-port-range. */
export const DEFAULT_NODE_PORT_RANGE: PortRange = { base: 30000, size: 2768 };

/** utilnet.ParsePortRange for "min-max" (or a single port). */
export function parsePortRange(text: string): PortRange {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text.trim());
  if (!m) throw new Error(`unable to parse port range: ${text}`);
  const low = Number(m[1]);
  const high = m[2] === undefined ? low : Number(m[2]);
  if (low > 65535 || high > 65535 || high < low) {
    throw new Error(`range is not valid: ${text}`);
  }
  return { base: low, size: high - low + 1 };
}

/** PortRange.String(): "30000-32767". */
export function portRangeString(pr: PortRange): string {
  return `${pr.base}-${pr.base + pr.size - 1}`;
}

const STATIC_MIN = 16;
const STATIC_MAX = 128;
const STATIC_STEP = 32;

/** KEP-3668's static band size: min(max(16, size/32), 128); 0 for ranges of 16 ports or fewer. */
export function calculatePortRangeOffset(pr: PortRange): number {
  if (pr.size <= STATIC_MIN) return 0;
  const offset = Math.floor(pr.size / STATIC_STEP);
  if (offset < STATIC_MIN) return STATIC_MIN;
  if (offset > STATIC_MAX) return STATIC_MAX;
  return offset;
}

export class NodePortAllocator {
  readonly range: PortRange;
  readonly offset: number;
  private readonly allocated = new Set<number>();
  private readonly rng: Rng;

  constructor(range: PortRange, rng: Rng) {
    this.range = range;
    this.offset = calculatePortRangeOffset(range);
    this.rng = rng;
  }

  /** Reserve a requested port; throws "not in the valid range" or "already allocated". */
  allocate(port: number): void {
    if (!this.contains(port)) {
      throw new AllocatorError('not-in-range', portNotInRange(portRangeString(this.range)));
    }
    if (this.allocated.has(port)) throw new AllocatorError('allocated', PORT_ALREADY_ALLOCATED);
    this.allocated.add(port);
  }

  /** A free port: random start in the upper band, then the lower band; throws "range is full". */
  allocateNext(): number {
    const { base, size } = this.range;
    if (this.allocated.size >= size) throw new AllocatorError('full', RANGE_FULL);
    const upper = size - this.offset;
    const fromUpper = this.scan(base + this.offset, upper, this.rng.int(0, upper - 1));
    if (fromUpper !== undefined) return fromUpper;
    if (this.offset > 0) {
      const fromLower = this.scan(base, this.offset, this.rng.int(0, this.offset - 1));
      if (fromLower !== undefined) return fromLower;
    }
    throw new AllocatorError('full', RANGE_FULL);
  }

  /** Give a port back; a free or out-of-range port is a no-op. */
  release(port: number): void {
    this.allocated.delete(port);
  }

  has(port: number): boolean {
    return this.allocated.has(port);
  }

  used(): number {
    return this.allocated.size;
  }

  free(): number {
    return this.range.size - this.allocated.size;
  }

  private contains(port: number): boolean {
    return (
      Number.isInteger(port) && port >= this.range.base && port < this.range.base + this.range.size
    );
  }

  private scan(base: number, count: number, start: number): number | undefined {
    for (let i = 0; i < count; i++) {
      const port = base + ((start + i) % count);
      if (!this.allocated.has(port)) {
        this.allocated.add(port);
        return port;
      }
    }
    return undefined;
  }
}
