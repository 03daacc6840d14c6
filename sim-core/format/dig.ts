/**
 * dig's output for one query and its reply, as BIND 9.18's dig prints it
 * (bin/dig/dig.c printmessage, lib/dns/masterdump.c): header and flags,
 * warnings, the OPT pseudosection, the sections with masterdump's columns,
 * and the statistics lines. Held against the real dig in format/dig.test.ts.
 *
 * Columns: dig's style puts the TTL at column 24, the class at 32, the type
 * at 40 and the data at 48, tabs 8 wide; masterdump's indent() moves with
 * tabs when it crosses a tab stop and a space otherwise, and always at least
 * one character. A question line starts with ";", not counted in the columns.
 */
import type { DnsMessage, DnsRecord } from '../wire/dns.ts';
import { parseDns, RCODE_NAMES } from '../wire/dns.ts';
import { fq, rdataText } from '../dns/present.ts';

export const DIG_VERSION = '9.18.49-1~deb12u3-Debian';

export interface DigRun {
  /** What the user typed after `dig` ("web.default.svc.cluster.local A"). */
  readonly args: string;
  /** The query as sent (for the cookie shown) and the reply as received. */
  readonly query: Uint8Array;
  readonly reply: Uint8Array;
  /** "10.96.0.10", and the port (53). */
  readonly server: string;
  readonly port?: number;
  /** Whether the user named the server (`@10.96.0.10`): dig then says "(1 server found)". */
  readonly serverGiven?: boolean;
  readonly queryTimeMs: number;
  /** Wall-clock time of the reply, Unix ms. */
  readonly whenMs: number;
  readonly version?: string;
}

/** masterdump.c indent(): tabs to the stop before `to`, then spaces; at least one character. */
function indent(from: number, to: number): { text: string; col: number } {
  const target = Math.max(to, from + 1);
  const tabs = Math.floor(target / 8) - Math.floor(from / 8);
  const start = tabs > 0 ? Math.floor(target / 8) * 8 : from;
  return { text: '\t'.repeat(Math.max(0, tabs)) + ' '.repeat(target - start), col: target };
}

function columns(fields: readonly (readonly [string, number])[], first: string): string {
  let out = first;
  let col = first.length;
  for (const [text, at] of fields) {
    const i = indent(col, at);
    out += i.text + text;
    col = i.col + text.length;
  }
  return out;
}

/** One RR line of a section, as dig prints it. */
export function digRecord(r: DnsRecord): string {
  return columns(
    [
      [String(r.ttl ?? 0), 24],
      [r.class ?? 'IN', 32],
      [r.type, 40],
      [rdataText(r), 48],
    ],
    fq(r.name),
  );
}

function digQuestion(q: DnsMessage['questions'][number]): string {
  return `;${columns(
    [
      [q.class, 32],
      [q.type, 40],
    ],
    fq(q.name),
  )}`;
}

const DAYS = 'Sun Mon Tue Wed Thu Fri Sat'.split(' ');
const MONTHS = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');
const p2 = (n: number) => String(n).padStart(2, '0');

/** strftime "%a %b %d %H:%M:%S %Z %Y" in UTC. */
export function digWhen(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

function flagList(m: DnsMessage): string {
  const f: string[] = [];
  if (m.qr) f.push('qr');
  if (m.aa) f.push('aa');
  if (m.tc) f.push('tc');
  if (m.rd) f.push('rd');
  if (m.ra) f.push('ra');
  if (m.ad) f.push('ad');
  if (m.cd) f.push('cd');
  return f.join(' ');
}

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

function optLines(reply: DnsMessage, query: DnsMessage): string[] {
  const o = reply.opt!;
  const flags = (o.flags & 0x8000) !== 0 ? ' do' : '';
  const out = [
    ';; OPT PSEUDOSECTION:',
    `; EDNS: version: ${o.version}, flags:${flags}; udp: ${o.udpPayloadSize}`,
  ];
  for (const x of o.options) {
    if (x.code === 10) {
      const sent = query.opt?.options.find((y) => y.code === 10)?.data;
      const echoed = sent && hex(sent) === hex(x.data);
      out.push(
        `; COOKIE: ${hex(x.data)}${echoed ? ' (echoed)' : x.data.length > 8 ? ' (good)' : ''}`,
      );
    } else out.push(`; OPT=${x.code}: ${hex(x.data).toUpperCase()}`);
  }
  return out;
}

/** The whole of dig's output for the exchange, ending with dig's blank lines. */
export function formatDig(run: DigRun): string {
  const q = parseDns(run.query);
  const m = parseDns(run.reply);
  const out: string[] = ['', `; <<>> DiG ${run.version ?? DIG_VERSION} <<>> ${run.args}`];
  if (run.serverGiven) out.push('; (1 server found)');
  out.push(';; global options: +cmd', ';; Got answer:');
  const qname = (m.questions[0] ?? q.questions[0])?.name.toLowerCase() ?? '';
  if (qname === 'local' || qname.endsWith('.local')) {
    out.push(
      ';; WARNING: .local is reserved for Multicast DNS',
      ';; You are currently testing what happens when an mDNS query is leaked to DNS',
    );
  }
  const status = RCODE_NAMES[m.rcode] ?? `RESERVED${m.rcode}`;
  out.push(`;; ->>HEADER<<- opcode: QUERY, status: ${status}, id: ${m.id}`);
  const add = m.additionals.length + (m.opt ? 1 : 0);
  out.push(
    `;; flags: ${flagList(m)}; QUERY: ${m.questions.length}, ANSWER: ${m.answers.length}, AUTHORITY: ${m.authorities.length}, ADDITIONAL: ${add}`,
  );
  if (m.rd && !m.ra) out.push(';; WARNING: recursion requested but not available');
  out.push('');
  if (m.opt) out.push(...optLines(m, q));
  out.push(';; QUESTION SECTION:', ...m.questions.map(digQuestion), '');
  const sections: [string, readonly DnsRecord[]][] = [
    ['ANSWER', m.answers],
    ['AUTHORITY', m.authorities],
    ['ADDITIONAL', m.additionals],
  ];
  for (const [name, rs] of sections) {
    if (rs.length) out.push(`;; ${name} SECTION:`, ...rs.map(digRecord), '');
  }
  out.push(
    `;; Query time: ${Math.round(run.queryTimeMs)} msec`,
    `;; SERVER: ${run.server}#${run.port ?? 53}(${run.server}) (UDP)`,
    `;; WHEN: ${digWhen(run.whenMs)}`,
    `;; MSG SIZE  rcvd: ${run.reply.length}`,
    '',
    '',
  );
  return out.join('\n');
}
