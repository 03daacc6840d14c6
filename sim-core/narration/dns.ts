/**
 * CoreDNS answering a query: which plugin answered (kubernetes, cache,
 * forward), what it found, and what cache and loadbalance did to the reply.
 */
import type { FactOf, Narrators } from './types.ts';
import { plural } from './types.ts';

/** What the kubernetes plugin matched (or, for forwarded replies, 'forwarded'). */
export type DnsAnswerWhat =
  | 'service'
  | 'headless'
  | 'endpoint'
  | 'pod'
  | 'srv'
  | 'ptr-service'
  | 'ptr-endpoint'
  | 'externalname'
  | 'soa'
  | 'ns'
  | 'dns-version'
  | 'nodata'
  | 'nxdomain'
  | 'refused'
  | 'forwarded'
  | 'servfail'
  | 'formerr';

/** What the cache plugin did with a reply on its way out. */
export type DnsStored = 'stored' | 'disabled-zone' | 'uncacheable' | 'no-cache' | 'hit';

export type DnsFact =
  | FactOf<
      'dns.answer',
      {
        /** The plugin whose answer this is. */
        plugin: 'kubernetes' | 'cache' | 'forward' | 'server';
        qname: string;
        qtype: string;
        /** "NOERROR", "NXDOMAIN" … */
        rcode: string;
        what: DnsAnswerWhat;
        /** Answer RRs as dig prints their data ("10.96.0.10", "0 50 80 web.default.svc.cluster.local."). */
        answers: readonly string[];
        /** The TTL the client sees on them (all equal after the cache plugin). */
        ttl: number;
        /** "default/web" when one Service answered. */
        service?: string;
        /** An SOA went in the authority section (NXDOMAIN / NODATA). */
        soa: boolean;
        /** loadbalance reordered the A/AAAA records. */
        rotated: boolean;
        /** A cache hit: how old the entry is and what was left of its TTL. */
        cache?: { ageS: number; storedTtl: number };
        /** What the cache plugin did with this reply on its way out. */
        stored: DnsStored;
        /** Additional RRs (SRV targets' addresses). */
        additional: number;
        truncated: boolean;
        /** For an ExternalName answered through upstream: the target resolved. */
        target?: string;
      }
    >
  | FactOf<
      'dns.forward',
      {
        qname: string;
        qtype: string;
        /** The client's ID and the new one forward puts on the upstream query. */
        id: number;
        upstreamId: number;
        /** `forward . /etc/resolv.conf`'s destination. */
        to: string;
        why: 'outside-zone' | 'fallthrough' | 'externalname';
        /** For an ExternalName: the Service and the target being resolved. */
        service?: string;
        target?: string;
      }
    >;

const list = (a: readonly string[]) =>
  a.length <= 3 ? a.join(', ') : `${a.slice(0, 3).join(', ')} and ${a.length - 3} more`;

const ttlText = (f: { ttl: number; cache?: { ageS: number; storedTtl: number } }) =>
  f.cache
    ? ` TTL ${f.ttl}: the entry was stored ${f.cache.ageS} s ago with ${f.cache.storedTtl}, and the cache plugin counts it down.`
    : ` TTL ${f.ttl}.`;

const storedText: Record<string, string> = {
  stored: ' The cache plugin keeps it for that long.',
  'disabled-zone':
    ' kubeadm\'s Corefile says "cache 30 { disable success/denial <domain> }", so cluster answers are never cached.',
  uncacheable: ' The cache plugin does not keep this reply.',
  'no-cache': '',
  hit: '',
};

const kubeWhy = (f: DnsFact & { type: 'dns.answer' }): string => {
  const n = plural(f.answers.length, 'record');
  switch (f.what) {
    case 'service':
      return `${f.qname} is the Service ${f.service ?? ''}: the kubernetes plugin answers its ClusterIP ${list(f.answers)}, not a pod address; kube-proxy's rules turn that into a pod.`;
    case 'headless':
      return `${f.service ?? f.qname} is headless (clusterIP: None), so the kubernetes plugin answers every ready endpoint of its EndpointSlices: ${list(f.answers)}.`;
    case 'endpoint':
      return `${f.qname} names one endpoint of ${f.service ?? 'a Service'} (its hostname, or its IP with dashes): ${list(f.answers)}.`;
    case 'pod':
      return `With "pods insecure" any <a-b-c-d>.<namespace>.pod.<domain> answers the address its first label spells, whether or not a pod has it: ${list(f.answers)}.`;
    case 'srv':
      return `SRV _<port>._<proto>.<service>: ${n} (priority 0, weight 100/n, port, target) with the targets' addresses in the additional section (${f.additional}).`;
    case 'ptr-service':
      return `The reverse name is a Service's ClusterIP: ${list(f.answers)}.`;
    case 'ptr-endpoint':
      return `The reverse name is an endpoint's address: ${list(f.answers)}.`;
    case 'externalname':
      return `${f.service ?? f.qname} is an ExternalName Service: a CNAME to ${f.target ?? list(f.answers)}${f.target ? ', which CoreDNS resolved upstream' : ''}.`;
    case 'nodata':
      return `The name exists but has no ${f.qtype} record (an IPv4 cluster has no AAAA): NOERROR with no answer and the zone's SOA in authority, whose minimum (30) tells resolvers how long to remember that.`;
    case 'nxdomain':
      return `No Service, pod or endpoint has that name: NXDOMAIN with the SOA ns.dns.<domain> hostmaster.<domain> in authority.`;
    default:
      return `${f.rcode}, ${n}.`;
  }
};

export const dnsNarrators: Narrators<DnsFact> = {
  'dns.answer': (f) => {
    const status = f.rcode === 'NOERROR' && f.answers.length === 0 ? 'NODATA' : f.rcode;
    const what = f.answers.length ? list(f.answers.slice(0, 2)) : status;
    const headline =
      f.plugin === 'cache'
        ? `CoreDNS answers ${f.qtype} from cache, TTL ${f.ttl}`
        : f.plugin === 'forward'
          ? `Upstream answers ${f.qtype}: ${f.answers.length ? what : status}`
          : f.plugin === 'server'
            ? `CoreDNS refuses the query: ${f.rcode}`
            : `CoreDNS answers ${f.qtype} ${f.answers.length ? what : status}`;
    const lead = `${f.qname} ${f.qtype}: ${status}.`;
    const body =
      f.plugin === 'kubernetes'
        ? ` ${kubeWhy(f)}`
        : f.plugin === 'cache'
          ? ` The cache plugin had this answer (${list(f.answers) || status}); the kubernetes plugin and the upstream are not asked.`
          : f.plugin === 'forward'
            ? ` The upstream resolver's reply (${list(f.answers) || status}) goes back with the client's own ID; CoreDNS re-packs it without name compression.`
            : '';
    const rotated = f.rotated
      ? ' The loadbalance plugin shuffled the address records, so the first one differs between replies.'
      : '';
    const tc = f.truncated ? ' It did not fit in 512 bytes: truncated (TC), retry over TCP.' : '';
    return {
      headline: headline.split(/\s+/).slice(0, 12).join(' '),
      explanation: `${lead}${body}${ttlText(f)}${storedText[f.stored]}${rotated}${tc}`,
    };
  },
  'dns.forward': (f) => {
    const why =
      f.why === 'externalname'
        ? `${f.service ?? f.qname} is an ExternalName Service whose target ${f.target ?? ''} is outside the cluster: CoreDNS resolves it itself and sends`
        : f.why === 'fallthrough'
          ? `The kubernetes plugin has no record for this reverse name and "fallthrough in-addr.arpa ip6.arpa" passes it on: "forward . /etc/resolv.conf" sends`
          : `${f.qname} is outside the cluster domain, so the kubernetes plugin passes it on and "forward . /etc/resolv.conf" sends`;
    return {
      headline: `CoreDNS forwards ${f.qtype} ${f.target ?? f.qname} to ${f.to}`,
      explanation: `${why} the query to ${f.to}, the nameserver of the CoreDNS pod's own resolv.conf (dnsPolicy: Default, the node's), with a new random ID ${f.upstreamId} in place of the client's ${f.id}.`,
    };
  },
};
