/**
 * An NfEnv for tests: address types from a table (default UNICAST), and
 * random() answering from a list, counting how often it was asked.
 */
import type { AddrType, NfEnv, NfPacket } from './packet.ts';
import { parseIptablesRestore } from './restore.ts';
import type { NetfilterState } from './ruleset.ts';

export interface TestEnv extends NfEnv {
  readonly draws: number;
}

export function testEnv(
  opts: {
    nowUs?: number;
    randoms?: readonly number[];
    types?: Readonly<Record<string, AddrType>>;
    sets?: Readonly<Record<string, NonNullable<NfEnv['ipsetContains']>>>;
  } = {},
): TestEnv {
  let draws = 0;
  const randoms = opts.randoms ?? [];
  return {
    nowUs: opts.nowUs ?? 0,
    get draws() {
      return draws;
    },
    addrType: (ip, iface) =>
      opts.types?.[iface ? `${ip}%${iface}` : ip] ?? opts.types?.[ip] ?? 'UNICAST',
    random() {
      if (draws >= randoms.length)
        throw new Error('random() called more often than the test expected');
      return randoms[draws++];
    },
    ipsetContains: (set, key, dirs) => opts.sets?.[set]?.(set, key, dirs),
  };
}

/** Parse a ruleset a test spells out, failing loudly when it does not parse. */
export function ruleset(text: string): NetfilterState {
  const r = parseIptablesRestore(text);
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.line}:${e.column} ${e.message}`).join('\n'));
  return r.ruleset;
}

export function packet(p: Partial<NfPacket> & Pick<NfPacket, 'src' | 'dst'>): NfPacket {
  return { protocol: 6, length: 60, mark: 0, ...p };
}
