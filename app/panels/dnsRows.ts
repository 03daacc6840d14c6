/**
 * The DNS panel's rows, derived once per simulation from the steps' facts:
 * each lookup a program made (getaddrinfo's search walk, dig's one query) as
 * a group headed by the name the program asked for, then its queries and
 * answers in trace order (CoreDNS's forward to the upstream and the
 * upstream's reply inside the query they serve), then the lookup's result.
 * Also which row each step belongs to, for the highlight: the steps whose
 * facts name the query or answer, and the steps that carry its frame (read
 * from the DNS header's ID in the UDP payload, no decoding).
 */
import type { DnsRecordFact, Fact, Simulation, Step } from '@kubewire/sim-core';

type F<T extends string> = Extract<Fact, { type: T }>;
type DnsPathType =
  | 'resolver.query'
  | 'resolver.answer'
  | 'resolver.timeout'
  | 'resolver.done'
  | 'coredns.reply'
  | 'coredns.forward'
  | 'dns.upstream-answer';
type DnsPathFact = F<DnsPathType>;

const DNS_TYPES: ReadonlySet<string> = new Set<DnsPathType>([
  'resolver.query',
  'resolver.answer',
  'resolver.timeout',
  'resolver.done',
  'coredns.reply',
  'coredns.forward',
  'dns.upstream-answer',
]);

export type DnsRowKind =
  'lookup' | 'query' | 'forward' | 'upstream' | 'response' | 'timeout' | 'result';

export interface DnsRow {
  readonly key: string;
  readonly kind: DnsRowKind;
  /** Index of the lookup group this row is in. */
  readonly group: number;
  /** The step a click jumps to. */
  readonly step: number;
  readonly timeUs: number;
  /** Who sends it, and to whom ("client", "10.96.0.10:53 (kube-system/kube-dns)"). */
  readonly from: string;
  readonly to: string;
  readonly qname: string;
  readonly qtype: string;
  /** The DNS header's ID on the wire. */
  readonly id?: number;
  /** NOERROR, NXDOMAIN …; NODATA is NOERROR with no answer (as `status` shows it, plus a note). */
  readonly rcode?: string;
  readonly answers: readonly DnsRecordFact[];
  /** The SOA in the authority section (NXDOMAIN, NODATA). */
  readonly soa?: boolean;
  /** CoreDNS's cache plugin answered: how old the entry was and the TTL it was stored with. */
  readonly cache?: { readonly ageS: number; readonly storedTtl: number };
  /** Which CoreDNS plugin answered (kubernetes, cache, forward). */
  readonly plugin?: string;
  /** Short words after the row: "name 1 of 4 · search", "try 2", "loadbalance rotated". */
  readonly note: string;
  /** This row is the attempt whose answer the program used. */
  readonly winner: boolean;
}

export interface DnsGroup {
  readonly index: number;
  readonly who: string;
  readonly tool: 'getaddrinfo' | 'dig' | 'server';
  /** The name the program asked for (before the search list). */
  readonly name: string;
  /** The program's netns (from its answer or result steps), for its resolv.conf. */
  readonly netns?: string;
  readonly done?: F<'resolver.done'>;
}

export interface DnsTable {
  readonly rows: readonly DnsRow[];
  readonly groups: readonly DnsGroup[];
  /** Step index → row index, for every step the panel can point at. */
  readonly rowOfStep: ReadonlyMap<number, number>;
}

/** The DNS facts in a step's facts, outermost first; a fact's own nested answer stays inside it. */
export function dnsFacts(f: Fact | undefined, out: DnsPathFact[] = []): DnsPathFact[] {
  if (!f) return out;
  if (DNS_TYPES.has(f.type)) {
    out.push(f as DnsPathFact);
    return out;
  }
  for (const v of Object.values(f))
    if (v && typeof v === 'object' && !Array.isArray(v) && 'type' in v) dnsFacts(v as Fact, out);
  return out;
}

/** Is this a DNS step: a query or answer sent, received or given up on (not an ARP it waits for)? */
export function isDnsStep(step: Step): boolean {
  return step.facts.type !== 'neigh.solicit' && dnsFacts(step.facts).length > 0;
}

const bare = (who: string) => who.replace(/^(pod|host|node) /, '');

/** The DNS ID and QR bit of a frame's UDP payload when one end is port 53 (VXLAN unwrapped once). */
export function dnsHeaderOf(
  frame: Uint8Array | undefined,
): { id: number; qr: boolean } | undefined {
  if (!frame) return undefined;
  let off = 0;
  for (let depth = 0; depth < 2; depth++) {
    if (frame.length < off + 14 + 20 + 8) return undefined;
    const ethType = (frame[off + 12] << 8) | frame[off + 13];
    if (ethType !== 0x0800) return undefined;
    const ip = off + 14;
    if (frame[ip + 9] !== 17) return undefined;
    const udp = ip + (frame[ip] & 0x0f) * 4;
    if (frame.length < udp + 8) return undefined;
    const sport = (frame[udp] << 8) | frame[udp + 1];
    const dport = (frame[udp + 2] << 8) | frame[udp + 3];
    if (sport === 53 || dport === 53) {
      const d = udp + 8;
      if (frame.length < d + 12) return undefined;
      return { id: (frame[d] << 8) | frame[d + 1], qr: (frame[d + 2] & 0x80) !== 0 };
    }
    // flannel's VXLAN (8472) or the IANA port: the inner frame after the 8-byte VXLAN header.
    if (dport !== 8472 && dport !== 4789) return undefined;
    off = udp + 8 + 8;
  }
  return undefined;
}

interface Pending {
  row: number;
  group: number;
  socket?: string;
  qname: string;
  qtype: string;
  id: number;
  answered: boolean;
}

interface Draft extends Omit<DnsRow, 'winner' | 'group'> {
  group: number;
  winner: boolean;
  /** A query first seen as the cause of an ARP request: its frame leaves later. */
  fromSolicit?: boolean;
  /** A response: the query row it answers. */
  responseTo?: number;
}

const norm = (n: string) => (n.endsWith('.') ? n : `${n}.`);

/** The Services' ClusterIPs, to name the server a query goes to ("kube-system/kube-dns"). */
function serviceNames(sim: Simulation): Map<string, string> {
  const out = new Map<string, string>();
  const last = sim.steps.length ? sim.stateAt(sim.steps.length - 1) : sim.initial;
  for (const snap of [sim.initial, last])
    for (const s of snap.api.services) {
      const ip = s.spec.clusterIP;
      if (ip && ip !== 'None') out.set(ip, `${s.metadata.namespace}/${s.metadata.name}`);
    }
  return out;
}

/** The rows of a simulation's trace; pure, see dnsTable for the memoised one. */
export function buildDnsTable(sim: Simulation): DnsTable {
  const services = serviceNames(sim);
  const serverText = (ip: string) => {
    const svc = services.get(ip);
    return svc ? `${ip} (${svc})` : ip;
  };
  const groups: { g: DnsGroup; rows: number[]; netns?: string }[] = [];
  const groupOf = new Map<string, number>();
  const drafts: Draft[] = [];
  const rowOfStep = new Map<number, number>();
  const queryKey = new Map<string, number>();
  const pending: Pending[] = [];
  /** The latest row per DNS ID and direction: frames in flight point at it. */
  const byWireId = new Map<string, number>();
  const forwards: { row: number; group: number; qname: string; qtype: string; done: boolean }[] =
    [];

  const group = (who: string, lookup: number | undefined, tool: DnsGroup['tool'], name: string) => {
    const key = lookup === undefined ? `server ${name} ${groups.length}` : `${who}#${lookup}`;
    let i = groupOf.get(key);
    if (i === undefined) {
      i = groups.length;
      groups.push({ g: { index: i, who: bare(who), tool, name }, rows: [] });
      groupOf.set(key, i);
    }
    return i;
  };
  const add = (d: Omit<Draft, 'key' | 'winner'> & { winner?: boolean }, step: Step) => {
    const row = drafts.length;
    drafts.push({ ...d, key: `${d.group}.${row}`, winner: d.winner ?? false });
    groups[d.group].rows.push(row);
    rowOfStep.set(step.index, row);
    return row;
  };
  const at = (step: Step) => ({ step: step.index, timeUs: step.timeUs });
  const netnsOf = (g: number, step: Step) => {
    if (!groups[g].netns && step.kind === 'container') groups[g].netns = step.place.netns;
  };

  for (const step of sim.steps) {
    const solicit = step.facts.type === 'neigh.solicit';
    for (const f of dnsFacts(step.facts)) {
      switch (f.type) {
        case 'resolver.query': {
          const g = group(f.who, f.lookup, f.tool, f.name);
          const key = `${g}|${f.qname}|${f.qtype}|${f.id}|${f.attempt}`;
          const known = queryKey.get(key);
          if (known !== undefined) {
            // The same query again: the frame that waited for ARP leaving at last.
            const d = drafts[known];
            if (!solicit && d.kind === 'query' && d.step !== step.index && d.fromSolicit) {
              drafts[known] = { ...d, ...at(step), fromSolicit: false };
            }
            rowOfStep.set(step.index, known);
            break;
          }
          if (groups[g].rows.length === 0) {
            add(
              {
                kind: 'lookup',
                group: g,
                ...at(step),
                from: bare(f.who),
                to: serverText(f.server),
                qname: f.name,
                qtype: '',
                answers: [],
                note:
                  f.tool === 'dig'
                    ? 'dig: one query, the name as written'
                    : `getaddrinfo: ${f.candidates === 1 ? '1 name' : `${f.candidates} names`}, ndots:${f.ndots}`,
              },
              step,
            );
          }
          const row = add(
            {
              kind: 'query',
              group: g,
              ...at(step),
              from: `${bare(f.who)} ${f.socket}`,
              to: serverText(f.server),
              qname: f.qname,
              qtype: f.qtype,
              id: f.id,
              answers: [],
              note: [
                f.tool === 'dig'
                  ? ''
                  : `name ${f.candidate} of ${f.candidates} · ${f.how === 'search' ? 'search suffix' : 'as written'}`,
                f.attempt > 1 ? `try ${f.attempt}` : '',
              ]
                .filter(Boolean)
                .join(' · '),
              fromSolicit: solicit,
            },
            step,
          );
          queryKey.set(key, row);
          pending.push({
            row,
            group: g,
            socket: f.socket,
            qname: norm(f.qname),
            qtype: f.qtype,
            id: f.id,
            answered: false,
          });
          byWireId.set(`${f.id} q`, row);
          break;
        }
        case 'coredns.forward': {
          const inner = f.answer?.type === 'dns.forward' ? f.answer : undefined;
          const p = [...pending]
            .reverse()
            .find(
              (q) =>
                !q.answered &&
                q.qname === norm(f.qname) &&
                q.qtype === f.qtype &&
                (!inner || inner.id === q.id),
            );
          const g = p ? p.group : group('', undefined, 'server', f.qname);
          const dup = forwards.find(
            (x) => x.group === g && x.qname === norm(f.qname) && x.qtype === f.qtype && !x.done,
          );
          if (dup && drafts[dup.row].id === inner?.upstreamId) {
            rowOfStep.set(step.index, dup.row);
            break;
          }
          const row = add(
            {
              kind: 'forward',
              group: g,
              ...at(step),
              from: `${bare(f.pod)} ${f.socket}`,
              to: f.upstream,
              qname: norm(f.qname),
              qtype: f.qtype,
              ...(inner ? { id: inner.upstreamId } : {}),
              answers: [],
              note: 'forward . /etc/resolv.conf',
            },
            step,
          );
          forwards.push({ row, group: g, qname: norm(f.qname), qtype: f.qtype, done: false });
          if (inner) byWireId.set(`${inner.upstreamId} q`, row);
          break;
        }
        case 'dns.upstream-answer': {
          const fw = forwards.find(
            (x) => !x.done && x.qname === norm(f.qname) && x.qtype === f.qtype,
          );
          const g = fw ? fw.group : group('', undefined, 'server', f.qname);
          if (fw) fw.done = true;
          const id = fw ? drafts[fw.row].id : undefined;
          const row = add(
            {
              kind: 'upstream',
              group: g,
              ...at(step),
              from: f.host,
              to: f.client,
              qname: norm(f.qname),
              qtype: f.qtype,
              ...(id !== undefined ? { id } : {}),
              rcode: f.rcode,
              answers: f.answers,
              note: 'the upstream resolver',
            },
            step,
          );
          if (id !== undefined) byWireId.set(`${id} r`, row);
          break;
        }
        case 'coredns.reply': {
          const match = (q: Pending) =>
            !q.answered && q.qname === norm(f.qname) && q.qtype === f.qtype;
          const p = pending.find((q) => match(q) && q.socket === f.client) ?? pending.find(match);
          const inner = f.answer?.type === 'dns.answer' ? f.answer : undefined;
          const g = p ? p.group : group('', undefined, 'server', f.qname);
          if (p) p.answered = true;
          const row = add(
            {
              kind: 'response',
              group: g,
              ...at(step),
              from: bare(f.pod),
              to: f.client,
              qname: norm(f.qname),
              qtype: f.qtype,
              ...(p ? { id: p.id } : {}),
              rcode: f.rcode,
              answers: f.answers,
              ...(inner?.soa ? { soa: true } : {}),
              ...(inner?.cache ? { cache: inner.cache } : {}),
              ...(inner ? { plugin: inner.plugin } : {}),
              note: [
                inner?.plugin === 'cache'
                  ? ''
                  : inner?.plugin === 'forward'
                    ? 'relayed from upstream'
                    : inner
                      ? `${inner.plugin} plugin`
                      : '',
                inner?.rotated ? 'loadbalance rotated' : '',
                inner?.truncated ? 'truncated (TC)' : '',
              ]
                .filter(Boolean)
                .join(' · '),
            },
            step,
          );
          if (p) {
            drafts[row].responseTo = p.row;
            byWireId.set(`${p.id} r`, row);
          }
          break;
        }
        case 'resolver.answer': {
          const g = group(f.who, f.lookup, f.tool, f.qname);
          netnsOf(g, step);
          // CoreDNS's reply row for this query, if CoreDNS sent it (else a host's resolver did).
          const p = pending.find(
            (x) =>
              x.group === g && x.id === f.id && x.qtype === f.qtype && x.qname === norm(f.qname),
          );
          const reply = p
            ? drafts.findIndex((d) => d.kind === 'response' && d.responseTo === p.row)
            : -1;
          if (reply >= 0) {
            rowOfStep.set(step.index, reply);
            break;
          }
          if (p) p.answered = true;
          const row = add(
            {
              kind: 'response',
              group: g,
              ...at(step),
              from: f.from,
              to: bare(f.who),
              qname: norm(f.qname),
              qtype: f.qtype,
              id: f.id,
              rcode: f.rcode,
              answers: f.answers,
              ...(f.soa ? { soa: true } : {}),
              note: '',
              ...(p ? { responseTo: p.row } : {}),
            },
            step,
          );
          byWireId.set(`${f.id} r`, row);
          break;
        }
        case 'resolver.timeout': {
          const g = group(f.who, f.lookup, 'getaddrinfo', f.qname);
          netnsOf(g, step);
          add(
            {
              kind: 'timeout',
              group: g,
              ...at(step),
              from: f.server,
              to: bare(f.who),
              qname: norm(f.qname),
              qtype: '',
              answers: [],
              note: `no answer in timeout:${f.timeoutS} · try ${f.attempt} of attempts:${f.attempts}`,
            },
            step,
          );
          break;
        }
        case 'resolver.done': {
          const g = group(f.who, f.lookup, f.tool, f.name);
          netnsOf(g, step);
          groups[g].g = { ...groups[g].g, done: f };
          add(
            {
              kind: 'result',
              group: g,
              ...at(step),
              from: bare(f.who),
              to: '',
              qname: f.qname,
              qtype: '',
              answers: [],
              ...(f.status ? { rcode: f.status } : {}),
              note: `${f.queries === 1 ? '1 query' : `${f.queries} queries`} · ${f.ms} ms`,
            },
            step,
          );
          // The winning attempt: the name that answered, when it gave an address.
          if (!f.error && f.addresses.length)
            for (const r of groups[g].rows) {
              const d = drafts[r];
              if ((d.kind === 'query' || d.kind === 'response') && norm(d.qname) === norm(f.qname))
                drafts[r].winner = true;
            }
          break;
        }
      }
    }
    // A frame in flight: the query or answer its DNS ID names.
    if (!rowOfStep.has(step.index) && step.frame) {
      const h = dnsHeaderOf(step.frame);
      const row = h && byWireId.get(`${h.id} ${h.qr ? 'r' : 'q'}`);
      if (row !== undefined) rowOfStep.set(step.index, row);
    }
  }

  // Group by lookup, each group's rows in step order (a query that waited for ARP moves down).
  const order: number[] = [];
  for (const { rows } of groups) {
    const [head, ...rest] = rows;
    const sorted = rest.sort((a, b) => drafts[a].step - drafts[b].step || a - b);
    if (head !== undefined) order.push(head, ...sorted);
  }
  const newIndex = new Map(order.map((old, i) => [old, i]));
  const rows: DnsRow[] = order.map((old) => {
    const { fromSolicit: _s, responseTo: _r, ...d } = drafts[old];
    void _s;
    void _r;
    return d;
  });
  const remapped = new Map<number, number>();
  for (const [s, r] of rowOfStep) remapped.set(s, newIndex.get(r) ?? r);
  return {
    rows,
    groups: groups.map(({ g, netns }) => (netns ? { ...g, netns } : g)),
    rowOfStep: remapped,
  };
}

const cache = new WeakMap<Simulation, DnsTable>();

/** buildDnsTable, once per simulation. */
export function dnsTable(sim: Simulation): DnsTable {
  let t = cache.get(sim);
  if (!t) cache.set(sim, (t = buildDnsTable(sim)));
  return t;
}
