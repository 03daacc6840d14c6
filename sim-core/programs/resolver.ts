/**
 * A pod's stub resolver, as glibc's getaddrinfo runs it for `getent ahosts`
 * or curl (AF_UNSPEC, nss_dns), and dig's single query.
 *
 * glibc, resolv/res_query.c __res_context_search:
 *  - a name ending in a dot is asked as written, and only so;
 *  - with at least ndots dots it is asked as written first, then with each
 *    search suffix; with fewer, each suffix first and the name as written
 *    last (RES_NOTLDQUERY is off by default, so even a bare `web` is asked);
 *  - NXDOMAIN or NOERROR-without-data for both A and AAAA (HOST_NOT_FOUND,
 *    NO_DATA) and SERVFAIL move on to the next name; an address in either
 *    answer ends the walk; a timeout ends it too (TRY_AGAIN, not SERVFAIL).
 * resolv/res_send.c: each name gets a fresh socket (closed after res_send
 * without RES_STAYOPEN), connected to the nameserver so the kernel autobinds
 * a random port; send_dg writes the A query and the AAAA query back to back
 * and polls for both answers; after `timeout` seconds with one nameserver it
 * writes both again, `attempts` times in all; then EAI_AGAIN.
 * Query IDs come from glibc's random_bits: the seeded program stream here.
 *
 * dig (BIND 9.18) sends one query, without the search list unless +search.
 */
import type { Dataplane } from '../dataplane/types.ts';
import type { Socket } from '../model.ts';
import { armTimer } from '../dataplane/tcp-timer.ts';
import { PROGRAM_WAKEUP_US } from '../dataplane/tcp-program.ts';
import {
  programRng,
  udpCloseSocket,
  udpConnect,
  udpWrite,
  type Datagram,
} from '../dataplane/udp-program.ts';
import type { ResolvConf } from '../k8s/resolv-conf.ts';
import { resolverOptions } from '../k8s/resolv-conf.ts';
import type { DnsRecordFact } from '../narration/dns-path.ts';
import { buildQuery, readMessage, type MessageView } from './dns-message.ts';
import type { World } from '../dataplane/world.ts';

export interface Candidate {
  /** Absolute, with the trailing dot. */
  readonly qname: string;
  readonly how: 'search' | 'as-is';
}

/** The names getaddrinfo asks, in order (res_search). */
export function searchCandidates(
  name: string,
  searches: readonly string[],
  ndots: number,
): Candidate[] {
  const fq = (n: string) => (n.endsWith('.') ? n : `${n}.`);
  if (name.endsWith('.')) return [{ qname: name, how: 'as-is' }];
  const dots = name.split('.').length - 1;
  const asIs: Candidate = { qname: fq(name), how: 'as-is' };
  const out: Candidate[] = [];
  let rootOnList = false;
  const suffixed: Candidate[] = [];
  for (const s of searches) {
    if (s === '' || s === '.') {
      rootOnList = true;
      suffixed.push(asIs);
    } else suffixed.push({ qname: fq(`${name}.${s.replace(/\.$/, '')}`), how: 'search' });
  }
  if (dots >= ndots) return [asIs, ...suffixed.filter((c) => c !== asIs)];
  out.push(...suffixed);
  if (!rootOnList) out.push(asIs);
  return out;
}

export interface LookupResult {
  readonly addresses: readonly string[];
  readonly qname: string;
  readonly error?: string;
  readonly response?: MessageView;
}

export interface LookupRequest {
  readonly netns: string;
  readonly src: string;
  readonly who: string;
  readonly owner: string;
  readonly resolv: ResolvConf;
  readonly name: string;
  readonly tool: 'getaddrinfo' | 'dig';
  /** dig's query type (A when absent); getaddrinfo asks A and AAAA. */
  readonly qtype?: string;
  /** dig +search. */
  readonly search?: boolean;
  /** dig @server; otherwise the first nameserver of resolv.conf (127.0.0.1 with none, as glibc). */
  readonly server?: string;
  /** Words for what the action does with the address (the done step says it). */
  readonly then?: string;
  readonly onDone?: (r: LookupResult) => void;
}

const LOOKUPS = new WeakMap<World, { n: number }>();

const records = (v: MessageView): DnsRecordFact[] =>
  v.answers.map((a) => ({ name: a.name, type: a.type, ttl: a.ttl, data: a.data }));

/** Addresses in an answer (what getaddrinfo returns); CNAMEs are followed by the server. */
const addressesOf = (v: MessageView) =>
  v.answers.filter((a) => a.type === 'A' || a.type === 'AAAA').map((a) => a.data);

/** dig retries a UDP query 3 times (+tries=3), 5 s apart (+time=5). */
const DIG_TRIES = 3;
const DIG_TIME_S = 5;

export function lookup(dp: Dataplane, req: LookupRequest): void {
  const counter = LOOKUPS.get(dp.world) ?? { n: 0 };
  LOOKUPS.set(dp.world, counter);
  const id = ++counter.n;
  const rng = programRng(dp);
  const opts = resolverOptions(req.resolv);
  const server = req.server ?? req.resolv.nameservers[0] ?? '127.0.0.1';
  const dig = req.tool === 'dig';
  const candidates =
    dig && !req.search
      ? [{ qname: req.name.endsWith('.') ? req.name : `${req.name}.`, how: 'as-is' as const }]
      : searchCandidates(req.name, req.resolv.searches, opts.ndots);
  const qtypes = dig ? [req.qtype ?? 'A'] : ['A', 'AAAA'];
  const attempts = dig ? DIG_TRIES : opts.attempts;
  const timeoutS = dig ? DIG_TIME_S : opts.timeout;
  const startUs = dp.world.timeUs;
  let queries = 0;

  const finish = (r: LookupResult) => {
    const ms = ((dp.world.timeUs - startUs) / 1000).toFixed(3);
    const output = dig
      ? `status: ${r.response?.rcode ?? 'timed out'}${r.addresses.length ? `, ${r.addresses.join(', ')}` : ''}`
      : r.error
        ? `getent ahosts ${req.name}: exit 2 (${r.error})`
        : r.addresses
            .map((a, i) =>
              `${a.padEnd(15)} STREAM ${i === 0 ? r.qname.replace(/\.$/, '') : ''}`.trimEnd(),
            )
            .join('\n');
    dp.world.record({
      kind: r.error ? 'error' : 'container',
      place: { node: dp.world.netns(req.netns).node, netns: req.netns },
      summary: dig
        ? `dig ${req.name} ${qtypes[0]}: ${r.response?.rcode ?? r.error}`
        : r.error
          ? `${req.name}: ${r.error}`
          : `${req.name} → ${r.addresses.join(', ')}`,
      facts: {
        type: 'resolver.done',
        who: req.who,
        tool: req.tool,
        lookup: id,
        name: req.name,
        qname: r.qname,
        addresses: r.addresses,
        ...(r.error ? { error: r.error } : {}),
        ...(r.response ? { status: r.response.rcode } : {}),
        queries,
        ms,
        output,
        ...(req.then && !r.error ? { then: req.then } : {}),
      },
    });
    req.onDone?.(r);
  };

  const tryCandidate = (i: number, servfail: boolean) => {
    if (i >= candidates.length) {
      return finish({
        addresses: [],
        qname: candidates[candidates.length - 1].qname,
        error: servfail ? 'Temporary failure in name resolution' : 'Name or service not known',
      });
    }
    const c = candidates[i];
    const ids = qtypes.map(() => rng.int(0, 0xffff));
    const answers = new Map<number, MessageView>();
    let attempt = 1;
    let open = true;

    const settle = () => {
      open = false;
      udpCloseSocket(dp, req.netns, sock);
    };

    const onReply = (_: Dataplane, d: Datagram) => {
      const v = readMessage(d.payload);
      if (!open || !v || !v.response) return;
      const k = ids.indexOf(v.id);
      if (k < 0 || answers.has(k) || v.qtype !== qtypes[k]) return;
      answers.set(k, v);
      const all = answers.size === qtypes.length;
      const found = [...answers.values()].some((a) => a.rcode === 'NOERROR' && a.answers.length);
      const moveOn = [...answers.values()].every((a) =>
        ['NXDOMAIN', 'NOERROR', 'SERVFAIL'].includes(a.rcode),
      );
      const next: 'wait' | 'next-name' | 'done' | 'fail' = !all
        ? 'wait'
        : dig || found || !moveOn
          ? 'done'
          : i + 1 < candidates.length
            ? 'next-name'
            : 'fail';
      dp.world.record({
        kind: 'container',
        place: { node: dp.world.netns(req.netns).node, netns: req.netns },
        summary: `${v.qtype} ${v.qname} → ${v.rcode}${v.answers.length ? ` ${v.answers.map((a) => a.data).join(', ')}` : ''}`,
        facts: {
          type: 'resolver.answer',
          who: req.who,
          tool: req.tool,
          lookup: id,
          qname: v.qname,
          qtype: v.qtype,
          id: v.id,
          rcode: v.rcode,
          answers: records(v),
          soa: v.authority.some((a) => a.type === 'SOA'),
          from: `${d.src}:${d.srcPort}`,
          next,
          ...(next === 'next-name' ? { nextName: candidates[i + 1].qname } : {}),
        },
      });
      if (!all) return;
      settle();
      const got = [...answers.entries()].sort(([a], [b]) => a - b).map(([, m]) => m);
      const addresses = got.flatMap(addressesOf);
      if (dig) {
        if (v.rcode === 'NXDOMAIN' && req.search && i + 1 < candidates.length)
          return dp.at(PROGRAM_WAKEUP_US, () => tryCandidate(i + 1, servfail));
        return dp.at(PROGRAM_WAKEUP_US, () =>
          finish({ addresses, qname: c.qname, response: got[0] }),
        );
      }
      if (found) return dp.at(PROGRAM_WAKEUP_US, () => finish({ addresses, qname: c.qname }));
      if (!moveOn)
        return dp.at(PROGRAM_WAKEUP_US, () =>
          finish({ addresses: [], qname: c.qname, error: 'Temporary failure in name resolution' }),
        );
      const sawServfail = servfail || got.some((m) => m.rcode === 'SERVFAIL');
      dp.at(PROGRAM_WAKEUP_US, () => tryCandidate(i + 1, sawServfail));
    };

    const send = () => {
      qtypes.forEach((qtype, k) => {
        if (answers.has(k)) return;
        queries++;
        const cookie = new Uint8Array(8).map(() => rng.int(0, 255));
        const bytes = buildQuery({
          id: ids[k],
          name: c.qname,
          qtype,
          ...(dig ? { dig: { cookie } } : {}),
        });
        udpWrite(dp, req.netns, sock, bytes, {
          type: 'resolver.query',
          who: req.who,
          tool: req.tool,
          lookup: id,
          name: req.name,
          qname: c.qname,
          qtype,
          id: ids[k],
          socket: `${sock.localAddr}:${sock.localPort}`,
          server,
          candidate: i + 1,
          candidates: candidates.length,
          how: c.how,
          ndots: opts.ndots,
          attempt,
          parallel: k > 0,
        });
      });
      const sentAt = attempt;
      armTimer(
        dp,
        timeoutS * 1_000_000,
        () => open && attempt === sentAt,
        () => {
          dp.world.record({
            kind: 'error',
            place: { node: dp.world.netns(req.netns).node, netns: req.netns },
            summary: `${c.qname}: no answer from ${server} in ${timeoutS} s`,
            facts: {
              type: 'resolver.timeout',
              who: req.who,
              lookup: id,
              qname: c.qname,
              timeoutS,
              attempt,
              attempts,
              server,
            },
          });
          if (attempt < attempts) {
            attempt++;
            return send();
          }
          settle();
          finish({
            addresses: [],
            qname: c.qname,
            error: dig ? 'communications error: timed out' : 'Temporary failure in name resolution',
          });
        },
      );
    };

    const sock: Socket = udpConnect(dp, req.netns, req.src, server, 53, req.owner, (x, d) =>
      onReply(x, d),
    );
    send();
  };

  tryCandidate(0, false);
}
