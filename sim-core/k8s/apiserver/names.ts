/**
 * Random and hash-derived object names, shaped as apimachinery's util/rand
 * makes them: the alphabet has no vowels ("bcdfghjklmnpqrstvwxz2456789", 27
 * characters) so generated names do not spell words.
 *
 * The randomness is Kubewire's seeded generator (engine/rng.ts), never the
 * clock: the same seed gives the same names.
 */
import type { Rng } from '../../engine/rng';

/** util/rand's alphabet: no vowels, no 0/1/3 (look like o/l/e). */
export const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** Bits util/rand.String reads per character (an index into ALPHANUMS, rejected when ≥ 27). */
const IDX_BITS = 5;
const IDX_MASK = (1 << IDX_BITS) - 1;
/** Characters one draw yields: our draws are 32-bit, so 6 five-bit chunks (Go takes 12 from an int63). */
const PER_DRAW = Math.floor(32 / IDX_BITS);

/**
 * util/rand.String(n): n characters of ALPHANUMS. Like the Go code, it cuts
 * each random draw into 5-bit indices and skips the indices 27..31, so every
 * character is uniform over the alphabet.
 */
export function randString(rng: Rng, n: number): string {
  let out = '';
  let draw = rng.u32();
  let remaining = PER_DRAW;
  while (out.length < n) {
    if (remaining === 0) {
      draw = rng.u32();
      remaining = PER_DRAW;
    }
    const idx = draw & IDX_MASK;
    if (idx < ALPHANUMS.length) out += ALPHANUMS[idx];
    draw >>>= IDX_BITS;
    remaining--;
  }
  return out;
}

/**
 * util/rand.SafeEncodeString: each character (by code point) replaced with
 * ALPHANUMS[code % 27]. The Deployment controller applies it to the decimal
 * text of a 32-bit FNV hash, which is why a pod-template-hash is 1–10
 * characters drawn from "456789bcdf" (the images of '0'..'9').
 */
export function safeEncodeString(s: string): string {
  let out = '';
  for (const ch of s) out += ALPHANUMS[(ch.codePointAt(0) ?? 0) % ALPHANUMS.length];
  return out;
}

/** The random suffix the API server appends to metadata.generateName. */
export const GENERATED_SUFFIX_LENGTH = 5;
/** names.SimpleNameGenerator keeps the name within 63 characters: the base is cut to 58. */
export const MAX_GENERATE_NAME_BASE = 63 - GENERATED_SUFFIX_LENGTH;

/**
 * The API server's names.SimpleNameGenerator.GenerateName: the base (cut to
 * 58 characters) followed by rand.String(5). The base is usually "<owner>-",
 * as the controllers set generateName.
 */
export function generateName(rng: Rng, base: string): string {
  const cut = base.length > MAX_GENERATE_NAME_BASE ? base.slice(0, MAX_GENERATE_NAME_BASE) : base;
  return cut + randString(rng, GENERATED_SUFFIX_LENGTH);
}
