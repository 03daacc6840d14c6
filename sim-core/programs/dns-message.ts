/**
 * The few DNS messages the path's programs write and read, through
 * @leichtgewicht/dns-packet: glibc's and dig's queries, a summary of a reply
 * (rcode, answers as dig prints them), and the upstream host's answers.
 *
 * glibc (res_nmkquery): RD only, no EDNS unless `options edns0`.
 * dig 9.18: RD and AD, EDNS0 with a 1232-byte UDP size and an 8-byte client COOKIE.
 */
import * as dnsPacket from '@leichtgewicht/dns-packet';
import type { Answer, Packet, Question } from '@leichtgewicht/dns-packet';

export const RCODE_NAMES = [
  'NOERROR',
  'FORMERR',
  'SERVFAIL',
  'NXDOMAIN',
  'NOTIMP',
  'REFUSED',
] as const;

export interface QueryOptions {
  readonly id: number;
  readonly name: string;
  readonly qtype: string;
  /** dig: AD set and an EDNS0 OPT with this client cookie. */
  readonly dig?: { readonly cookie: Uint8Array };
}

export function buildQuery(q: QueryOptions): Uint8Array {
  const packet: Packet = {
    type: 'query',
    id: q.id,
    flags: dnsPacket.RECURSION_DESIRED | (q.dig ? dnsPacket.AUTHENTIC_DATA : 0),
    questions: [
      { type: q.qtype as Question['type'], class: 'IN', name: q.name.replace(/\.$/, '') },
    ],
    ...(q.dig
      ? {
          additionals: [
            {
              type: 'OPT',
              name: '.',
              udpPayloadSize: 1232,
              extendedRcode: 0,
              ednsVersion: 0,
              flags: 0,
              options: [{ code: 10, data: q.dig.cookie }],
            } as unknown as Answer,
          ],
        }
      : {}),
  };
  const bytes = dnsPacket.encode(packet);
  // dns-packet 7's option encoder leaves an option's data as zeros (its copy()
  // gets no source range): the COOKIE is the message's last 8 bytes, written here.
  if (q.dig) bytes.set(q.dig.cookie, bytes.length - q.dig.cookie.length);
  return bytes;
}

/** One answer record as the app and the facts show it. */
export interface RecordView {
  readonly name: string;
  readonly type: string;
  readonly ttl: number;
  /** The rdata as dig prints it ("10.96.0.10", "0 50 80 web.default.svc.cluster.local."). */
  readonly data: string;
}

export interface MessageView {
  readonly id: number;
  readonly response: boolean;
  readonly rcode: string;
  readonly qname: string;
  readonly qtype: string;
  readonly answers: readonly RecordView[];
  readonly authority: readonly RecordView[];
}

const fq = (n: string) => (n.endsWith('.') ? n : `${n}.`);

function rdata(a: Answer): string {
  const d = (a as { data?: unknown }).data;
  switch (a.type) {
    case 'A':
    case 'AAAA':
      return String(d);
    case 'CNAME':
    case 'PTR':
    case 'NS':
      return fq(String(d));
    case 'SRV': {
      const s = d as { priority: number; weight: number; port: number; target: string };
      return `${s.priority} ${s.weight} ${s.port} ${fq(s.target)}`;
    }
    case 'SOA': {
      const s = d as {
        mname: string;
        rname: string;
        serial: number;
        refresh: number;
        retry: number;
        expire: number;
        minimum: number;
      };
      return `${fq(s.mname)} ${fq(s.rname)} ${s.serial} ${s.refresh} ${s.retry} ${s.expire} ${s.minimum}`;
    }
    default:
      return '';
  }
}

const view = (a: Answer): RecordView => ({
  name: fq(a.name),
  type: a.type,
  ttl: (a as { ttl?: number }).ttl ?? 0,
  data: rdata(a),
});

/** A datagram read as DNS, or undefined when it is not one. */
export function readMessage(bytes: Uint8Array): MessageView | undefined {
  try {
    const p = dnsPacket.decode(bytes);
    const flags = p.flags ?? 0;
    const q = p.questions?.[0];
    return {
      id: p.id ?? 0,
      // decode() moves QR out of flags into type.
      response: p.type === 'response',
      rcode: RCODE_NAMES[flags & 0x0f] ?? `RCODE${flags & 0x0f}`,
      qname: q ? fq(q.name) : '.',
      qtype: q?.type ?? '',
      answers: (p.answers ?? []).filter((a) => a.type !== 'OPT').map(view),
      authority: (p.authorities ?? []).filter((a) => a.type !== 'OPT').map(view),
    };
  } catch {
    return undefined;
  }
}

/**
 * A recursive resolver's answer from a table of names (spec.hosts[].dns):
 * A records for a known name (TTL 300), NOERROR with no data for other
 * types of a known name, NXDOMAIN otherwise; RA set, RD copied.
 */
export function answerFromRecords(
  query: Uint8Array,
  records: Readonly<Record<string, readonly string[]>>,
): { response: Uint8Array; view: MessageView } | undefined {
  let p: Packet;
  try {
    p = dnsPacket.decode(query);
  } catch {
    return undefined;
  }
  const q = p.questions?.[0];
  if (!q || p.type === 'response') return undefined;
  const known = records[q.name.toLowerCase().replace(/\.$/, '')];
  const answers: Answer[] =
    known && q.type === 'A'
      ? known.map((ip) => ({ type: 'A', class: 'IN', name: q.name, ttl: 300, data: ip }))
      : [];
  const rcode = known ? 0 : 3;
  const flags =
    ((p.flags ?? 0) & dnsPacket.RECURSION_DESIRED) | dnsPacket.RECURSION_AVAILABLE | rcode;
  const response = dnsPacket.encode({
    type: 'response',
    id: p.id,
    flags,
    questions: [q],
    answers,
  });
  return { response, view: readMessage(response)! };
}
