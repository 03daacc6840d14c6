/**
 * DNS messages (RFC 1035 §4, EDNS(0) RFC 6891) over @leichtgewicht/dns-packet.
 *
 *   offset  len  field
 *        0    2  ID
 *        2    2  QR(1) Opcode(4) AA TC RD RA Z AD CD RCODE(4)
 *        4    2  QDCOUNT      6  2  ANCOUNT
 *        8    2  NSCOUNT     10  2  ARCOUNT
 *       12    …  question, answer, authority and additional sections
 *
 * The library decodes compressed names (dig and upstream resolvers compress)
 * and encodes without compression, which is what CoreDNS sends: miekg/dns's
 * Msg.Truncate turns compression off when the reply fits the client's buffer
 * (CoreDNS request.Scrub calls it on every reply). Two things are done here
 * rather than by the library: the header's bit fields are read and written
 * as numbers (the library has only rcode names), and the OPT record is
 * written by hand, because dns-packet 6.0.3's option encoder drops the
 * option data (`b.copy(option.data, buf, offset)` passes no source range).
 */
import * as dnsPacket from '@leichtgewicht/dns-packet';
import type { Answer } from '@leichtgewicht/dns-packet';

export const DNS_PORT = 53;
export const DNS_HEADER_LEN = 12;

/** RCODEs by number, as dig and Wireshark name them (RFC 1035 §4.1.1, RFC 6895). */
export const RCODE_NAMES: Readonly<Record<number, string>> = {
  0: 'NOERROR',
  1: 'FORMERR',
  2: 'SERVFAIL',
  3: 'NXDOMAIN',
  4: 'NOTIMP',
  5: 'REFUSED',
  6: 'YXDOMAIN',
  7: 'YXRRSET',
  8: 'NXRRSET',
  9: 'NOTAUTH',
  10: 'NOTZONE',
  16: 'BADVERS',
};
export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;

export interface DnsQuestion {
  /** Without the trailing dot ("web.default.svc.cluster.local"); the root is ".". */
  readonly name: string;
  /** "A", "AAAA", "SRV", "PTR" … (dns-packet's names; unknown ones are "UNKNOWN_n"). */
  readonly type: string;
  readonly class: string;
}

/** A resource record, as dns-packet models it (name without the trailing dot, data per type). */
export type DnsRecord = Exclude<Answer, { type: 'OPT' }>;

/** The OPT pseudo-record (RFC 6891 §6.1.2): the requester's UDP payload size, DO bit, options. */
export interface DnsOpt {
  readonly udpPayloadSize: number;
  readonly extendedRcode: number;
  readonly version: number;
  /** The 16-bit flags word; bit 15 is DO. */
  readonly flags: number;
  readonly options: readonly { readonly code: number; readonly data: Uint8Array }[];
}

export interface DnsMessage {
  readonly id: number;
  readonly qr: boolean;
  readonly opcode: number;
  readonly aa: boolean;
  readonly tc: boolean;
  readonly rd: boolean;
  readonly ra: boolean;
  readonly z: boolean;
  readonly ad: boolean;
  readonly cd: boolean;
  readonly rcode: number;
  readonly questions: readonly DnsQuestion[];
  readonly answers: readonly DnsRecord[];
  readonly authorities: readonly DnsRecord[];
  /** The additional section without the OPT record (that is `opt`). */
  readonly additionals: readonly DnsRecord[];
  readonly opt?: DnsOpt;
}

const bitAt = (w: number, b: number) => ((w >> b) & 1) === 1;

/** The header's second word. */
export function dnsFlagsWord(m: DnsMessage): number {
  return (
    (m.qr ? 0x8000 : 0) |
    ((m.opcode & 0xf) << 11) |
    (m.aa ? 0x0400 : 0) |
    (m.tc ? 0x0200 : 0) |
    (m.rd ? 0x0100 : 0) |
    (m.ra ? 0x0080 : 0) |
    (m.z ? 0x0040 : 0) |
    (m.ad ? 0x0020 : 0) |
    (m.cd ? 0x0010 : 0) |
    (m.rcode & 0xf)
  );
}

/** Parses a DNS message; throws RangeError on a malformed one. */
export function parseDns(bytes: Uint8Array): DnsMessage {
  if (bytes.length < DNS_HEADER_LEN)
    throw new RangeError(`DNS message of ${bytes.length} bytes is shorter than its header`);
  let p: dnsPacket.Packet;
  try {
    p = dnsPacket.packet.decode(bytes);
  } catch (e) {
    throw new RangeError(`malformed DNS message: ${e instanceof Error ? e.message : String(e)}`);
  }
  const w = (bytes[2] << 8) | bytes[3];
  let opt: DnsOpt | undefined;
  const additionals: DnsRecord[] = [];
  for (const a of p.additionals ?? []) {
    if (a.type === 'OPT') {
      const o = a as unknown as {
        udpPayloadSize: number;
        extendedRcode: number;
        ednsVersion: number;
        flags: number;
        options: { code: number; data: Uint8Array }[];
      };
      opt = {
        udpPayloadSize: o.udpPayloadSize,
        extendedRcode: o.extendedRcode,
        version: o.ednsVersion,
        flags: o.flags,
        options: o.options.map((x) => ({ code: x.code, data: Uint8Array.from(x.data) })),
      };
    } else additionals.push(a);
  }
  return {
    id: (bytes[0] << 8) | bytes[1],
    qr: bitAt(w, 15),
    opcode: (w >> 11) & 0xf,
    aa: bitAt(w, 10),
    tc: bitAt(w, 9),
    rd: bitAt(w, 8),
    ra: bitAt(w, 7),
    z: bitAt(w, 6),
    ad: bitAt(w, 5),
    cd: bitAt(w, 4),
    rcode: (w & 0xf) | ((opt?.extendedRcode ?? 0) << 4),
    questions: (p.questions ?? []).map((q) => ({
      name: q.name,
      type: q.type,
      class: q.class ?? 'IN',
    })),
    answers: (p.answers ?? []) as DnsRecord[],
    authorities: (p.authorities ?? []) as DnsRecord[],
    additionals,
    ...(opt ? { opt } : {}),
  };
}

function optLen(o: DnsOpt): number {
  return 11 + o.options.reduce((n, x) => n + 4 + x.data.length, 0);
}

function writeOpt(o: DnsOpt, rcodeHigh: number, buf: Uint8Array, at: number): void {
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  buf[at] = 0; // owner: the root
  v.setUint16(at + 1, 41);
  v.setUint16(at + 3, o.udpPayloadSize);
  buf[at + 5] = rcodeHigh;
  buf[at + 6] = o.version;
  v.setUint16(at + 7, o.flags);
  v.setUint16(at + 9, optLen(o) - 11);
  let p = at + 11;
  for (const x of o.options) {
    v.setUint16(p, x.code);
    v.setUint16(p + 2, x.data.length);
    buf.set(x.data, p + 4);
    p += 4 + x.data.length;
  }
}

function packetOf(m: DnsMessage): dnsPacket.Packet {
  return {
    id: m.id,
    type: m.qr ? 'response' : 'query',
    flags: dnsFlagsWord(m) & 0x7fff,
    questions: m.questions.map((q) => ({
      name: q.name,
      type: q.type as dnsPacket.Question['type'],
      class: q.class as dnsPacket.Question['class'],
    })),
    answers: [...m.answers],
    authorities: [...m.authorities],
    additionals: [...m.additionals],
  };
}

/** Encoded length of the message (names uncompressed, as emitDns writes them). */
export function dnsLen(m: DnsMessage): number {
  return dnsPacket.packet.encodingLength(packetOf(m)) + (m.opt ? optLen(m.opt) : 0);
}

/** The message's bytes; the OPT record, when there is one, goes last (as miekg/dns and dig put it). */
export function emitDns(m: DnsMessage): Uint8Array {
  const base = dnsPacket.packet.encode(packetOf(m));
  if (!m.opt) return base;
  const out = new Uint8Array(base.length + optLen(m.opt));
  out.set(base, 0);
  const arcount = ((out[10] << 8) | out[11]) + 1;
  out[10] = arcount >> 8;
  out[11] = arcount & 0xff;
  writeOpt(m.opt, (m.rcode >> 4) & 0xff, out, base.length);
  return out;
}

/** The DO bit (RFC 3225) of an OPT record. */
export const optDo = (o: DnsOpt | undefined): boolean =>
  o !== undefined && (o.flags & 0x8000) !== 0;

/** Option codes dig and Wireshark name (RFC 6891 registry). */
export const EDNS_OPTION_NAMES: Readonly<Record<number, string>> = {
  3: 'NSID',
  8: 'CSUBNET',
  9: 'EXPIRE',
  10: 'COOKIE',
  11: 'KEEPALIVE',
  12: 'PADDING',
};
