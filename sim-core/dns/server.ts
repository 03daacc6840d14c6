/**
 * CoreDNS as one handle: a query datagram in, a reply or a forward out.
 * The Corefile's plugins run in CoreDNS's plugin.cfg order, which is not the
 * order written: loadbalance, then cache, then kubernetes, then forward.
 * Around them the server (core/dnsserver/server.go) refuses non-IN classes
 * and wraps the writer in request.ScrubWriter, which puts the client's OPT
 * back on the reply (SizeAndDo) and fits it to 512 bytes or the EDNS size.
 *
 * Replies carry what SetReply gives: the query's ID, opcode, RD and CD, QR
 * set, RA clear (the kubernetes plugin is authoritative, not a recursor:
 * dig warns "recursion requested but not available"); AA on kubernetes and
 * cache answers; a forwarded reply keeps the upstream's flags.
 */
import type { Rng } from '../engine/rng.ts';
import type { DnsAnswerWhat, DnsFact, DnsStored } from '../narration/dns.ts';
import type { DnsMessage, DnsOpt, DnsRecord } from '../wire/dns.ts';
import { dnsLen, emitDns, optDo, parseDns, RCODE, RCODE_NAMES } from '../wire/dns.ts';
import { emitDnsCompressed } from '../wire/dns-compress.ts';
import { cacheKey, DnsCache, type CacheStore } from './cache.ts';
import type { CorefileConfig } from './corefile.ts';
import { kubeadmCorefile, parseCorefile } from './corefile.ts';
import type { KubeResult } from './kubernetes.ts';
import { kubernetesAnswer, matchZone } from './kubernetes.ts';
import { rdataText } from './present.ts';
import type { DnsClusterView } from './view.ts';

export interface CoreDnsOptions {
  readonly rng: Rng;
  /** A scenario's own Corefile; kubeadm's when absent. Must parse (see parseCorefile). */
  readonly corefile?: string;
  readonly clusterDomain: string;
  /** Where `forward . /etc/resolv.conf` sends (the node's nameserver), for the facts. */
  readonly upstream?: string;
  /** Where the cache plugin keeps its entries (a Map when absent). */
  readonly cacheStore?: CacheStore;
}

export type DnsHandled =
  | { readonly kind: 'reply'; readonly response: Uint8Array; readonly facts: DnsFact }
  | {
      readonly kind: 'forward';
      readonly forwardId: number;
      /** The query to send upstream, with forward's new random ID. */
      readonly query: Uint8Array;
      readonly facts: DnsFact;
    }
  /** Not a query CoreDNS answers (a response, or shorter than a header): miekg/dns drops it. */
  | { readonly kind: 'drop'; readonly reason: string };

export type DnsReply = Extract<DnsHandled, { kind: 'reply' }>;

export interface CoreDns {
  readonly corefile: string;
  readonly config: CorefileConfig;
  /** One query datagram in; either a response or a forward to upstream. */
  handle(query: Uint8Array, nowUs: number, view: DnsClusterView): DnsHandled;
  /** The upstream's reply to a forwarded query: CoreDNS's reply to the client (cached). */
  upstreamReply(forwardId: number, reply: Uint8Array, nowUs: number): DnsReply;
  /** The cache's live entries ("name|type|class|do|cd", remaining TTL), for a panel. */
  cacheEntries(nowUs: number): readonly { key: string; remaining: number }[];
}

interface Pending {
  readonly client: DnsMessage;
  readonly upstreamId: number;
  /** Set when resolving an ExternalName's target. */
  readonly external?: { cname: DnsRecord; service: string; target: string };
}

/** miekg/dns SetReply. */
function setReply(q: DnsMessage, rcode = RCODE.NOERROR as number): DnsMessage {
  return {
    id: q.id,
    qr: true,
    opcode: q.opcode,
    aa: false,
    tc: false,
    rd: q.opcode === 0 ? q.rd : false,
    ra: false,
    z: false,
    ad: false,
    cd: q.opcode === 0 ? q.cd : false,
    rcode,
    questions: q.questions.slice(0, 1),
    answers: [],
    authorities: [],
    additionals: [],
  };
}

/** loadbalance.go roundRobinShuffle: dns.Id() is a random uint16; ours comes from the seeded rng. */
function shuffle(records: DnsRecord[], rng: Rng): void {
  const id = () => rng.u32() & 0xffff;
  const l = records.length;
  if (l < 2) return;
  if (l === 2) {
    if (id() % 2 === 0) [records[0], records[1]] = [records[1], records[0]];
    return;
  }
  for (let j = 0; j < l; j++) {
    const p = j + (id() % (l - j));
    if (p !== j) [records[j], records[p]] = [records[p], records[j]];
  }
}

/** loadbalance.go roundRobin: CNAMEs first, then the rest, then shuffled addresses, then MX. */
function roundRobin(input: readonly DnsRecord[], rng: Rng): DnsRecord[] {
  if (input.length <= 1) return [...input];
  const t = input[0].type;
  if ((t === 'A' || t === 'AAAA') && input.every((r) => r.type === t)) {
    const out = [...input];
    shuffle(out, rng);
    return out;
  }
  const cname = input.filter((r) => r.type === 'CNAME');
  const address = input.filter((r) => r.type === 'A' || r.type === 'AAAA');
  const mx = input.filter((r) => r.type === 'MX');
  const rest = input.filter((r) => !['CNAME', 'A', 'AAAA', 'MX'].includes(r.type));
  shuffle(address, rng);
  shuffle(mx, rng);
  return [...cname, ...rest, ...address, ...mx];
}

/**
 * request.SizeAndDo + Scrub: the client's OPT on the reply (its UDP size,
 * version 0, flags but DO cleared unless asked, supported options echoed:
 * a COOKIE comes back as sent), then miekg's Truncate to the client's size:
 * uncompressed when it fits, else compressed, else cut to what fits.
 */
function scrub(m: DnsMessage, q: DnsMessage): { msg: DnsMessage; compress: boolean } {
  let out: DnsMessage = m;
  if (q.opt) {
    const base = m.opt ?? q.opt;
    const opt: DnsOpt = {
      udpPayloadSize: q.opt.udpPayloadSize,
      extendedRcode: 0,
      version: 0,
      flags: (base.flags & 0x7f00) | (optDo(q.opt) ? 0x8000 : 0),
      options: m.opt ? m.opt.options : q.opt.options.filter((o) => SUPPORTED_OPTIONS.has(o.code)),
    };
    out = { ...m, opt };
  }
  // edns.Size: at least 512 bytes over UDP.
  const size = Math.max(512, q.opt ? q.opt.udpPayloadSize : 512);
  if (dnsLen(out) <= size) return { msg: out, compress: false };
  const len = (x: DnsMessage) => emitDnsCompressed(x).length;
  if (len(out) <= size) return { msg: out, compress: true };
  // Truncate's truncateLoop: keep the RRs that fit compressed, answer first; TC when
  // the answer or authority section lost any.
  const fit = (
    rs: readonly DnsRecord[],
    base: DnsMessage,
    section: 'answers' | 'authorities' | 'additionals',
  ) => {
    const kept: DnsRecord[] = [];
    for (const r of rs) {
      if (len({ ...base, [section]: [...kept, r] }) > size) break;
      kept.push(r);
    }
    return kept;
  };
  const empty = { ...out, answers: [], authorities: [], additionals: [] };
  const answers = fit(out.answers, empty, 'answers');
  const authorities = fit(out.authorities, { ...empty, answers }, 'authorities');
  const additionals = fit(out.additionals, { ...empty, answers, authorities }, 'additionals');
  const tc =
    out.tc || answers.length < out.answers.length || authorities.length < out.authorities.length;
  return { msg: { ...out, tc, answers, authorities, additionals }, compress: true };
}

/** request/edns0.go supportedOptions: NSID, EXPIRE, COOKIE, TCP-KEEPALIVE, PADDING. */
const SUPPORTED_OPTIONS = new Set([3, 9, 10, 11, 12]);

const rcodeName = (n: number) => RCODE_NAMES[n] ?? `RCODE${n}`;

export function createCoreDns(opts: CoreDnsOptions): CoreDns {
  const corefile = opts.corefile ?? kubeadmCorefile(opts.clusterDomain);
  const parsed = parseCorefile(corefile);
  if (!parsed.ok) {
    const e = parsed.errors[0];
    throw new Error(`Corefile ${e.line}:${e.column}: ${e.message}`);
  }
  const config = parsed.config;
  const lbRng = opts.rng.fork('coredns-loadbalance');
  const idRng = opts.rng.fork('coredns-forward-id');
  const cache = config.cache ? new DnsCache(config.cache, opts.cacheStore) : undefined;
  const pending = new Map<number, Pending>();
  let nextForward = 1;
  const upstream = opts.upstream ?? config.forward?.to[0] ?? '/etc/resolv.conf';

  interface Out {
    msg: DnsMessage;
    plugin: 'kubernetes' | 'cache' | 'forward' | 'server';
    what: DnsAnswerWhat;
    stored: DnsStored;
    service?: string;
    cache?: { ageS: number; storedTtl: number };
    target?: string;
  }

  /** The writers outside the plugin that answered: cache (when `viaCache`), loadbalance, scrub. */
  function finish(q: DnsMessage, o: Out, nowUs: number, viaCache: boolean): DnsReply {
    let m = o.msg;
    let stored = o.stored;
    if (cache && viaCache) {
      const qq = q.questions[0];
      const w = cache.write(
        cacheKey(qq.name, qq.type, qq.class, optDo(q.opt), q.cd),
        m,
        nowUs,
        o.what,
      );
      m = w.msg;
      stored = w.stored ? 'stored' : (w.reason ?? 'uncacheable');
    }
    // cache.go: AD is cleared unless the client set DO or AD.
    if (!optDo(q.opt) && !q.ad) m = { ...m, ad: false };
    let rotated = false;
    if (config.loadbalance && m.rcode === RCODE.NOERROR) {
      const before = m.answers;
      m = {
        ...m,
        answers: roundRobin(m.answers, lbRng),
        authorities: roundRobin(m.authorities, lbRng),
        additionals: roundRobin(m.additionals, lbRng),
      };
      rotated =
        before.filter((r) => r.type === 'A' || r.type === 'AAAA').length > 1 &&
        m.answers.some((r, i) => r !== before[i]);
    }
    const scrubbed = scrub(m, q);
    m = scrubbed.msg;
    const qq = q.questions[0];
    const facts: DnsFact = {
      type: 'dns.answer',
      plugin: o.plugin,
      qname: qq.name,
      qtype: qq.type,
      rcode: rcodeName(m.rcode),
      what: o.what,
      answers: m.answers.map(rdataText),
      ttl: m.answers[0]?.ttl ?? m.authorities[0]?.ttl ?? 0,
      ...(o.service ? { service: o.service } : {}),
      soa: m.authorities.some((r) => r.type === 'SOA'),
      rotated,
      ...(o.cache ? { cache: o.cache } : {}),
      stored,
      additional: m.additionals.length,
      truncated: m.tc,
      ...(o.target ? { target: o.target } : {}),
    };
    return { kind: 'reply', response: (scrubbed.compress ? emitDnsCompressed : emitDns)(m), facts };
  }

  function forward(
    q: DnsMessage,
    send: DnsMessage,
    p: Omit<Pending, 'upstreamId' | 'client'>,
    why: 'outside-zone' | 'fallthrough' | 'externalname',
  ): DnsHandled {
    const upstreamId = idRng.u32() & 0xffff;
    const forwardId = nextForward++;
    pending.set(forwardId, { client: q, upstreamId, ...p });
    const qq = send.questions[0];
    return {
      kind: 'forward',
      forwardId,
      query: emitDns({ ...send, id: upstreamId }),
      facts: {
        type: 'dns.forward',
        qname: qq.name,
        qtype: qq.type,
        id: q.id,
        upstreamId,
        to: upstream,
        why,
        ...(p.external ? { service: p.external.service, target: p.external.target } : {}),
      },
    };
  }

  function kubeReply(q: DnsMessage, r: Extract<KubeResult, { kind: 'answer' }>): Out {
    const m: DnsMessage = {
      ...setReply(q, r.rcode),
      aa: r.rcode !== RCODE.REFUSED,
      answers: r.answers,
      authorities: r.authorities,
      additionals: r.additionals,
    };
    return {
      msg: m,
      plugin: 'kubernetes',
      what: r.what,
      stored: 'no-cache',
      ...(r.service ? { service: r.service } : {}),
    };
  }

  return {
    corefile,
    config,
    cacheEntries: (nowUs) => cache?.entries(nowUs) ?? [],

    handle(bytes, nowUs, view) {
      if (bytes.length < 12)
        return { kind: 'drop', reason: `${bytes.length} bytes: shorter than a DNS header` };
      if (bytes[2] & 0x80) return { kind: 'drop', reason: 'a response, not a query' };
      let q: DnsMessage;
      try {
        q = parseDns(bytes);
      } catch (e) {
        // miekg/dns answers an undecodable query FORMERR with its header.
        const id = (bytes[0] << 8) | bytes[1];
        const m: DnsMessage = {
          ...setReply({ ...emptyQuery, id, rd: (bytes[2] & 1) === 1 }),
          rcode: RCODE.FORMERR,
        };
        return reply(m, '.', '', 'formerr', e instanceof Error ? e.message : String(e));
      }
      if (q.questions.length !== 1) {
        return reply(
          setReply(q, RCODE.FORMERR),
          q.questions[0]?.name ?? '.',
          q.questions[0]?.type ?? '',
          'formerr',
        );
      }
      const qq = q.questions[0];
      if (qq.class !== 'IN') return reply(setReply(q, RCODE.REFUSED), qq.name, qq.type, 'refused');
      if (cache) {
        const hit = cache.get(cacheKey(qq.name, qq.type, qq.class, optDo(q.opt), q.cd), nowUs);
        if (hit) {
          const i = hit.item.msg;
          const t = hit.remaining;
          const m: DnsMessage = {
            ...setReply(q, i.rcode),
            aa: true,
            ra: i.ra,
            ad: i.ad,
            answers: i.answers.map((r) => ({ ...r, ttl: t }) as DnsRecord),
            authorities: i.authorities.map((r) => ({ ...r, ttl: t }) as DnsRecord),
            additionals: i.additionals.map((r) => ({ ...r, ttl: t }) as DnsRecord),
          };
          const what = hit.item.what;
          return finish(
            q,
            {
              msg: m,
              plugin: 'cache',
              what,
              stored: 'hit',
              cache: { ageS: hit.ageS, storedTtl: hit.item.ttl },
            },
            nowUs,
            false,
          );
        }
      }
      const k = config.kubernetes
        ? kubernetesAnswer(config.kubernetes, view, qq.name, qq.type)
        : ({ kind: 'next', fellThrough: false } as const);
      if (k.kind === 'answer') return finish(q, kubeReply(q, k), nowUs, true);
      if (k.kind === 'lookup') {
        // plugin/pkg/upstream: a fresh query (SetQuestion: RD, a new ID) with the client's EDNS.
        const send: DnsMessage = {
          ...emptyQuery,
          rd: true,
          questions: [{ name: k.target, type: k.qtype, class: 'IN' }],
          ...(q.opt ? { opt: { ...q.opt, options: [] } } : {}),
        };
        return forward(
          q,
          send,
          { external: { cname: k.cname, service: k.service, target: k.target } },
          'externalname',
        );
      }
      const fq = `${qq.name.toLowerCase()}.`.replace(/\.\.$/, '.');
      if (config.forward && matchZone([config.forward.from], fq) !== '')
        return forward(q, q, {}, k.fellThrough ? 'fallthrough' : 'outside-zone');
      // plugin.NextOrFailure with no next plugin: SERVFAIL.
      return reply(setReply(q, RCODE.SERVFAIL), qq.name, qq.type, 'servfail');

      function reply(
        m: DnsMessage,
        name: string,
        type: string,
        what: DnsAnswerWhat,
        _why?: string,
      ): DnsReply {
        const facts: DnsFact = {
          type: 'dns.answer',
          plugin: 'server',
          qname: name,
          qtype: type,
          rcode: rcodeName(m.rcode),
          what,
          answers: [],
          ttl: 0,
          soa: false,
          rotated: false,
          stored: 'no-cache',
          additional: 0,
          truncated: false,
        };
        return { kind: 'reply', response: emitDns(m), facts };
      }
    },

    upstreamReply(forwardId, bytes, nowUs) {
      const p = pending.get(forwardId);
      if (!p) throw new Error(`no forwarded query ${forwardId} is waiting`);
      pending.delete(forwardId);
      const q = p.client;
      let ret: DnsMessage;
      try {
        ret = parseDns(bytes);
      } catch {
        ret = setReply(q, RCODE.SERVFAIL);
      }
      if (p.external) {
        // backend_lookup.go A: the CNAME, then what the lookup found (its answer section).
        const qq = q.questions[0];
        if (cache) {
          const t = p.external.target;
          cache.write(cacheKey(t, qq.type, 'IN', optDo(q.opt), false), ret, nowUs, 'forwarded');
        }
        const answers = [p.external.cname, ...ret.answers];
        const m: DnsMessage = { ...setReply(q), aa: true, answers };
        return finish(
          q,
          {
            msg: m,
            plugin: 'kubernetes',
            what: 'externalname',
            stored: 'no-cache',
            service: p.external.service,
            target: p.external.target,
          },
          nowUs,
          true,
        );
      }
      // proxy/connect.go: the reply gets the client's ID back.
      const m: DnsMessage = { ...ret, id: q.id };
      return finish(
        q,
        { msg: m, plugin: 'forward', what: 'forwarded', stored: 'no-cache' },
        nowUs,
        true,
      );
    },
  };
}

const emptyQuery: DnsMessage = {
  id: 0,
  qr: false,
  opcode: 0,
  aa: false,
  tc: false,
  rd: false,
  ra: false,
  z: false,
  ad: false,
  cd: false,
  rcode: 0,
  questions: [],
  answers: [],
  authorities: [],
  additionals: [],
};
