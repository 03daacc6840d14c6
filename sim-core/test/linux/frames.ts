/**
 * Frames compared field by field, with the kernel test's own small
 * dissector (not the simulator's parser): Ethernet, ARP, IPv4, ICMP, TCP,
 * UDP and VXLAN with its inner frame. Every field is compared byte for byte
 * except the ones Linux makes random per run, and those are still held to
 * their pattern:
 *
 *  - IP ID: random, but zero where Linux writes zero (SYN-ACK, RST) — both
 *    zero or both not;
 *  - IP header and ICMP checksums: they cover random fields, so each side's
 *    must be valid instead;
 *  - ICMP echo identifier (ping's PID) and the timeval ping puts first in
 *    its payload;
 *  - TCP ephemeral ports and the outer UDP source port of VXLAN (flannel's
 *    flow hash, random per boot): both sides in ip_local_port_range;
 *  - TCP sequence and acknowledgement numbers, TSval and TSecr;
 *  - TCP and UDP checksums: veth leaves them CHECKSUM_PARTIAL, so a capture
 *    holds the pseudo-header sum where a NIC would write the checksum (and
 *    VXLAN's outer one Local Checksum Offload's); each side's must be one
 *    of those or a valid checksum.
 */

type Check = 'exact' | 'random' | 'ip-id' | 'checksum' | 'l4-checksum' | 'port';
type Format = 'mac' | 'ip' | 'num' | 'hex';

export interface Field {
  readonly name: string;
  readonly start: number;
  readonly end: number;
  readonly check: Check;
  readonly format: Format;
  /** For 'checksum': the bytes the checksum covers; for 'l4-checksum', the segment. */
  readonly covers?: readonly [number, number];
  /** For 'l4-checksum': where the IPv4 header starts (the pseudo-header's addresses). */
  readonly ip?: number;
}

/** Ports that are a service's, not an ephemeral one. */
const FIXED_PORTS = new Set([80, 8080, 8472, 4789]);
/** VXLAN's UDP ports: flannel's 8472 (the kernel's old default) and IANA's 4789 (Calico's). */
const VXLAN_PORTS = new Set([8472, 4789]);
/** net.ipv4.ip_local_port_range, which also bounds VXLAN's flow-hash source port. */
const ephemeral = (port: number) => port >= 32768 && port <= 60999;

const u16 = (f: Uint8Array, o: number) => (f[o] << 8) | f[o + 1];

class Layout {
  readonly fields: Field[] = [];
  constructor(private readonly prefix: string) {}
  add(
    name: string,
    start: number,
    len: number,
    format: Format = 'num',
    check: Check = 'exact',
    covers?: [number, number],
    ip?: number,
  ) {
    const end = start + len;
    this.fields.push({ name: this.prefix + name, start, end, check, format, covers, ip });
  }
}

/** The fields of an Ethernet frame starting at `base`. */
export function layout(frame: Uint8Array, base = 0, prefix = ''): Field[] {
  const l = new Layout(prefix);
  l.add('eth.dst', base, 6, 'mac');
  l.add('eth.src', base + 6, 6, 'mac');
  l.add('eth.type', base + 12, 2, 'hex');
  const type = u16(frame, base + 12);
  let end = base + 14;
  if (type === 0x0806) end = arp(l, base + 14);
  else if (type === 0x0800) end = ipv4(l, frame, base + 14, prefix);
  if (end < frame.length) l.add('trailer', end, frame.length - end, 'hex');
  return l.fields;
}

function arp(l: Layout, o: number): number {
  l.add('arp.hw_type', o, 2);
  l.add('arp.proto_type', o + 2, 2, 'hex');
  l.add('arp.hw_size', o + 4, 1);
  l.add('arp.proto_size', o + 5, 1);
  l.add('arp.opcode', o + 6, 2);
  l.add('arp.src.hw_mac', o + 8, 6, 'mac');
  l.add('arp.src.proto_ipv4', o + 14, 4, 'ip');
  l.add('arp.dst.hw_mac', o + 18, 6, 'mac');
  l.add('arp.dst.proto_ipv4', o + 24, 4, 'ip');
  return o + 28;
}

function ipv4(l: Layout, f: Uint8Array, o: number, prefix: string): number {
  const ihl = (f[o] & 0x0f) * 4;
  const total = u16(f, o + 2);
  l.add('ip.version_ihl', o, 1, 'hex');
  l.add('ip.dsfield', o + 1, 1, 'hex');
  l.add('ip.len', o + 2, 2);
  l.add('ip.id', o + 4, 2, 'hex', 'ip-id');
  l.add('ip.flags_frag', o + 6, 2, 'hex');
  l.add('ip.ttl', o + 8, 1);
  l.add('ip.proto', o + 9, 1);
  l.add('ip.checksum', o + 10, 2, 'hex', 'checksum', [o, o + ihl]);
  l.add('ip.src', o + 12, 4, 'ip');
  l.add('ip.dst', o + 16, 4, 'ip');
  if (ihl > 20) l.add('ip.options', o + 20, ihl - 20, 'hex');
  const p = o + ihl;
  const end = Math.min(o + total, f.length);
  if (f[o + 9] === 1) icmp(l, f, p, end);
  else if (f[o + 9] === 6) tcp(l, f, o, p, end);
  else if (f[o + 9] === 17) udp(l, f, o, p, end, prefix);
  else if (end > p) l.add('ip.payload', p, end - p, 'hex');
  return end;
}

function icmp(l: Layout, f: Uint8Array, o: number, end: number): void {
  l.add('icmp.type', o, 1);
  l.add('icmp.code', o + 1, 1);
  l.add('icmp.checksum', o + 2, 2, 'hex', 'checksum', [o, end]);
  const echo = f[o] === 0 || f[o] === 8;
  l.add('icmp.ident', o + 4, 2, 'hex', echo ? 'random' : 'exact');
  l.add('icmp.seq', o + 6, 2);
  // iputils ping: a struct timeval (16 bytes on 64-bit Linux), then 0x10, 0x11, …
  const data = o + 8;
  if (echo && end - data >= 16) {
    l.add('icmp.timeval', data, 16, 'hex', 'random');
    if (end > data + 16) l.add('icmp.data', data + 16, end - data - 16, 'hex');
  } else if (end > data) l.add('icmp.data', data, end - data, 'hex');
}

function tcp(l: Layout, f: Uint8Array, ip: number, o: number, end: number): void {
  const off = (f[o + 12] >> 4) * 4;
  l.add('tcp.srcport', o, 2, 'num', 'port');
  l.add('tcp.dstport', o + 2, 2, 'num', 'port');
  l.add('tcp.seq', o + 4, 4, 'num', 'random');
  l.add('tcp.ack', o + 8, 4, 'num', 'random');
  l.add('tcp.hdr_len_flags', o + 12, 2, 'hex');
  l.add('tcp.window', o + 14, 2);
  l.add('tcp.checksum', o + 16, 2, 'hex', 'l4-checksum', [o, end], ip);
  l.add('tcp.urgent', o + 18, 2);
  let p = o + 20;
  while (p < o + off) {
    const kind = f[p];
    if (kind === 0 || kind === 1) {
      l.add(`tcp.option(${kind})`, p, 1);
      p += 1;
      continue;
    }
    const len = Math.max(2, f[p + 1]);
    l.add(`tcp.option(${kind}).kind_len`, p, 2, 'hex');
    if (kind === 8) {
      l.add('tcp.option(TS).tsval', p + 2, 4, 'num', 'random');
      l.add('tcp.option(TS).tsecr', p + 6, 4, 'num', 'random');
    } else if (len > 2) l.add(`tcp.option(${kind}).value`, p + 2, len - 2, 'hex');
    p += len;
  }
  if (end > o + off) l.add('tcp.payload', o + off, end - o - off, 'hex');
}

function udp(l: Layout, f: Uint8Array, ip: number, o: number, end: number, prefix: string): void {
  const vxlan = VXLAN_PORTS.has(u16(f, o + 2));
  l.add('udp.srcport', o, 2, 'num', 'port');
  l.add('udp.dstport', o + 2, 2, 'num', 'port');
  l.add('udp.length', o + 4, 2);
  l.add('udp.checksum', o + 6, 2, 'hex', 'l4-checksum', [o, end], ip);
  const p = o + 8;
  if (!vxlan || end - p < 8 + 14) {
    if (end > p) l.add('udp.payload', p, end - p, 'hex');
    return;
  }
  l.add('vxlan.flags', p, 4, 'hex');
  l.add('vxlan.vni', p + 4, 3);
  l.add('vxlan.reserved', p + 7, 1, 'hex');
  l.fields.push(...layout(f.subarray(0, end), p + 8, `${prefix}inner.`));
}

/** The ones' complement sum (RFC 1071) of f[s, e), folded to 16 bits, plus `extra`. */
function sum16(f: Uint8Array, s: number, e: number, extra = 0): number {
  let sum = extra;
  for (let i = s; i < e; i += 2) sum += (f[i] << 8) | (i + 1 < e ? f[i + 1] : 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

const ipChecksumOk = (f: Uint8Array, [s, e]: readonly [number, number]) =>
  e <= f.length && sum16(f, s, e) === 0xffff;

/** The pseudo-header's sum for a TCP or UDP checksum field (RFC 793 §3.1, RFC 768). */
function pseudoSum(f: Uint8Array, field: Field): number {
  const [s, e] = field.covers!;
  return sum16(f, field.ip! + 12, field.ip! + 20, f[field.ip! + 9] + (e - s));
}

const l4Valid = (f: Uint8Array, field: Field) =>
  sum16(f, field.covers![0], field.covers![1], pseudoSum(f, field)) === 0xffff;

/** A copy of a VXLAN frame with the inner TCP/UDP checksum finished, as a NIC would. */
function finishInner(f: Uint8Array): Uint8Array {
  const g = f.slice();
  for (const field of layout(f)) {
    if (field.check !== 'l4-checksum' || !field.name.startsWith('inner.')) continue;
    g[field.start] = g[field.start + 1] = 0;
    const c = ~sum16(g, field.covers![0], field.covers![1], pseudoSum(g, field)) & 0xffff;
    g[field.start] = c >> 8;
    g[field.start + 1] = c & 0xff;
  }
  return g;
}

/**
 * A TCP or UDP checksum is complete, or what veth hands on for
 * CHECKSUM_PARTIAL: the folded pseudo-header sum alone (~tcp_v4_check(len,
 * saddr, daddr, 0)), for the NIC to finish. A VXLAN packet whose inner
 * segment is partial gets its outer UDP checksum from Local Checksum Offload
 * (udp_set_csum → lco_csum): right once the inner checksum is finished.
 */
function l4ChecksumOk(f: Uint8Array, field: Field): boolean {
  if (field.covers![1] > f.length) return false;
  if (l4Valid(f, field) || value(f, field) === pseudoSum(f, field)) return true;
  return !field.name.startsWith('inner.') && l4Valid(finishInner(f), field);
}

function show(f: Uint8Array, field: Field): string {
  const b = [...f.subarray(field.start, field.end)];
  if (b.length < field.end - field.start) return '(absent)';
  if (field.format === 'mac') return b.map((x) => x.toString(16).padStart(2, '0')).join(':');
  if (field.format === 'ip') return b.join('.');
  const n = b.reduce((a, x) => a * 256 + x, 0);
  if (field.format === 'num' && b.length <= 4) return String(n);
  return b.length <= 4
    ? `0x${n.toString(16).padStart(b.length * 2, '0')}`
    : b.map((x) => x.toString(16).padStart(2, '0')).join('');
}

const value = (f: Uint8Array, field: Field) =>
  [...f.subarray(field.start, field.end)].reduce((a, x) => a * 256 + x, 0);

/** Why a field of our frame does not pass against the kernel's, or undefined when it does. */
function judge(field: Field, ours: Uint8Array, real: Uint8Array): string | undefined {
  const a = ours.subarray(field.start, field.end);
  const b = real.subarray(field.start, field.end);
  const same = a.length === b.length && a.every((x, i) => x === b[i]);
  const both = `ours ${show(ours, field)}, real ${show(real, field)}`;
  switch (field.check) {
    case 'exact':
      return same ? undefined : both;
    case 'random':
      return undefined;
    case 'ip-id':
      return (value(ours, field) === 0) === (value(real, field) === 0)
        ? undefined
        : `${both} (zero on one side only)`;
    case 'port': {
      const fixed = FIXED_PORTS.has(value(real, field)) || FIXED_PORTS.has(value(ours, field));
      if (fixed) return same ? undefined : both;
      const outside = [value(ours, field), value(real, field)].some((p) => !ephemeral(p));
      return outside ? `${both} (not both in ip_local_port_range 32768–60999)` : undefined;
    }
    case 'checksum':
    case 'l4-checksum': {
      const ok = (f: Uint8Array) =>
        field.check === 'checksum' ? ipChecksumOk(f, field.covers!) : l4ChecksumOk(f, field);
      const bad = [...(ok(ours) ? [] : ['ours']), ...(ok(real) ? [] : ['real'])];
      return bad.length ? `${both} (${bad.join(' and ')} not a valid checksum)` : undefined;
    }
  }
}

/** What differs between our frame and the kernel's, one line per field ("ip.ttl (byte 22): ours 64, real 63"). */
export function diffFrame(ours: Uint8Array, real: Uint8Array): string[] {
  const out: string[] = [];
  if (ours.length !== real.length) out.push(`length: ours ${ours.length}, real ${real.length}`);
  for (const field of layout(real)) {
    const why = judge(field, ours, real);
    const n = field.end - field.start;
    const bytes = n > 1 ? `bytes ${field.start}–${field.end - 1}` : `byte ${field.start}`;
    if (why) out.push(`${field.name} (${bytes}): ${why}`);
  }
  return out;
}

/** One line naming a frame, for messages ("ARP 10.244.0.2 → who has 10.244.0.3"). */
export function describeFrame(f: Uint8Array): string {
  const at = (o: number) => [...f.subarray(o, o + 4)].join('.');
  const type = u16(f, 12);
  if (type === 0x0806) return `ARP ${u16(f, 20) === 1 ? 'request' : 'reply'} ${at(28)} → ${at(38)}`;
  if (type !== 0x0800) return `ethertype 0x${type.toString(16)}`;
  const ihl = (f[14] & 0x0f) * 4;
  const p = 14 + ihl;
  const ends = `${at(26)} → ${at(30)} ttl ${f[22]}`;
  if (f[23] === 1) return `ICMP type ${f[p]} ${ends}`;
  if (f[23] === 6) {
    const flags = ['FIN', 'SYN', 'RST', 'PSH', 'ACK'].filter((_, i) => f[p + 13] & (1 << i));
    return `TCP ${u16(f, p)} → ${u16(f, p + 2)} [${flags.join(',')}] ${ends}`;
  }
  if (f[23] === 17) {
    if (VXLAN_PORTS.has(u16(f, p + 2)))
      return `VXLAN ${ends} [${describeFrame(f.subarray(p + 16))}]`;
    return `UDP ${u16(f, p)} → ${u16(f, p + 2)} ${ends}`;
  }
  return `IP proto ${f[23]} ${ends}`;
}

/** A frame's kind without the numbers random per run: frames of one kind can be compared. */
const shape = (f: Uint8Array) => describeFrame(f).replace(/\b\d{5}\b/g, '*');

/**
 * Every difference between two captures of one device; [] when they agree.
 * Frames are compared in order; when the captures differ in length, both
 * are listed and comparison stops where the kinds of frames part ways.
 */
export function diffCaptures(ours: readonly Uint8Array[], real: readonly Uint8Array[]): string[] {
  const out: string[] = [];
  let n = Math.min(ours.length, real.length);
  if (ours.length !== real.length) {
    out.push(`frame count: ours ${ours.length}, real ${real.length}`);
    for (let i = 0; i < Math.max(ours.length, real.length); i++) {
      const a = ours[i] ? describeFrame(ours[i]) : '—';
      out.push(`  ${i + 1}: ours ${a} | real ${real[i] ? describeFrame(real[i]) : '—'}`);
    }
    const parted = [...Array(n).keys()].find((i) => shape(ours[i]) !== shape(real[i]));
    if (parted !== undefined) n = parted;
  }
  for (let i = 0; i < n; i++) {
    const d = diffFrame(ours[i], real[i]);
    if (d.length) out.push(`frame ${i + 1} (real: ${describeFrame(real[i])}): ${d.join('; ')}`);
  }
  return out;
}
