import { describe, expect, it } from 'vitest';
import { createRng } from '../../engine/rng';
import { ALPHANUMS, generateName, randString, safeEncodeString } from './names';

describe('util/rand', () => {
  // Upstream: TestString (apimachinery util/rand/rand_test.go): lengths 0,1,2,10,123,
  // every character from "bcdfghjklmnpqrstvwxz2456789".
  it('String(n) is n characters of the vowel-free alphabet', () => {
    const rng = createRng(11);
    for (const n of [0, 1, 2, 10, 123]) {
      const s = randString(rng, n);
      expect(s).toHaveLength(n);
      for (const c of s) expect('bcdfghjklmnpqrstvwxz2456789').toContain(c);
    }
    expect(ALPHANUMS).toBe('bcdfghjklmnpqrstvwxz2456789');
  });

  it('uses every character of the alphabet over many draws', () => {
    const s = randString(createRng(5), 5000);
    expect(new Set(s).size).toBe(27);
  });

  // SafeEncodeString maps a code point c to alphabet[c % 27]: '0' (48) → index 21 '4',
  // … '5' (53) → index 26 '9', '6' (54) → index 0 'b', … '9' (57) → index 3 'f'.
  it('SafeEncodeString maps the decimal digits onto "456789bcdf"', () => {
    expect(safeEncodeString('0123456789')).toBe('456789bcdf');
    expect(safeEncodeString('')).toBe('');
  });

  // Real pod-template-hash values from Kubernetes' documentation: the Deployment
  // tutorial's ReplicaSet nginx-deployment-75675f5897 is SafeEncodeString of the decimal
  // FNV-32a hash 3123191453.
  it('a real pod-template-hash is the encoding of a uint32 in decimal', () => {
    expect(safeEncodeString('3123191453')).toBe('75675f5897');
    // 4294967295 digit by digit: 4→8 2→6 9→f 4→8 9→f 6→b 7→c 2→6 9→f 5→9.
    expect(safeEncodeString(String(0xffffffff))).toBe('86f8fbc6f9');
  });

  it('generateName appends 5 random characters and cuts a long base to 58', () => {
    const name = generateName(createRng(1), 'web-');
    expect(name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    const long = generateName(createRng(1), 'x'.repeat(70));
    expect(long).toHaveLength(63);
    expect(long.startsWith('x'.repeat(58))).toBe(true);
  });
});
