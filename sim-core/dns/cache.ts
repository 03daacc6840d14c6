/**
 * CoreDNS's cache plugin (plugin/cache: cache.go ResponseWriter.WriteMsg and
 * key, item.go toMsg, handler.go ServeDNS), without prefetch or serve_stale.
 *
 * - A reply is classified (response.Typify): success, NXDOMAIN and NODATA
 *   (SOA in authority), SERVFAIL; NXDOMAIN without an SOA and truncated
 *   replies are not stored.
 * - Its duration is the smallest TTL in it, clamped to [MINTTL, TTL]
 *   (5 and 30 s with `cache 30`); SERVFAIL is kept `servfail` (5 s).
 * - Every RR of the reply that passes is rewritten to that duration
 *   ("avoid jarring TTL experience"), so the first answer shows 30, not the
 *   upstream's 3600.
 * - A hit answers with every TTL set to duration − whole seconds elapsed,
 *   AA set (item.go: some stub resolvers drop non-authoritative answers) and
 *   the new query's ID, RD and CD. At 0 the entry is stale and goes upstream.
 * - `disable success|denial ZONE` keeps answers for the zone out (kubeadm:
 *   the cluster domain) but they are still TTL-capped on the way through.
 *
 * The entries live where the caller keeps them (`CacheStore`): on the path,
 * in the CoreDNS pod's network namespace (`Netns.dnsCache`, a persistent map
 * in the per-step store), so a panel shows the cache at any step and
 * stepping back shows it as it was; alone (tests), in a Map.
 */
import type { DnsAnswerWhat } from '../narration/dns.ts';
import type { DnsMessage, DnsRecord } from '../wire/dns.ts';
import { RCODE } from '../wire/dns.ts';
import type { CacheConfig } from './corefile.ts';
import { matchZone } from './kubernetes.ts';

export type CacheClass = 'success' | 'nxdomain' | 'nodata' | 'servfail' | 'other';

export interface CacheItem {
  readonly msg: DnsMessage;
  readonly storedUs: number;
  /** The cache duration in seconds (origTTL). */
  readonly ttl: number;
  readonly kind: CacheClass;
  /** What the answering plugin had found, for the facts of a hit. */
  readonly what: DnsAnswerWhat;
}

export function classify(m: DnsMessage): CacheClass {
  if (m.answers.length > 0 && m.rcode === RCODE.NOERROR) return 'success';
  const soa = m.authorities.some((r) => r.type === 'SOA');
  if (soa && m.rcode === RCODE.NOERROR) return 'nodata';
  if (soa && m.rcode === RCODE.NXDOMAIN) return 'nxdomain';
  if (m.rcode === RCODE.SERVFAIL || m.rcode === 4) return 'servfail';
  if (m.rcode === RCODE.NOERROR) return 'success';
  return 'other';
}

const withTtl = (rs: readonly DnsRecord[], ttl: number): DnsRecord[] =>
  rs.map((r) => ({ ...r, ttl }) as DnsRecord);

export const cacheKey = (
  name: string,
  type: string,
  klass: string,
  dnssecOk: boolean,
  cd: boolean,
) => `${name.toLowerCase().replace(/\.$/, '')}|${type}|${klass}|${dnssecOk ? 1 : 0}|${cd ? 1 : 0}`;

export interface CacheWrite {
  /** The reply with its TTLs capped, as it goes on to the client. */
  readonly msg: DnsMessage;
  readonly ttl: number;
  readonly stored: boolean;
  /** Why not stored, when not. */
  readonly reason?: 'disabled-zone' | 'uncacheable';
}

/** Where a cache keeps its entries. */
export interface CacheStore {
  get(key: string): CacheItem | undefined;
  set(key: string, item: CacheItem): void;
  entries(): Iterable<readonly [string, CacheItem]>;
  readonly size: number;
}

export function mapCacheStore(): CacheStore {
  const m = new Map<string, CacheItem>();
  return {
    get: (k) => m.get(k),
    set: (k, v) => void m.set(k, v),
    entries: () => m.entries(),
    get size() {
      return m.size;
    },
  };
}

export class DnsCache {
  constructor(
    readonly cfg: CacheConfig,
    private readonly items: CacheStore = mapCacheStore(),
  ) {}

  /** A live entry for the key at `nowUs`, with its remaining TTL, or undefined. */
  get(
    key: string,
    nowUs: number,
  ): { item: CacheItem; remaining: number; ageS: number } | undefined {
    const item = this.items.get(key);
    if (!item) return undefined;
    const ageS = Math.floor((nowUs - item.storedUs) / 1e6);
    const remaining = item.ttl - ageS;
    if (remaining <= 0) return undefined;
    return { item, remaining, ageS };
  }

  /** cache.go WriteMsg: cap the TTLs, and store the reply unless excluded. */
  write(key: string, m: DnsMessage, nowUs: number, what: DnsAnswerWhat): CacheWrite {
    const kind = classify(m);
    const negative = kind === 'nxdomain' || kind === 'nodata';
    let ttl: number;
    if (kind === 'servfail') ttl = this.cfg.servfailTtl;
    else {
      const max = negative ? this.cfg.denialTtl : this.cfg.successTtl;
      const min = negative ? this.cfg.denialMinTtl : this.cfg.successMinTtl;
      const all = [...m.answers, ...m.authorities, ...m.additionals];
      // MinimalTTLWithMaximum: no records at all gives the 5 s fail-safe.
      const msgTtl =
        kind === 'other' || all.length === 0 ? 5 : Math.min(max, ...all.map((r) => r.ttl ?? 0));
      ttl = Math.min(Math.max(msgTtl, min), max);
    }
    const capped: DnsMessage = {
      ...m,
      answers: withTtl(m.answers, ttl),
      authorities: withTtl(m.authorities, ttl),
      additionals: withTtl(m.additionals, ttl),
    };
    const cacheable =
      !m.tc &&
      kind !== 'other' &&
      !(kind === 'success' && m.answers.length > 0 && !answersType(m)) &&
      ttl > 0;
    if (!cacheable) return { msg: capped, ttl, stored: false, reason: 'uncacheable' };
    const qname = `${(m.questions[0]?.name ?? '.').toLowerCase()}.`.replace(/\.\.$/, '.');
    const except = kind === 'success' ? this.cfg.disableSuccess : this.cfg.disableDenial;
    if (matchZone(except, qname) !== '')
      return { msg: capped, ttl, stored: false, reason: 'disabled-zone' };
    this.items.set(key, { msg: capped, storedUs: nowUs, ttl, kind, what });
    return { msg: capped, ttl, stored: true };
  }

  /** Number of entries (live or not yet evicted), for the bench and panels. */
  get size(): number {
    return this.items.size;
  }

  /** Entries live at `nowUs`, oldest first: key, remaining TTL. */
  entries(nowUs: number): { key: string; remaining: number; kind: CacheClass }[] {
    const out: { key: string; remaining: number; kind: CacheClass }[] = [];
    for (const [key, item] of this.items.entries()) {
      const remaining = item.ttl - Math.floor((nowUs - item.storedUs) / 1e6);
      if (remaining > 0) out.push({ key, remaining, kind: item.kind });
    }
    return out;
  }
}

/**
 * cache.go key: an SOA-less NOERROR whose answer does not reach the asked
 * type (a CNAME chain cut short by a forwarder) is not cached.
 */
function answersType(m: DnsMessage): boolean {
  const q = m.questions[0];
  if (!q) return true;
  if (m.authorities.some((r) => r.type === 'SOA')) return true;
  return m.answers.some((r) => r.type === q.type || q.type === 'ANY' || r.type !== 'CNAME');
}
