/**
 * All randomness in a simulation comes from here: a seeded generator, so the
 * same scenario and seed give the same trace byte for byte (ISNs, ephemeral
 * ports, IP IDs, veth names, MACs). Streams are forked by label so that, for
 * example, adding a pod does not shift every TCP sequence number.
 *
 * splitmix32 (a 32-bit variant of Steele et al.'s SplitMix): tiny, fast and
 * well distributed for simulation use; not for cryptography.
 */
export interface Rng {
  /** Uniform 32-bit unsigned integer. */
  u32(): number;
  /** Uniform float in [0, 1). */
  float(): number;
  /** Uniform integer in [lo, hi] inclusive. */
  int(lo: number, hi: number): number;
  /** An independent stream, named, derived from this one's seed. */
  fork(label: string): Rng;
}

function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** FNV-1a over the label, so fork("tcp") is stable across runs and platforms. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function createRng(seed: number): Rng {
  const base = mix32(seed >>> 0 || 0x9e3779b9);
  let state = base;
  const rng: Rng = {
    u32() {
      state = (state + 0x9e3779b9) >>> 0;
      return mix32(state);
    },
    float() {
      return rng.u32() / 0x1_0000_0000;
    },
    int(lo, hi) {
      return lo + Math.floor(rng.float() * (hi - lo + 1));
    },
    fork(label) {
      return createRng(mix32(base ^ hashLabel(label)));
    },
  };
  return rng;
}
