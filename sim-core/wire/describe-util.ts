/**
 * Small formatting helpers shared by the frame describer (describe.ts,
 * describe-l4.ts): Wireshark's value styles and a Field constructor.
 */
import type { Field } from './layers.ts';

export interface FieldExtra {
  raw?: string;
  children?: Field[];
  generated?: boolean;
}

export function field(
  name: string,
  label: string,
  value: string | number,
  offset: number,
  length: number,
  extra: FieldExtra = {},
): Field {
  const f: { -readonly [K in keyof Field]: Field[K] } = {
    name,
    label,
    value: String(value),
    offset,
    length,
  };
  f.raw = extra.raw ?? String(value);
  if (extra.children) f.children = extra.children;
  if (extra.generated) f.generated = true;
  return f;
}

/** "0x0800": fixed-width lower-case hex, as Wireshark prints BASE_HEX fields. */
export function hex(n: number, digits: number): string {
  return '0x' + n.toString(16).padStart(digits, '0');
}

/** "0xbb5c (47964)": Wireshark's BASE_HEX_DEC. */
export function hexDec(n: number, digits: number): string {
  return `${hex(n, digits)} (${n})`;
}

/** "8687 (0x21ef)": Wireshark's BASE_DEC_HEX. */
export function decHex(n: number, digits: number): string {
  return `${n} (${hex(n, digits)})`;
}

/** "ff:60:08": how tshark prints byte strings. */
export function colonHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(':');
}

export function setOrNot(bit: boolean): string {
  return bit ? 'Set' : 'Not set';
}

export const bit = (b: boolean): string => (b ? '1' : '0');

/** "1 byte" / "48 bytes". */
export function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

const MONTHS = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');

/** "Nov 25, 2026 12:15:46.000000000 UTC", Wireshark's absolute time style (strftime %e: "Jan  1"). */
export function wiresharkTime(sec: number, nsec: number): string {
  const d = new Date(sec * 1000);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return (
    `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')}, ${d.getUTCFullYear()} ` +
    `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.` +
    `${String(nsec).padStart(9, '0')} UTC`
  );
}

/** Checksum text and status children in Wireshark's words. */
export function checksumField(
  prefix: string,
  label: string,
  statusLabel: string,
  stored: number,
  expected: number | null,
  offset: number,
): Field {
  // expected === null: not verifiable (e.g. UDP checksum 0 = none).
  const good = expected === stored;
  const value =
    expected === null
      ? `${hex(stored, 4)} [zero-value ignored]`
      : good
        ? `${hex(stored, 4)} [correct]`
        : `${hex(stored, 4)} [incorrect, should be ${hex(expected, 4)}]`;
  // Wireshark's status enum: 0 Bad, 1 Good, 2 Unverified, 3 Not present.
  const status = expected === null ? ['Not present', '3'] : good ? ['Good', '1'] : ['Bad', '0'];
  return field(prefix + '.checksum', label, value, offset, 2, {
    raw: hex(stored, 4),
    children: [
      field(prefix + '.checksum.status', statusLabel, status[0], offset, 2, {
        raw: status[1],
        generated: true,
      }),
    ],
  });
}
