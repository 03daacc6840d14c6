import { describe, expect, it } from 'vitest';
import { createRng } from '../../engine/rng';
import {
  DEFAULT_NODE_PORT_RANGE,
  NodePortAllocator,
  calculatePortRangeOffset,
  parsePortRange,
  portRangeString,
} from './node-port';

const rng = () => createRng(3).fork('node-port');

describe('calculatePortRangeOffset (KEP-3668 static band)', () => {
  // Upstream: Test_calculateRangeOffset (portallocator/allocator_test.go).
  it.each([
    ['default node port range', 2768, 86],
    ['very small node port range', 10, 0],
    ['small node port range (lower boundary)', 16, 0],
    ['small node port range', 128, 16],
    ['medium node port range', 2048, 64],
    ['large node port range (upper boundary)', 4096, 128],
    ['large node port range', 8192, 128],
  ])('%s (size %i) → %i', (_n, size, want) => {
    expect(calculatePortRangeOffset({ base: 30000, size })).toBe(want);
  });
});

describe('NodePortAllocator', () => {
  it('parses and prints the range as the flag does', () => {
    expect(parsePortRange('30000-32767')).toEqual(DEFAULT_NODE_PORT_RANGE);
    expect(portRangeString(DEFAULT_NODE_PORT_RANGE)).toBe('30000-32767');
  });

  // Upstream: TestAllocate (portallocator/allocator_test.go), range 10000-10200.
  it('hands out all 201 ports of 10000-10200 once, then refuses with the real texts', () => {
    const pr = parsePortRange('10000-10200');
    const a = new NodePortAllocator(pr, rng());
    expect(a.free()).toBe(201);
    const seen = new Set<number>();
    while (a.free() > 0) {
      const p = a.allocateNext();
      expect(p).toBeGreaterThanOrEqual(10000);
      expect(p).toBeLessThanOrEqual(10200);
      expect(seen.has(p)).toBe(false);
      seen.add(p);
    }
    expect(() => a.allocateNext()).toThrow('range is full');
    a.release(10005);
    expect(a.free()).toBe(1);
    expect(a.used()).toBe(200);
    expect(a.allocateNext()).toBe(10005);
    a.release(10005);
    const notInRange =
      'provided port is not in the valid range. The range of valid ports is 10000-10200';
    expect(() => a.allocate(1)).toThrow(notInRange);
    expect(() => a.allocate(10001)).toThrow('provided port is already allocated');
    expect(() => a.allocate(20000)).toThrow(notInRange);
    expect(() => a.allocate(10201)).toThrow(notInRange);
    expect(a.free()).toBe(1);
    a.allocate(10005);
    expect(a.free()).toBe(0);
    expect(a.used()).toBe(201);
  });

  // Upstream: TestAllocateReserved, range 30000-30128 (129 ports, offset 16).
  it('fills 30016–30128 dynamically before the static 30000–30015', () => {
    const pr = parsePortRange('30000-30128');
    const a = new NodePortAllocator(pr, rng());
    const offset = calculatePortRangeOffset(pr);
    expect(offset).toBe(16);
    for (let i = 0; i < pr.size - offset; i++) a.allocateNext();
    for (let i = offset; i < pr.size; i++) expect(a.has(pr.base + i)).toBe(true);
    expect(a.free()).toBe(offset);
    for (let i = 0; i < offset; i++) a.allocate(pr.base + i);
    expect(a.free()).toBe(0);
    a.release(30053);
    expect(a.allocateNext()).toBe(30053);
    expect(a.free()).toBe(0);
  });

  it('on the default range, dynamic ports come from 30086–32767', () => {
    const a = new NodePortAllocator(DEFAULT_NODE_PORT_RANGE, rng());
    for (let i = 0; i < 200; i++) {
      const p = a.allocateNext();
      expect(p).toBeGreaterThanOrEqual(30086);
      expect(p).toBeLessThanOrEqual(32767);
    }
  });
});
