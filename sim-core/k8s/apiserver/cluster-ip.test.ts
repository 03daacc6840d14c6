import { describe, expect, it } from 'vitest';
import { createRng } from '../../engine/rng';
import { ClusterIPAllocator, calculateRangeOffset, kubernetesServiceIP } from './cluster-ip';

const rng = () => createRng(7).fork('cluster-ip');

describe('calculateRangeOffset (KEP-3070 static band)', () => {
  // Upstream: Test_calculateRangeOffset (ipallocator/bitmap_test.go), IPv4 cases.
  it.each([
    ['192.168.1.1/32 (full mask)', '192.168.1.1/32', 0],
    ['a /30', '192.168.1.0/30', 0],
    ['a /28 (16 addresses, not more than the minimum)', '192.168.1.0/28', 0],
    ['a /27 (32/16 = 2, raised to the minimum 16)', '192.168.1.0/27', 16],
    ['a /22 (1024/16)', '192.168.0.0/22', 64],
    ['a /8 (capped at 256)', '10.0.0.0/8', 256],
  ])('%s → %i', (_name, cidr, want) => {
    expect(calculateRangeOffset(cidr)).toBe(want);
  });

  it('the default service CIDR 10.96.0.0/12 keeps 256 static addresses, 10.96.0.1–10.96.1.0', () => {
    const a = new ClusterIPAllocator('10.96.0.0/12', rng());
    expect(a.rangeOffset).toBe(256);
    expect(a.dynamicStart).toBe('10.96.1.1');
  });
});

describe('ClusterIPAllocator', () => {
  // Upstream: TestAllocateIPAllocator "IPv4" (ipallocator_test.go).
  it('a /24 hands out its 254 addresses once each, then is full; a released address comes back', () => {
    const a = new ClusterIPAllocator('192.168.1.0/24', rng());
    expect(a.free()).toBe(254);
    expect(a.used()).toBe(0);
    const seen = new Set<string>();
    while (a.free() > 0) {
      const ip = a.allocateNext();
      expect(seen.has(ip)).toBe(false);
      seen.add(ip);
    }
    expect(seen.size).toBe(254);
    expect(() => a.allocateNext()).toThrow('range is full');
    expect(seen.has('192.168.1.5')).toBe(true);
    a.release('192.168.1.5');
    expect(a.free()).toBe(1);
    expect(a.used()).toBe(253);
    expect(a.allocateNext()).toBe('192.168.1.5');
    a.release('192.168.1.5');
    // Out of range: another network, the base and the broadcast address.
    for (const bad of ['192.168.0.1', '192.168.1.0', '192.168.1.255', '192.168.2.2']) {
      expect(() => a.allocate(bad)).toThrow();
    }
    expect(() => a.allocate('192.168.1.1')).toThrow('provided IP is already allocated');
    expect(a.free()).toBe(1);
    a.allocate('192.168.1.5');
    expect(a.free()).toBe(0);
    expect(a.used()).toBe(254);
  });

  // Upstream: TestAllocateReservedIPAllocator.
  it('a /25 fills the dynamic band (addresses 17–126) before touching the 16 static ones', () => {
    const a = new ClusterIPAllocator('192.168.1.0/25', rng());
    const offset = calculateRangeOffset('192.168.1.0/25');
    expect(offset).toBe(16);
    const dynamicSize = a.size - offset;
    for (let i = 0; i < dynamicSize; i++) a.allocateNext();
    for (let i = offset; i < a.size; i++) expect(a.has(`192.168.1.${i + 1}`)).toBe(true);
    expect(a.free()).toBe(offset);
    for (let i = 0; i < offset; i++) a.allocate(`192.168.1.${i + 1}`);
    expect(a.free()).toBe(0);
    a.release('192.168.1.10');
    expect(a.allocateNext()).toBe('192.168.1.10');
    expect(a.free()).toBe(0);
  });

  // Upstream: TestAllocateTinyIPAllocator, TestAllocateSmallIPAllocator.
  it('a /32 has nothing to give; a /30 has exactly two addresses', () => {
    const tiny = new ClusterIPAllocator('192.168.1.0/32', rng());
    expect(tiny.free()).toBe(0);
    expect(() => tiny.allocateNext()).toThrow('range is full');
    const small = new ClusterIPAllocator('192.168.1.240/30', rng());
    expect(small.free()).toBe(2);
    const got = new Set([small.allocateNext(), small.allocateNext()]);
    expect(got).toEqual(new Set(['192.168.1.241', '192.168.1.242']));
    for (const ip of got) expect(() => small.allocate(ip)).toThrow('already allocated');
    for (let i = 0; i < 100; i++) expect(() => small.allocateNext()).toThrow('range is full');
  });

  // Upstream: TestForEachIPAllocator's sets — explicit addresses are reserved as given.
  it('honours explicit addresses anywhere in the range, including the static band', () => {
    const a = new ClusterIPAllocator('192.168.1.0/24', rng());
    for (const ip of ['192.168.1.1', '192.168.1.128', '192.168.1.254']) {
      a.allocate(ip);
      expect(a.has(ip)).toBe(true);
    }
    expect(a.used()).toBe(3);
  });

  it('refuses with the 1.33 texts: outside every ServiceCIDR, the network address, taken', () => {
    const a = new ClusterIPAllocator('10.96.0.0/12', rng());
    expect(() => a.allocate('10.200.0.1')).toThrow(
      'the provided network does not match the current range',
    );
    expect(() => a.allocate('10.96.0.0')).toThrow(
      'the provided IP (10.96.0.0) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
    );
    a.allocate('10.97.0.1');
    expect(() => a.allocate('10.97.0.1')).toThrow('provided IP is already allocated');
  });

  it('the kubernetes Service gets the first address; dynamic ones land above the static band', () => {
    expect(kubernetesServiceIP('10.96.0.0/12')).toBe('10.96.0.1');
    const a = new ClusterIPAllocator('10.96.0.0/12', rng());
    a.allocate(kubernetesServiceIP('10.96.0.0/12'));
    const network = 10 * 2 ** 24 + 96 * 2 ** 16;
    for (let i = 0; i < 50; i++) {
      const [a1, b, c, d] = a.allocateNext().split('.').map(Number);
      const offset = a1 * 2 ** 24 + b * 2 ** 16 + c * 256 + d - network;
      // Not in the static band 10.96.0.1–10.96.1.0, not past 10.111.255.254.
      expect(offset).toBeGreaterThanOrEqual(257);
      expect(offset).toBeLessThanOrEqual(2 ** 20 - 2);
    }
  });

  it('is deterministic for a seed', () => {
    const a = new ClusterIPAllocator('10.96.0.0/12', createRng(1).fork('svc'));
    const b = new ClusterIPAllocator('10.96.0.0/12', createRng(1).fork('svc'));
    expect([a.allocateNext(), a.allocateNext()]).toEqual([b.allocateNext(), b.allocateNext()]);
  });
});
