/**
 * The schedulers against the kernel's documented behaviour (ipvsadm(8) and
 * the comments of ip_vs_{rr,wrr,lc,wlc,sh}.c).
 */
import { describe, expect, it } from 'vitest';
import {
  initScheduler,
  schedule,
  shHashKey,
  type SchedDest,
  type SchedulerName,
} from './schedulers.ts';

const d = (weight: number, activeConns = 0, inactConns = 0): SchedDest => ({
  weight,
  activeConns,
  inactConns,
});

/** Pick `n` times, feeding each new state back, with the same destinations. */
function picks(name: SchedulerName, dests: readonly SchedDest[], n: number, src = '10.0.0.1') {
  let state = initScheduler(name, dests);
  const out: (number | undefined)[] = [];
  for (let i = 0; i < n; i++) {
    const r = schedule(state, dests, { sourceIP: src });
    out.push(r.dest);
    state = r.state;
  }
  return out;
}

describe('rr (Round-Robin: distributes jobs equally amongst the real servers)', () => {
  it('cycles through the list in order, starting at the head', () => {
    expect(picks('rr', [d(1), d(1), d(1)], 7)).toEqual([0, 1, 2, 0, 1, 2, 0]);
  });
  it('skips weight-0 destinations (quiesced) and finds none when all are 0', () => {
    expect(picks('rr', [d(1), d(0), d(1)], 4)).toEqual([0, 2, 0, 2]);
    expect(picks('rr', [d(0), d(0)], 2)).toEqual([undefined, undefined]);
  });
  it('is immutable: an old state picks the same again (stepping back)', () => {
    const dests = [d(1), d(1)];
    const s0 = initScheduler('rr', dests);
    const a = schedule(s0, dests, { sourceIP: '1.1.1.1' });
    const b = schedule(s0, dests, { sourceIP: '1.1.1.1' });
    expect(a.dest).toBe(b.dest);
    expect(Object.isFrozen(a.state)).toBe(true);
  });
});

describe('wrr (Weighted Round Robin: jobs in proportion to weight)', () => {
  it('weights 4,3,2 give the classic sequence A A B A B C A B C', () => {
    // cw starts at the max weight and falls by the gcd each pass over the list.
    expect(picks('wrr', [d(4), d(3), d(2)], 9)).toEqual([0, 0, 1, 0, 1, 2, 0, 1, 2]);
  });
  it('equal weights behave as rr; a gcd > 1 is stepped in one go', () => {
    expect(picks('wrr', [d(1), d(1)], 4)).toEqual([0, 1, 0, 1]);
    expect(picks('wrr', [d(4), d(2)], 6)).toEqual([0, 0, 1, 0, 0, 1]);
  });
  it('has no destination when every weight is 0', () => {
    expect(picks('wrr', [d(0), d(0)], 1)).toEqual([undefined]);
  });
});

describe('lc (Least-Connection): overhead = active*256 + inactive', () => {
  it('picks the least overhead; one active outweighs 255 inactive', () => {
    expect(picks('lc', [d(1, 1, 0), d(1, 0, 255)], 1)).toEqual([1]);
    expect(picks('lc', [d(1, 1, 0), d(1, 0, 256)], 1)).toEqual([0]);
  });
  it('ties go to the first in the list; weight 0 is skipped', () => {
    expect(picks('lc', [d(1), d(1)], 1)).toEqual([0]);
    expect(picks('lc', [d(0), d(1, 5, 0)], 1)).toEqual([1]);
  });
});

describe('wlc (Weighted Least-Connection: Ci/Wi)', () => {
  it('picks the least overhead per weight', () => {
    // 3 active on weight 3 (256 per unit) beats 2 active on weight 1 (512 per unit).
    expect(picks('wlc', [d(1, 2, 0), d(3, 3, 0)], 1)).toEqual([1]);
    // equal ratios keep the first
    expect(picks('wlc', [d(1, 1, 0), d(2, 2, 0)], 1)).toEqual([0]);
  });
});

describe('sh (Source Hashing: a 256-bucket table indexed by the source address)', () => {
  it('hashes as hash_32(ntohl(saddr), 8) with GOLDEN_RATIO_32', () => {
    // ((0x0a000001 * 0x61c88647) & 0xffffffff) >> 24, worked in Python's big integers.
    expect(shHashKey('10.0.0.1')).toBe(39);
    expect(shHashKey('10.0.0.2')).toBe(137);
  });
  it('sends one source to the same destination every time', () => {
    const dests = [d(1), d(1), d(1)];
    const first = picks('sh', dests, 5, '192.168.7.9');
    expect(new Set(first).size).toBe(1);
  });
  it('fills the buckets round the list, each destination weight buckets at a time', () => {
    const s = initScheduler('sh', [d(2), d(1)]);
    if (s.kind !== 'sh') throw new Error('not sh');
    expect(s.buckets.slice(0, 6)).toEqual([0, 0, 1, 0, 0, 1]);
    expect(s.buckets.filter((b) => b === 0).length).toBe(171);
  });
  it('returns none when the hashed destination has weight 0 (no fallback without sh-fallback)', () => {
    const dests = [d(1), d(1)];
    const s = initScheduler('sh', dests);
    if (s.kind !== 'sh') throw new Error('not sh');
    const b = s.buckets[shHashKey('10.0.0.1')];
    const drained = dests.map((x, i) => (i === b ? d(0) : x));
    expect(schedule(s, drained, { sourceIP: '10.0.0.1' }).dest).toBeUndefined();
  });
});
