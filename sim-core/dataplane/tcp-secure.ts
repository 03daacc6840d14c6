/**
 * The kernel's keyed hashes over a connection's addresses and ports
 * (net/core/secure_seq.c; RFC 6528 for the ISN, RFC 7323 §5.4 for the
 * timestamp offset). Linux keys siphash with net_secret, random per boot;
 * any keyed hash behaves the same for what a capture shows:
 *
 * - ISN = hash(4-tuple) + a clock ticking every 64 ns (ktime_get_real_ns() >> 6),
 *   so a later connection on the same 4-tuple starts higher: in reference 4b
 *   the endpoint's three SYN-ACKs to one 4-tuple have ISNs 15.625 M apart per
 *   second (1925788012, 1941628354, 1957628625);
 * - TSval offset = hash(4-tuple) alone, so those SYN-ACKs share one TS clock
 *   (TSvals +1014 ms and +1024 ms for SYN-ACKs 1.014 s and 1.024 s apart),
 *   while two connections from one pod to one service do not (4c);
 * - the port offset = hash(addresses, destination port): where connect()
 *   starts looking for a free source port (tcp-port.ts).
 */
import { ipToNumber } from '../net/cidr.ts';

const u32 = (n: number) => n >>> 0;

/** One 32-bit word into the hash state (MurmurHash3's block step). */
function mix(h: number, word: number): number {
  let k = Math.imul(word, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return u32(Math.imul(h, 5) + 0xe6546b64);
}

/** MurmurHash3's finaliser: every input bit reaches every output bit. */
function avalanche(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return u32(h ^ (h >>> 16));
}

function keyedHash(key: number, words: readonly number[]): number {
  return avalanche(words.reduce(mix, key));
}

/** Per-purpose keys from the one secret, so the three hashes are unrelated. */
const SEQ = 0x5eed0001;
const TS = 0x5eed0002;
const PORT = 0x5eed0003;
const PERTURB = 0x5eed0004;

const tuple = (saddr: string, daddr: string, sport: number, dport: number) => [
  ipToNumber(saddr),
  ipToNumber(daddr),
  u32((sport << 16) | dport),
];

/** The ISN clock: one tick per 64 ns of (simulated) time. */
export const ISN_TICKS_PER_US = 1000 / 64;

/** secure_tcp_seq: the initial sequence number of a connection from saddr:sport to daddr:dport. */
export function secureSeq(
  secret: number,
  saddr: string,
  daddr: string,
  sport: number,
  dport: number,
  timeUs: number,
): number {
  const hash = keyedHash(u32(secret ^ SEQ), tuple(saddr, daddr, sport, dport));
  return u32(hash + Math.floor(timeUs * ISN_TICKS_PER_US));
}

/** secure_tcp_ts_off: added to the 1 kHz TCP clock for the connection's TSval. */
export function secureTsOff(
  secret: number,
  saddr: string,
  daddr: string,
  sport: number,
  dport: number,
): number {
  return keyedHash(u32(secret ^ TS), tuple(saddr, daddr, sport, dport));
}

/**
 * secure_ipv4_port_ephemeral, 64 bits in Linux: the high half is the offset
 * into the port range, the low half picks the table_perturb slot.
 */
export function portOffset(
  secret: number,
  saddr: string,
  daddr: string,
  dport: number,
): { offset: number; slot: number } {
  const words = [ipToNumber(saddr), ipToNumber(daddr), dport];
  return {
    offset: keyedHash(u32(secret ^ PORT), words),
    slot: keyedHash(u32(secret ^ PERTURB), words),
  };
}
