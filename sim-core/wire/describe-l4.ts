/**
 * Wireshark-style layers and Info text for the payloads of IPv4 that the
 * simulator produces: ICMP and TCP (with options). Offsets are absolute in
 * the frame; `base` is where the ICMP message / TCP segment starts.
 * Labels follow Wireshark 4.0's packet-icmp.c / packet-tcp.c tree lines
 * (compare linux-reference same-node.dissect.txt frames 3-7).
 */
import type { Ip4 } from '../model.ts';
import type { Field, Layer } from './layers.ts';
import { transportChecksum, internetChecksum } from './checksum.ts';
import { IP_PROTO_TCP } from './ipv4.ts';
import { parseIcmp, ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST } from './icmp.ts';
import { parseTcp } from './tcp.ts';
import type { TcpFlags } from './tcp.ts';
import type { TcpOption } from './tcp-options.ts';
import { tcpOptionLen } from './tcp-options.ts';
import {
  bit,
  checksumField,
  colonHex,
  decHex,
  field,
  hex,
  setOrNot,
  wiresharkTime,
} from './describe-util.ts';

const ICMP_TYPES: Record<number, string> = {
  0: 'Echo (ping) reply',
  3: 'Destination unreachable',
  8: 'Echo (ping) request',
  11: 'Time-to-live exceeded',
};
const UNREACH_CODES: Record<number, string> = {
  0: 'Network unreachable',
  1: 'Host unreachable',
  3: 'Port unreachable',
  4: 'Fragmentation needed',
  13: 'Communication administratively filtered',
};

const isEcho = (t: number) => t === ICMP_ECHO_REQUEST || t === ICMP_ECHO_REPLY;
const swap16 = (n: number) => ((n & 0xff) << 8) | (n >> 8);

/** ICMP layer fields; `rest` gets what Wireshark shows after the header (timestamp, data). */
export function icmpFields(msg: Uint8Array, base: number): { fields: Field[]; dataStart: number } {
  const { repr, checksum } = parseIcmp(msg);
  const zeroed = msg.slice();
  zeroed[2] = zeroed[3] = 0;
  const typeName = ICMP_TYPES[repr.type];
  const fields: Field[] = [
    field('icmp.type', 'Type', typeName ? `${repr.type} (${typeName})` : repr.type, base, 1, {
      raw: String(repr.type),
    }),
    field('icmp.code', 'Code', repr.code, base + 1, 1),
    checksumField(
      'icmp',
      'Checksum',
      'Checksum Status',
      checksum,
      internetChecksum(zeroed),
      base + 2,
    ),
  ];
  let dataStart = 8;
  if (isEcho(repr.type)) {
    const { identifier: id, sequence: seq } = repr;
    fields.push(
      field('icmp.ident', 'Identifier (BE)', decHex(id, 4), base + 4, 2, { raw: String(id) }),
      field('icmp.ident_le', 'Identifier (LE)', decHex(swap16(id), 4), base + 4, 2, {
        raw: String(swap16(id)),
      }),
      field('icmp.seq', 'Sequence Number (BE)', decHex(seq, 4), base + 6, 2, { raw: String(seq) }),
      field('icmp.seq_le', 'Sequence Number (LE)', decHex(swap16(seq), 4), base + 6, 2, {
        raw: String(swap16(seq)),
      }),
    );
    // Wireshark reads a leading 32-bit sec + 32-bit usec little-endian timeval
    // when it looks like one; with iputils' 64-bit timeval the usec half is the
    // high half of tv_sec, i.e. 0 (same-node.dissect.txt frame 3).
    const d = repr.data;
    if (d.length >= 8) {
      const v = new DataView(d.buffer, d.byteOffset, 8);
      const sec = v.getUint32(0, true);
      const usec = v.getUint32(4, true);
      if (sec >= 946684800 && sec < 4102444800 && usec < 1e6) {
        fields.push(
          field(
            'icmp.data_time',
            'Timestamp from icmp data',
            wiresharkTime(sec, usec * 1000),
            base + 8,
            8,
          ),
        );
        dataStart = 16;
      }
    }
  } else {
    fields.push(field('icmp.unused', 'Rest of header', colonHex(msg.subarray(4, 8)), base + 4, 4));
  }
  return { fields, dataStart };
}

export function icmpInfo(msg: Uint8Array, ttl: number): string {
  const { repr } = parseIcmp(msg);
  const name = ICMP_TYPES[repr.type] ?? `Type ${repr.type}`;
  if (isEcho(repr.type)) {
    // tshark pads the name so "request"/"reply" lines align (same-node.summary.txt).
    return `${name.padEnd(20)} id=${hex(repr.identifier, 4)}, seq=${repr.sequence}/${swap16(repr.sequence)}, ttl=${ttl}`;
  }
  if (repr.type === 3) return `${name} (${UNREACH_CODES[repr.code] ?? `Code ${repr.code}`})`;
  if (repr.type === 11) return `${name} (Time to live exceeded in transit)`;
  return name;
}

const FLAG_ORDER: [keyof TcpFlags, string][] = [
  ['fin', 'FIN'],
  ['syn', 'SYN'],
  ['rst', 'RST'],
  ['psh', 'PSH'],
  ['ack', 'ACK'],
  ['urg', 'URG'],
  ['ece', 'ECE'],
  ['cwr', 'CWR'],
];

function flagNames(f: TcpFlags): string {
  return FLAG_ORDER.filter(([k]) => f[k])
    .map(([, n]) => n)
    .join(', ');
}

const OPT_NAMES: Record<TcpOption['kind'], [string, string, number]> = {
  eol: ['tcp.options.eol', 'End of Option List (EOL)', 0],
  nop: ['tcp.options.nop', 'No-Operation (NOP)', 1],
  mss: ['tcp.options.mss', 'Maximum segment size', 2],
  windowScale: ['tcp.options.wscale', 'Window scale', 3],
  sackPermitted: ['tcp.options.sack_perm', 'SACK permitted', 4],
  sack: ['tcp.options.sack', 'SACK', 5],
  timestamps: ['tcp.options.timestamp', 'Timestamps', 8],
  unknown: ['tcp.options.unknown', 'Unknown', -1],
};
const KIND_NAMES: Record<number, string> = {
  0: 'End of Option List',
  1: 'No-Operation',
  2: 'Maximum Segment Size',
  3: 'Window Scale',
  4: 'SACK Permitted',
  5: 'SACK',
  8: 'Time Stamp Option',
};

function optionField(opt: TcpOption, bytes: Uint8Array, off: number): Field {
  const [name, title, k] = OPT_NAMES[opt.kind];
  const kind = opt.kind === 'unknown' ? opt.code : k;
  const len = tcpOptionLen(opt);
  const kids: Field[] = [
    field('tcp.option_kind', 'Kind', `${KIND_NAMES[kind] ?? 'Unknown'} (${kind})`, off, 1, {
      raw: String(kind),
    }),
  ];
  if (len > 1) kids.push(field('tcp.option_len', 'Length', len, off + 1, 1));
  let value = '';
  if (opt.kind === 'mss') {
    kids.push(field('tcp.options.mss_val', 'MSS Value', opt.value, off + 2, 2));
    value = `${opt.value} bytes`;
  } else if (opt.kind === 'windowScale') {
    const mult = 2 ** Math.min(opt.shift, 14);
    kids.push(field('tcp.options.wscale.shift', 'Shift count', opt.shift, off + 2, 1));
    kids.push(
      field('tcp.options.wscale.multiplier', 'Multiplier', mult, off + 2, 1, { generated: true }),
    );
    value = `${opt.shift} (multiply by ${mult})`;
  } else if (opt.kind === 'timestamps') {
    kids.push(field('tcp.options.timestamp.tsval', 'Timestamp value', opt.tsval, off + 2, 4));
    kids.push(field('tcp.options.timestamp.tsecr', 'Timestamp echo reply', opt.tsecr, off + 6, 4));
    value = `TSval ${opt.tsval}, TSecr ${opt.tsecr}`;
  } else if (opt.kind === 'sack') {
    value = opt.blocks.map(([l, r]) => `${l}-${r}`).join(' ');
  }
  return field(name, `TCP Option - ${title}`, value, off, len, {
    raw: colonHex(bytes.subarray(off, off + len)),
    children: kids,
  });
}

/** TCP layer (title and fields) for the segment at frame[base..]. */
export function tcpLayer(
  frame: Uint8Array,
  base: number,
  seg: Uint8Array,
  src: Ip4,
  dst: Ip4,
): Layer {
  const { repr: r, checksum, headerLen } = parseTcp(seg);
  const zeroed = seg.slice();
  zeroed[16] = zeroed[17] = 0;
  const flagsWord = ((seg[12] & 0x0f) << 8) | seg[13];
  const flagBits: [string, string, boolean][] = [
    ['tcp.flags.res', 'Reserved', (seg[12] & 0x0e) !== 0],
    ['tcp.flags.ae', 'Accurate ECN', (seg[12] & 0x01) !== 0],
    ['tcp.flags.cwr', 'Congestion Window Reduced', r.flags.cwr],
    ['tcp.flags.ece', 'ECN-Echo', r.flags.ece],
    ['tcp.flags.urg', 'Urgent', r.flags.urg],
    ['tcp.flags.ack', 'Acknowledgment', r.flags.ack],
    ['tcp.flags.push', 'Push', r.flags.psh],
    ['tcp.flags.reset', 'Reset', r.flags.rst],
    ['tcp.flags.syn', 'Syn', r.flags.syn],
    ['tcp.flags.fin', 'Fin', r.flags.fin],
  ];
  const names = flagNames(r.flags);
  const fields: Field[] = [
    field('tcp.srcport', 'Source Port', r.srcPort, base, 2),
    field('tcp.dstport', 'Destination Port', r.dstPort, base + 2, 2),
    field('tcp.len', 'TCP Segment Len', r.payload.length, base + 12, 1, { generated: true }),
    field('tcp.seq_raw', 'Sequence Number (raw)', r.seq, base + 4, 4),
    field('tcp.ack_raw', 'Acknowledgment number (raw)', r.ack, base + 8, 4),
    field('tcp.hdr_len', 'Header Length', `${headerLen} bytes (${headerLen / 4})`, base + 12, 1, {
      raw: String(headerLen),
    }),
    field('tcp.flags', 'Flags', `${hex(flagsWord, 3)}${names ? ` (${names})` : ''}`, base + 12, 2, {
      raw: hex(flagsWord, 4),
      children: flagBits.map(([n, l, b]) =>
        field(
          n,
          l,
          setOrNot(b),
          base + (n === 'tcp.flags.res' || n === 'tcp.flags.ae' ? 12 : 13),
          1,
          { raw: bit(b) },
        ),
      ),
    }),
    field('tcp.window_size_value', 'Window', r.window, base + 14, 2),
    checksumField(
      'tcp',
      'Checksum',
      'Checksum Status',
      checksum,
      transportChecksum(zeroed, src, dst, IP_PROTO_TCP),
      base + 16,
    ),
    field('tcp.urgent_pointer', 'Urgent Pointer', r.urgentPointer, base + 18, 2),
  ];
  if (headerLen > 20) {
    let off = base + 20;
    const kids = r.options.map((o) => {
      const f = optionField(o, frame, off);
      off += tcpOptionLen(o);
      return f;
    });
    const list = r.options
      .map((o) => (o.kind === 'unknown' ? 'Unknown' : OPT_NAMES[o.kind][1]))
      .join(', ');
    fields.push(
      field(
        'tcp.options',
        'Options',
        `(${headerLen - 20} bytes), ${list}`,
        base + 20,
        headerLen - 20,
        {
          raw: colonHex(seg.subarray(20, headerLen)),
          children: kids,
        },
      ),
    );
  }
  const ack = r.flags.ack ? `, Ack: ${r.ack}` : '';
  return {
    protocol: 'tcp',
    title: `Transmission Control Protocol, Src Port: ${r.srcPort}, Dst Port: ${r.dstPort}, Seq: ${r.seq}${ack}, Len: ${r.payload.length}`,
    offset: base,
    length: headerLen,
    fields,
  };
}

/** "33944 → 8080 [SYN] Seq=… Win=64240 Len=0 MSS=1460 SACK_PERM TSval=… TSecr=0 WS=1024" (raw seq/ack, unscaled window). */
export function tcpInfo(seg: Uint8Array): string {
  const { repr: r } = parseTcp(seg);
  const parts = [`${r.srcPort} → ${r.dstPort} [${flagNames(r.flags) || '<None>'}] Seq=${r.seq}`];
  if (r.flags.ack) parts.push(`Ack=${r.ack}`);
  parts.push(`Win=${r.window}`);
  if (r.flags.urg) parts.push(`Urg=${r.urgentPointer}`);
  parts.push(`Len=${r.payload.length}`);
  for (const o of r.options) {
    if (o.kind === 'mss') parts.push(`MSS=${o.value}`);
    else if (o.kind === 'sackPermitted') parts.push('SACK_PERM');
    else if (o.kind === 'timestamps') parts.push(`TSval=${o.tsval} TSecr=${o.tsecr}`);
    else if (o.kind === 'windowScale') parts.push(`WS=${2 ** Math.min(o.shift, 14)}`);
    else if (o.kind === 'sack') parts.push(...o.blocks.map(([l, rr]) => `SLE=${l} SRE=${rr}`));
  }
  return parts.join(' ');
}
