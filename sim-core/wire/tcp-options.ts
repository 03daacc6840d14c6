/**
 * TCP options (RFC 9293 §3.2): a list of kind[, length, data…] entries.
 *
 *   kind  len  option                      RFC
 *      0    1  End of option list (EOL)    9293
 *      1    1  No-operation (NOP)          9293
 *      2    4  Maximum segment size        9293
 *      3    3  Window scale (shift)        7323 §2
 *      4    2  SACK permitted              2018
 *      5  var  SACK blocks (left, right)   2018
 *      8   10  Timestamps (TSval, TSecr)   7323 §3
 *
 * Anything else, or a known kind with an unexpected length, is kept as
 * `unknown` with its raw data so it round-trips byte for byte.
 */
export type TcpOption =
  | { kind: 'eol' }
  | { kind: 'nop' }
  | { kind: 'mss'; value: number }
  | { kind: 'windowScale'; shift: number }
  | { kind: 'sackPermitted' }
  | { kind: 'sack'; blocks: [number, number][] }
  | { kind: 'timestamps'; tsval: number; tsecr: number }
  | { kind: 'unknown'; code: number; data: Uint8Array };

export const TCP_OPT_EOL = 0;
export const TCP_OPT_NOP = 1;
export const TCP_OPT_MSS = 2;
export const TCP_OPT_WSCALE = 3;
export const TCP_OPT_SACK_PERM = 4;
export const TCP_OPT_SACK = 5;
export const TCP_OPT_TIMESTAMP = 8;

const u32 = (b: Uint8Array, o: number) =>
  ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;

function put32(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 24) & 0xff;
  b[o + 1] = (v >>> 16) & 0xff;
  b[o + 2] = (v >>> 8) & 0xff;
  b[o + 3] = v & 0xff;
}

/** Parses the option area (bytes between offset 20 and the data offset). Stops at EOL. */
export function readTcpOptions(area: Uint8Array): TcpOption[] {
  const out: TcpOption[] = [];
  let i = 0;
  while (i < area.length) {
    const code = area[i];
    if (code === TCP_OPT_EOL) {
      out.push({ kind: 'eol' }); // the rest is padding
      break;
    }
    if (code === TCP_OPT_NOP) {
      out.push({ kind: 'nop' });
      i += 1;
      continue;
    }
    const len = area[i + 1];
    if (i + 1 >= area.length || len < 2 || i + len > area.length) {
      throw new RangeError(`malformed TCP option kind ${code} at ${i}`);
    }
    const d = area.subarray(i + 2, i + len);
    if (code === TCP_OPT_MSS && len === 4) out.push({ kind: 'mss', value: (d[0] << 8) | d[1] });
    else if (code === TCP_OPT_WSCALE && len === 3) out.push({ kind: 'windowScale', shift: d[0] });
    else if (code === TCP_OPT_SACK_PERM && len === 2) out.push({ kind: 'sackPermitted' });
    else if (code === TCP_OPT_TIMESTAMP && len === 10) {
      out.push({ kind: 'timestamps', tsval: u32(d, 0), tsecr: u32(d, 4) });
    } else if (code === TCP_OPT_SACK && (len - 2) % 8 === 0) {
      const blocks: [number, number][] = [];
      for (let j = 0; j < d.length; j += 8) blocks.push([u32(d, j), u32(d, j + 4)]);
      out.push({ kind: 'sack', blocks });
    } else out.push({ kind: 'unknown', code, data: d.slice() });
    i += len;
  }
  return out;
}

/** Encoded length of one option. */
export function tcpOptionLen(opt: TcpOption): number {
  switch (opt.kind) {
    case 'eol':
    case 'nop':
      return 1;
    case 'mss':
      return 4;
    case 'windowScale':
      return 3;
    case 'sackPermitted':
      return 2;
    case 'sack':
      return 2 + 8 * opt.blocks.length;
    case 'timestamps':
      return 10;
    case 'unknown':
      return 2 + opt.data.length;
  }
}

/** Unpadded length of the option list. */
export function tcpOptionsLen(opts: readonly TcpOption[]): number {
  return opts.reduce((n, o) => n + tcpOptionLen(o), 0);
}

/** Writes the options at buf[offset]; returns bytes written (no padding). */
export function writeTcpOptions(
  opts: readonly TcpOption[],
  buf: Uint8Array,
  offset: number,
): number {
  let i = offset;
  for (const opt of opts) {
    const len = tcpOptionLen(opt);
    switch (opt.kind) {
      case 'eol':
        buf[i] = TCP_OPT_EOL;
        break;
      case 'nop':
        buf[i] = TCP_OPT_NOP;
        break;
      case 'mss':
        buf.set([TCP_OPT_MSS, 4, (opt.value >> 8) & 0xff, opt.value & 0xff], i);
        break;
      case 'windowScale':
        buf.set([TCP_OPT_WSCALE, 3, opt.shift], i);
        break;
      case 'sackPermitted':
        buf.set([TCP_OPT_SACK_PERM, 2], i);
        break;
      case 'sack':
        buf.set([TCP_OPT_SACK, len], i);
        opt.blocks.forEach(([l, r], j) => {
          put32(buf, i + 2 + 8 * j, l);
          put32(buf, i + 6 + 8 * j, r);
        });
        break;
      case 'timestamps':
        buf.set([TCP_OPT_TIMESTAMP, 10], i);
        put32(buf, i + 2, opt.tsval);
        put32(buf, i + 6, opt.tsecr);
        break;
      case 'unknown':
        buf.set([opt.code, len], i);
        buf.set(opt.data, i + 2);
        break;
    }
    i += len;
  }
  return i - offset;
}

/**
 * Linux's SYN / SYN-ACK options in tcp_options_write() order: MSS, SACK_PERM,
 * TS, NOP, WS (reference same-node frames 5-6: MSS 1460, WS 10).
 */
export function linuxSynOptions(o: {
  mss: number;
  tsval: number;
  tsecr: number;
  windowScale: number;
}): TcpOption[] {
  return [
    { kind: 'mss', value: o.mss },
    { kind: 'sackPermitted' },
    { kind: 'timestamps', tsval: o.tsval, tsecr: o.tsecr },
    { kind: 'nop' },
    { kind: 'windowScale', shift: o.windowScale },
  ];
}

/** Options on every later Linux segment: NOP, NOP, TS (reference same-node frame 7). */
export function linuxTimestampOptions(tsval: number, tsecr: number): TcpOption[] {
  return [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'timestamps', tsval, tsecr }];
}
