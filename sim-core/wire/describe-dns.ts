/**
 * The DNS layer as Wireshark 4.0's packet-dns.c shows it: header, flags
 * (query and response have different bit lists), counts, then each question
 * and resource record with its fields. Offsets are absolute in the frame;
 * `base` is where the DNS message starts. Names on the wire may be
 * compressed, so their byte lengths are measured here, not recomputed.
 */
import type { Field, Layer } from './layers.ts';
import type { DnsMessage, DnsRecord } from './dns.ts';
import { parseDns, RCODE_NAMES } from './dns.ts';
import { bit, colonHex, field, hex } from './describe-util.ts';

const RCODE_TEXT: Record<number, string> = {
  0: 'No error',
  1: 'Format error',
  2: 'Server failure',
  3: 'No such name',
  4: 'Not implemented',
  5: 'Refused',
};
const TYPE_TEXT: Record<string, string> = {
  A: 'Host Address',
  NS: 'authoritative Name Server',
  CNAME: 'Canonical NAME for an alias',
  SOA: 'Start Of a zone of Authority',
  PTR: 'domain name PoinTeR',
  MX: 'Mail eXchange',
  TXT: 'Text strings',
  AAAA: 'IP6 Address',
  SRV: 'Server Selection',
  OPT: '',
};

/** Wire length of the name at `at` (up to and including its 0 byte or pointer). */
function nameLen(b: Uint8Array, at: number): number {
  let p = at;
  for (;;) {
    const l = b[p];
    if (l === undefined) throw new RangeError('name runs past the message');
    if ((l & 0xc0) === 0xc0) return p + 2 - at;
    if (l === 0) return p + 1 - at;
    p += l + 1;
  }
}

const u16 = (b: Uint8Array, at: number) => (b[at] << 8) | b[at + 1];
const shown = (n: string) => (n === '.' || n === '' ? '<Root>' : n);

function flagFields(m: DnsMessage, w: number, at: number): Field[] {
  const f = (name: string, label: string, v: boolean | number) =>
    field(name, label, typeof v === 'number' ? v : v ? 'Set' : 'Not set', at, 2, {
      raw: typeof v === 'number' ? String(v) : bit(v),
    });
  const out = [
    f('dns.flags.response', 'Response', m.qr),
    f('dns.flags.opcode', 'Opcode', m.opcode),
  ];
  if (m.qr) out.push(f('dns.flags.authoritative', 'Authoritative', m.aa));
  out.push(f('dns.flags.truncated', 'Truncated', m.tc));
  out.push(f('dns.flags.recdesired', 'Recursion desired', m.rd));
  if (m.qr) out.push(f('dns.flags.recavail', 'Recursion available', m.ra));
  out.push(f('dns.flags.z', 'Z', m.z));
  if (m.qr) out.push(f('dns.flags.authenticated', 'Answer authenticated', m.ad));
  else if (m.ad) out.push(f('dns.flags.authenticated', 'AD bit', m.ad));
  out.push(f('dns.flags.checkdisable', 'Non-authenticated data', m.cd));
  if (m.qr) out.push(f('dns.flags.rcode', 'Reply code', w & 0xf));
  return out;
}

function rdataFields(r: DnsRecord, at: number, len: number, b: Uint8Array, rel: number): Field[] {
  const f = (name: string, label: string, v: string | number, off = at, l = len) =>
    field(name, label, v, off, l);
  switch (r.type) {
    case 'A':
      return [f('dns.a', 'Address', r.data)];
    case 'AAAA':
      return [f('dns.aaaa', 'AAAA Address', r.data)];
    case 'CNAME':
      return [f('dns.cname', 'CNAME', r.data)];
    case 'PTR':
      return [f('dns.ptr.domain_name', 'Domain Name', r.data)];
    case 'NS':
      return [f('dns.ns', 'Name Server', r.data)];
    case 'SRV':
      return [
        f('dns.srv.priority', 'Priority', r.data.priority ?? 0, at, 2),
        f('dns.srv.weight', 'Weight', r.data.weight ?? 0, at + 2, 2),
        f('dns.srv.port', 'Port', r.data.port ?? 0, at + 4, 2),
        f('dns.srv.target', 'Target', r.data.target, at + 6, len - 6),
      ];
    case 'SOA': {
      const d = r.data;
      const tail = at + len - 20;
      const m1 = nameLen(b, rel);
      return [
        f('dns.soa.mname', 'Primary name server', d.mname, at, m1),
        f('dns.soa.rname', "Responsible authority's mailbox", d.rname, at + m1, tail - at - m1),
        f('dns.soa.serial_number', 'Serial Number', d.serial ?? 0, tail, 4),
        f('dns.soa.refresh_interval', 'Refresh Interval', d.refresh ?? 0, tail + 4, 4),
        f('dns.soa.retry_interval', 'Retry Interval', d.retry ?? 0, tail + 8, 4),
        f('dns.soa.expire_limit', 'Expire limit', d.expire ?? 0, tail + 12, 4),
        f('dns.soa.minimum_ttl', 'Minimum TTL', d.minimum ?? 0, tail + 16, 4),
      ];
    }
    case 'TXT': {
      const parts = Array.isArray(r.data) ? r.data : [r.data];
      const text = parts.map((p) => (typeof p === 'string' ? p : new TextDecoder().decode(p)));
      return text.map((t) => f('dns.txt', 'TXT', t, at + 1, len - 1));
    }
    default:
      return [];
  }
}

function infoData(r: DnsRecord): string {
  switch (r.type) {
    case 'A':
    case 'AAAA':
    case 'CNAME':
    case 'PTR':
    case 'NS':
      return ` ${r.data}`;
    case 'SRV':
      return ` ${r.data.priority ?? 0} ${r.data.weight ?? 0} ${r.data.port ?? 0} ${r.data.target}`;
    case 'SOA':
      return ` ${r.data.mname}`;
    default:
      return '';
  }
}

/** Wireshark's tree line of a record ("web…: type A, class IN, addr 10.96.0.12"). */
function rrTitle(r: DnsRecord): string {
  const head = `${shown(r.name)}: type ${r.type}, class ${r.class ?? 'IN'}`;
  switch (r.type) {
    case 'A':
    case 'AAAA':
      return `${head}, addr ${r.data}`;
    case 'CNAME':
      return `${head}, cname ${r.data}`;
    case 'PTR':
      return `${head}, ${r.data}`;
    case 'NS':
      return `${head}, ns ${r.data}`;
    case 'SOA':
      return `${head}, mname ${r.data.mname}`;
    case 'SRV':
      return `${head}, priority ${r.data.priority ?? 0}, weight ${r.data.weight ?? 0}, port ${r.data.port ?? 0}, target ${r.data.target}`;
    default:
      return head;
  }
}

/** The DNS layer for the message at frame[base..end). Throws RangeError if malformed. */
export function dnsLayer(frame: Uint8Array, base: number, end: number): Layer {
  const b = frame.subarray(base, end);
  const m = parseDns(b);
  const w = u16(b, 2);
  const fields: Field[] = [
    field('dns.id', 'Transaction ID', hex(m.id, 4), base, 2),
    field('dns.flags', 'Flags', `${hex(w, 4)} ${flagsText(m)}`, base + 2, 2, {
      raw: hex(w, 4),
      children: flagFields(m, w, base + 2),
    }),
    field('dns.count.queries', 'Questions', u16(b, 4), base + 4, 2),
    field('dns.count.answers', 'Answer RRs', u16(b, 6), base + 6, 2),
    field('dns.count.auth_rr', 'Authority RRs', u16(b, 8), base + 8, 2),
    field('dns.count.add_rr', 'Additional RRs', u16(b, 10), base + 10, 2),
  ];
  let p = 12;
  const qs: Field[] = [];
  for (const q of m.questions) {
    const nl = nameLen(b, p);
    const labels = q.name === '.' ? 0 : q.name.split('.').length;
    qs.push(
      field('dns.qry', `${shown(q.name)}: type ${q.type}, class ${q.class}`, '', base + p, nl + 4, {
        children: [
          field('dns.qry.name', 'Name', shown(q.name), base + p, nl),
          field(
            'dns.qry.name.len',
            'Name Length',
            q.name === '.' ? 6 : q.name.length,
            base + p,
            nl,
            { generated: true },
          ),
          field('dns.count.labels', 'Label Count', labels, base + p, nl, { generated: true }),
          field('dns.qry.type', 'Type', typeText(q.type, u16(b, p + nl)), base + p + nl, 2, {
            raw: String(u16(b, p + nl)),
          }),
          field(
            'dns.qry.class',
            'Class',
            `${q.class} (${hex(u16(b, p + nl + 2), 4)})`,
            base + p + nl + 2,
            2,
            {
              raw: hex(u16(b, p + nl + 2), 4),
            },
          ),
        ],
      }),
    );
    p += nl + 4;
  }
  if (qs.length)
    fields.push(field('dns.queries', 'Queries', '', base + 12, p - 12, { children: qs }));
  const sections: [string, string, readonly DnsRecord[]][] = [
    ['dns.answers', 'Answers', m.answers],
    ['dns.authorities', 'Authoritative nameservers', m.authorities],
  ];
  for (const [name, label, rs] of sections) {
    const start = p;
    const kids: Field[] = [];
    for (const r of rs) {
      const { f, next } = rrField(b, base, p, r);
      kids.push(f);
      p = next;
    }
    if (kids.length)
      fields.push(field(name, label, '', base + start, p - start, { children: kids }));
  }
  // The additional section in wire order: records and the OPT where it sits.
  const addStart = p;
  const adds: Field[] = [];
  let ai = 0;
  for (let i = 0; i < u16(b, 10); i++) {
    const nl = nameLen(b, p);
    if (u16(b, p + nl) === 41 && m.opt) {
      const rdlen = u16(b, p + nl + 8);
      adds.push(optField(b, base, p, nl, rdlen));
      p += nl + 10 + rdlen;
    } else {
      const { f, next } = rrField(b, base, p, m.additionals[ai++]);
      adds.push(f);
      p = next;
    }
  }
  if (adds.length)
    fields.push(
      field('dns.additionals', 'Additional records', '', base + addStart, p - addStart, {
        children: adds,
      }),
    );
  return {
    protocol: 'dns',
    title: `Domain Name System (${m.qr ? 'response' : 'query'})`,
    offset: base,
    length: end - base,
    fields,
  };
}

function typeText(t: string, code: number): string {
  const d = TYPE_TEXT[t];
  return d ? `${t} (${d}) (${code})` : `${t} (${code})`;
}

function flagsText(m: DnsMessage): string {
  const op = m.opcode === 0 ? 'Standard query' : `Opcode ${m.opcode}`;
  if (!m.qr) return op;
  return `${op} response, ${RCODE_TEXT[m.rcode] ?? RCODE_NAMES[m.rcode] ?? `RCODE ${m.rcode}`}`;
}

function rrField(b: Uint8Array, base: number, p: number, r: DnsRecord): { f: Field; next: number } {
  const nl = nameLen(b, p);
  const type = u16(b, p + nl);
  const rdlen = u16(b, p + nl + 8);
  const rd = p + nl + 10;
  // Wireshark splits an SRV owner into dns.srv.service/proto/name instead of dns.resp.name.
  const owner =
    r.type === 'SRV' ? [] : [field('dns.resp.name', 'Name', shown(r.name), base + p, nl)];
  const kids: Field[] = [
    ...owner,
    field('dns.resp.type', 'Type', typeText(r.type, type), base + p + nl, 2, { raw: String(type) }),
    field(
      'dns.resp.class',
      'Class',
      `${r.class ?? 'IN'} (${hex(u16(b, p + nl + 2), 4)})`,
      base + p + nl + 2,
      2,
      {
        raw: hex(u16(b, p + nl + 2), 4),
      },
    ),
    field('dns.resp.ttl', 'Time to live', r.ttl ?? 0, base + p + nl + 4, 4),
    field('dns.resp.len', 'Data length', rdlen, base + p + nl + 8, 2),
    ...rdataFields(r, base + rd, rdlen, b, rd),
  ];
  return {
    f: field('dns.rr', rrTitle(r), '', base + p, nl + 10 + rdlen, { children: kids }),
    next: rd + rdlen,
  };
}

function optField(b: Uint8Array, base: number, p: number, nl: number, rdlen: number): Field {
  const at = base + p + nl;
  const z = u16(b, p + nl + 6);
  const kids: Field[] = [
    field('dns.resp.name', 'Name', '<Root>', base + p, nl),
    field('dns.resp.type', 'Type', 'OPT (41)', at, 2, { raw: '41' }),
    field('dns.rr.udp_payload_size', 'UDP payload size', u16(b, p + nl + 2), at + 2, 2),
    field('dns.resp.ext_rcode', 'Higher bits in extended RCODE', hex(b[p + nl + 4], 2), at + 4, 1),
    field('dns.resp.edns0_version', 'EDNS0 version', b[p + nl + 5], at + 5, 1),
    field('dns.resp.z', 'Z', hex(z, 4), at + 6, 2, {
      children: [
        field(
          'dns.resp.z.do',
          'DO bit',
          (z & 0x8000) !== 0 ? 'Accepts DNSSEC security RRs' : 'Cannot handle DNSSEC security RRs',
          at + 6,
          2,
          { raw: bit((z & 0x8000) !== 0) },
        ),
      ],
    }),
    field('dns.resp.len', 'Data length', rdlen, at + 8, 2),
  ];
  let o = p + nl + 10;
  const stop = o + rdlen;
  while (o + 4 <= stop) {
    const code = u16(b, o);
    const len = u16(b, o + 2);
    kids.push(
      field('dns.opt', `Option: ${code === 10 ? 'COOKIE' : code}`, '', base + o, 4 + len, {
        children: [
          field('dns.opt.code', 'Option Code', code, base + o, 2),
          field('dns.opt.len', 'Option Length', len, base + o + 2, 2),
          field(
            'dns.opt.data',
            'Option Data',
            colonHex(b.subarray(o + 4, o + 4 + len)),
            base + o + 4,
            len,
          ),
        ],
      }),
    );
    o += 4 + len;
  }
  return field('dns.rr', '<Root>: type OPT', '', base + p, nl + 10 + rdlen, { children: kids });
}

/** tshark's Info column for a DNS message. */
export function dnsInfo(msg: Uint8Array): string {
  const m = parseDns(msg);
  const q = m.questions[0];
  const parts = [m.qr ? 'Standard query response' : 'Standard query', hex(m.id, 4)];
  if (m.qr && m.rcode !== 0) parts.push(RCODE_TEXT[m.rcode] ?? RCODE_NAMES[m.rcode] ?? '');
  if (q) parts.push(q.type, shown(q.name));
  for (const r of [...m.answers, ...m.authorities, ...m.additionals])
    parts.push(`${r.type}${infoData(r)}`);
  if (m.opt) parts.push('OPT');
  return parts.join(' ');
}
