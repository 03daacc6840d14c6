/**
 * Values the way libxtables parses and prints them: numbers (xtables_strtoui
 * is strtoul(..., 0), so "0x50" and "80" are both 80 and "010" is 8),
 * addresses and masks (kept as unsigned 32-bit numbers), interface names,
 * marks, and quoted strings.
 */
import { parseIPv4 } from '../../net/cidr.ts';
import { serviceToPort } from './protocols.ts';

/** strtoul(text, &end, 0) over the whole string, within [min, max]; undefined otherwise. */
export function parseCUint(text: string, min = 0, max = 0xffffffff): number | undefined {
  let n: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) n = parseInt(text.slice(2), 16);
  else if (/^0[0-7]*$/.test(text)) n = parseInt(text, 8);
  else if (/^[1-9][0-9]*$/.test(text)) n = Number(text);
  else return undefined;
  return n >= min && n <= max ? n : undefined;
}

/** A port number or /etc/services name (xtables_parse_port without its error). */
export function parsePort(text: string): number | undefined {
  return parseCUint(text, 0, 65535) ?? serviceToPort(text);
}

/** A dotted quad as an unsigned 32-bit number; undefined when it is not one. */
export function parseIPv4U32(text: string): number | undefined {
  const ip = parseIPv4(text);
  return ip === undefined ? undefined : ipU32(ip);
}

/** Fast dotted quad → u32 for already-valid addresses (the per-packet path). */
export function ipU32(ip: string): number {
  let n = 0;
  let octet = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c === 46) {
      n = n * 256 + octet;
      octet = 0;
    } else octet = octet * 10 + (c - 48);
  }
  return n * 256 + octet;
}

export function u32ToIp(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

export function prefixToMask(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

/** Prefix length of a contiguous mask, or -1 (mask_to_str prints those dotted). */
export function maskToPrefix(mask: number): number {
  for (let len = 0; len <= 32; len++) if (prefixToMask(len) === mask) return len;
  return -1;
}

export type AddrParse = { addrs: number[]; mask: number } | { error: string };

/**
 * "-s"/"-d" argument: comma-separated hosts with an optional "/len" or
 * "/dotted mask" (xtables_ipparse_multiple). Host bits are masked off, as
 * the kernel stores them, so "10.1.2.3/8" reads back as "10.0.0.0/8".
 */
export function parseAddressList(arg: string): AddrParse {
  const addrs: number[] = [];
  let mask = 0xffffffff;
  for (const part of arg.split(',')) {
    const slash = part.indexOf('/');
    const host = slash < 0 ? part : part.slice(0, slash);
    if (slash >= 0) {
      const m = parseMask(part.slice(slash + 1));
      if (m === undefined) return { error: `invalid mask \`${part.slice(slash + 1)}' specified` };
      mask = m;
    } else mask = 0xffffffff;
    const n = parseIPv4U32(host);
    if (n === undefined) return { error: `host/network \`${host}' not found` };
    addrs.push((n & mask) >>> 0);
  }
  return { addrs, mask };
}

function parseMask(text: string): number | undefined {
  if (text.includes('.')) return parseIPv4U32(text);
  const len = parseCUint(text, 0, 32);
  return len === undefined ? undefined : prefixToMask(len);
}

/** "0x4000" the way printf("0x%x") writes a u32. */
export function hex(n: number): string {
  return `0x${(n >>> 0).toString(16)}`;
}

/** A mark with an optional "/mask" (XTTYPE_MARKMASK32); the mask defaults to all ones. */
export function parseMarkMask(arg: string): { value: number; mask: number } | undefined {
  const [v, m, extra] = arg.split('/');
  if (extra !== undefined) return undefined;
  const value = parseCUint(v);
  const mask = m === undefined ? 0xffffffff : parseCUint(m);
  return value === undefined || mask === undefined ? undefined : { value, mask };
}

/** "0x10" or "0x10/0xff": xtables_print_mark_mask omits an all-ones mask. */
export function formatMarkMask(value: number, mask: number): string {
  return mask === 0xffffffff ? hex(value) : `${hex(value)}/${hex(mask)}`;
}

/**
 * xtables_save_string: a value made only of [A-Za-z0-9_-] is written bare,
 * anything else in double quotes with ", \ and ' escaped by a backslash. So
 * `--comment ssh` but `--comment "a.b"`, and the empty string is `""`.
 */
const BARE = /^[A-Za-z0-9_-]+$/;

export function saveString(value: string): string {
  if (BARE.test(value)) return ` ${value}`;
  return ` "${value.replace(/["\\']/g, (c) => `\\${c}`)}"`;
}

// Interface names (xtables_parse_interface, ifname_compare_aligned): at most 15
// characters; a trailing "+" makes the name a prefix, so "veth+" matches every
// veth and a bare "+" matches everything.

export function parseIfaceName(arg: string): string | { error: string } {
  if (arg === '') return { error: 'Empty interface is likely to be undesired' };
  if (arg.length + 1 > 16) {
    return { error: `interface name \`${arg}' must be shorter than IFNAMSIZ (15)` };
  }
  return arg;
}

/** Whether a packet's interface name matches a rule's name (with "+" wildcard). */
export function ifaceMatches(pattern: string, name: string | undefined): boolean {
  const n = name ?? '';
  return pattern.endsWith('+') ? n.startsWith(pattern.slice(0, -1)) : n === pattern;
}

/** A bare "+" matches every interface: the kernel mask is empty and iptables prints nothing. */
export function isAnyIface(pattern: string): boolean {
  return pattern === '+';
}
