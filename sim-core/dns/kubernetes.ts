/**
 * CoreDNS's kubernetes plugin (plugin/kubernetes: handler.go ServeDNS,
 * kubernetes.go Records/findServices/findPods, parse.go parseRequest,
 * reverse.go, and plugin/backend_lookup.go A/AAAA/SRV/PTR/CNAME/SOA). One
 * question in, the sections of the answer out, or "next plugin" when the
 * name is not ours or falls through.
 *
 *   _<port>._<proto>.<service>.<ns>.svc.<zone>   SRV of a named port
 *   <endpoint>.<service>.<ns>.svc.<zone>          one endpoint (hostname or dashed IP)
 *   <service>.<ns>.svc.<zone>                     ClusterIP, or every ready endpoint if headless
 *   <dashed-ip>.<ns>.pod.<zone>                   `pods insecure`: the IP the name spells
 */
import type { Service } from '../k8s/api-types.ts';
import type { DnsRecord } from '../wire/dns.ts';
import { RCODE } from '../wire/dns.ts';
import type { KubernetesPluginConfig } from './corefile.ts';
import type { ClusterIndex, EndpointAddress } from './index-view.ts';
import { clusterIndex, serviceKey } from './index-view.ts';
import type { DnsClusterView } from './view.ts';

/** What the plugin found, for the step's facts. */
export type KubeAnswerKind =
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
  | 'refused';

export type KubeResult =
  | {
      readonly kind: 'answer';
      readonly what: KubeAnswerKind;
      readonly rcode: number;
      readonly answers: readonly DnsRecord[];
      readonly authorities: readonly DnsRecord[];
      readonly additionals: readonly DnsRecord[];
      /** "default/web" when one Service answered. */
      readonly service?: string;
    }
  /** The name is not in our zones, or it fell through: the next plugin (forward) takes it. */
  | { readonly kind: 'next'; readonly fellThrough: boolean }
  /**
   * An ExternalName outside the zone: CoreDNS resolves the target through
   * itself (plugin/pkg/upstream) and answers the CNAME followed by what that
   * found; the server forwards `target` and calls `completeExternal`.
   */
  | {
      readonly kind: 'lookup';
      readonly cname: DnsRecord;
      readonly target: string;
      readonly qtype: string;
      readonly service: string;
    };

/** msg.Service: a backend record before it becomes an RR. */
interface Backend {
  readonly host: string;
  readonly port: number;
  readonly ttl: number;
  /** The name SRV targets use (msg.Domain of the key). */
  readonly domain: string;
  readonly text?: string;
}

class NameError extends Error {}
const NX = () => new NameError();

interface Req {
  readonly podOrSvc: '' | 'pod' | 'svc';
  readonly namespace: string;
  readonly service: string;
  readonly endpoint: string;
  readonly port: string;
  readonly protocol: string;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const isIp = (s: string) => IPV4.test(s) || (s.includes(':') && /^[0-9a-f:.]+$/i.test(s));
const isIp4 = (s: string) => IPV4.test(s);
const strip = (s: string) => (s.startsWith('_') ? s.slice(1) : s);
const eq = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const matchPP = (aPort: string, bPort: string, aProto: string, bProto: string) =>
  (aPort === '' || eq(aPort, bPort)) && (aProto === '' || eq(aProto, bProto));
const noDot = (n: string) => (n.endsWith('.') && n !== '.' ? n.slice(0, -1) : n);
const join = (...labels: string[]) => labels.map(noDot).join('.');

/** dns.IsSubDomain(zone, name) for fully qualified, lower-case names. */
export function isSubDomain(zone: string, name: string): boolean {
  return zone === '.' || name === zone || name.endsWith(`.${zone}`);
}

/** plugin.Zones.Matches: the longest zone the name is in, or ''. */
export function matchZone(zones: readonly string[], name: string): string {
  let best = '';
  for (const z of zones) if (isSubDomain(z, name) && z.length > best.length) best = z;
  return best;
}

/** parse.go parseRequest (without multicluster and zonal names). */
function parseRequest(name: string, zone: string): Req {
  const empty: Req = {
    podOrSvc: '',
    namespace: '',
    service: '',
    endpoint: '',
    port: '',
    protocol: '',
  };
  const base = name === zone ? '' : name.slice(0, name.length - zone.length - 1);
  if (base === '' || base === 'svc' || base === 'pod') return empty;
  const segs = base.split('.');
  let last = segs.length - 1;
  const podOrSvc = segs[last];
  if (podOrSvc !== 'pod' && podOrSvc !== 'svc') throw NX();
  const r = { ...empty, podOrSvc } as { -readonly [K in keyof Req]: Req[K] };
  if (--last < 0) return r;
  r.namespace = segs[last];
  if (--last < 0) return r;
  r.service = segs[last];
  if (--last < 0) return r;
  if (last === 0) r.endpoint = segs[0];
  else if (last === 1) {
    r.protocol = strip(segs[1]);
    r.port = strip(segs[0]);
  } else throw NX(); // too long to answer
  return r;
}

/** endpointHostname: the hostname, the pod's name (endpoint_pod_names) or the dashed IP. */
function endpointHostname(a: EndpointAddress, podNames: boolean): string {
  if (a.hostname) return a.hostname;
  if (podNames && a.targetRefName) return a.targetRefName;
  if (a.ip.includes('.')) return a.ip.replaceAll('.', '-');
  const h = a.ip.replaceAll(':', '-');
  return h.endsWith('-') ? `${h}0` : h;
}

const headless = (s: Service) => s.spec.clusterIP === 'None';

class Plugin {
  constructor(
    readonly cfg: KubernetesPluginConfig,
    readonly ix: ClusterIndex,
    readonly view: DnsClusterView,
  ) {}

  private exposed(ns: string): boolean {
    return this.ix.namespaces.has(ns);
  }

  /** kubernetes.go Records: the backends for a name in `zone`, or throws NameError. */
  records(name: string, zone: string): Backend[] {
    const r = parseRequest(name, zone);
    if (r.podOrSvc === '') return [];
    if (zone.endsWith('in-addr.arpa.') || zone.endsWith('ip6.arpa.')) throw NX();
    if (!this.exposed(r.namespace)) throw NX();
    return r.podOrSvc === 'pod' ? this.findPods(r, zone) : this.findServices(r, zone);
  }

  private findPods(r: Req, zone: string): Backend[] {
    if (this.cfg.pods === 'disabled') throw NX();
    if (r.service === '') return [];
    const podname = r.service;
    const dashes = podname.split('-').length - 1;
    const ip =
      dashes === 3 && !podname.includes('--')
        ? podname.replaceAll('-', '.')
        : podname.replaceAll('-', ':');
    if (!isIp(ip)) throw NX();
    // `pods verified` would need the pod index; the built-ins use insecure, as kubeadm does.
    return [
      { host: ip, port: 0, ttl: this.cfg.ttl, domain: join(podname, r.namespace, 'pod', zone) },
    ];
  }

  private findServices(r: Req, zone: string): Backend[] {
    if (r.service === '') return [];
    const idx = serviceKey(r.service, r.namespace);
    const list = this.ix.services.get(idx.toLowerCase()) ?? this.ix.services.get(idx) ?? [];
    const out: Backend[] = [];
    let found = false;
    for (const svc of list) {
      const ns = svc.metadata.namespace;
      const sname = svc.metadata.name;
      if (svc.spec.type === 'ExternalName') {
        if (r.endpoint || r.port || r.protocol) continue;
        const host = svc.spec.externalName ?? '';
        if (!isIp(host)) {
          out.push({ host, port: 0, ttl: this.cfg.ttl, domain: join(sname, ns, 'svc', zone) });
          found = true;
        }
        continue;
      }
      if (headless(svc) || r.endpoint) {
        for (const ep of this.ix.endpoints.get(serviceKey(sname, ns)) ?? []) {
          for (const a of ep.addresses) {
            const h = endpointHostname(a, this.cfg.endpointPodNames);
            if (r.endpoint && !eq(r.endpoint, h)) continue;
            for (const p of ep.ports) {
              if (!matchPP(r.port, p.name, r.protocol, p.protocol)) continue;
              found = true;
              out.push({
                host: a.ip,
                port: p.port,
                ttl: this.cfg.ttl,
                domain: join(h, sname, ns, 'svc', zone),
              });
            }
          }
        }
        continue;
      }
      const ports = svc.spec.ports.length ? svc.spec.ports : [{ name: '', protocol: '', port: -1 }];
      for (const p of ports) {
        if (!matchPP(r.port, p.name ?? '', r.protocol, p.protocol)) continue;
        found = true;
        if (svc.spec.clusterIP)
          out.push({
            host: svc.spec.clusterIP,
            port: p.port,
            ttl: this.cfg.ttl,
            domain: join(sname, ns, 'svc', zone),
          });
      }
    }
    if (!found) throw NX();
    return out;
  }

  /** ns.go nsAddrs: the Services whose endpoints are this CoreDNS pod. */
  nsAddrs(zone: string): { name: string; ip: string }[] {
    const out: { name: string; ip: string }[] = [];
    let foundEndpoint = false;
    for (const local of this.view.localIPs ?? []) {
      for (const ep of this.ix.endpointsByIp.get(local) ?? []) {
        foundEndpoint = true;
        for (const svc of this.ix.services.get(ep.index) ?? []) {
          const svcName = join(svc.metadata.name, svc.metadata.namespace, 'svc', zone);
          if (headless(svc)) {
            for (const a of ep.addresses)
              out.push({
                name: `${endpointHostname(a, this.cfg.endpointPodNames)}.${svcName}`,
                ip: a.ip,
              });
          } else if (svc.spec.clusterIP) out.push({ name: svcName, ip: svc.spec.clusterIP });
        }
      }
    }
    if (!foundEndpoint)
      for (const ip of this.view.localIPs ?? []) out.push({ name: join('ns.dns', zone), ip });
    return out;
  }

  /** kubernetes.go Services: Records plus the special names (dns-version, ns.dns). */
  services(name: string, zone: string, qtype: string): Backend[] {
    if (qtype === 'TXT') {
      const base = name === zone ? '' : name.slice(0, name.length - zone.length - 1);
      if (base === 'dns-version')
        return [{ host: '', port: 0, ttl: 28800, domain: name, text: '1.1.0' }];
      const s = this.records(name, zone);
      if (s.length) return [];
      throw NX();
    }
    if (qtype === 'NS')
      return this.nsAddrs(zone).map((n) => ({
        host: n.ip,
        port: 0,
        ttl: this.cfg.ttl,
        domain: n.name,
      }));
    if (name.startsWith('ns.dns.') && name.slice('ns.dns.'.length) === zone) {
      return this.nsAddrs(zone)
        .filter((n) => (qtype === 'A' ? isIp4(n.ip) : qtype === 'AAAA' && !isIp4(n.ip)))
        .map((n) => ({ host: n.ip, port: 0, ttl: this.cfg.ttl, domain: name }));
    }
    const s = this.records(name, zone);
    return qtype === 'SRV' ? s.filter((b) => isIp(b.host)) : s;
  }

  /** Reverse: the Service with this ClusterIP, else every endpoint with this address. */
  reverse(name: string, zone: string): Backend[] {
    const ip = addressFromReverse(name);
    if (ip === '') {
      this.records(name, zone);
      return [];
    }
    const primary = this.cfg.zones[0];
    const svc = this.ix.serviceByIp.get(ip);
    if (svc && this.exposed(svc.metadata.namespace))
      return [
        {
          host: join(svc.metadata.name, svc.metadata.namespace, 'svc', primary),
          port: 0,
          ttl: this.cfg.ttl,
          domain: '',
        },
      ];
    const out: Backend[] = [];
    for (const ep of this.ix.endpointsByIp.get(ip) ?? []) {
      for (const a of ep.addresses) {
        if (a.ip !== ip) continue;
        const h = endpointHostname(a, this.cfg.endpointPodNames);
        out.push({
          host: join(h, ep.index, 'svc', primary),
          port: 0,
          ttl: this.cfg.ttl,
          domain: '',
        });
      }
    }
    if (out.length === 0) throw NX();
    return out;
  }
}

/** dnsutil.ExtractAddressFromReverse, for in-addr.arpa (IPv6 reverse names are not modelled). */
export function addressFromReverse(name: string): string {
  const suffix = '.in-addr.arpa.';
  if (!name.endsWith(suffix)) return '';
  const ip = name.slice(0, -suffix.length).split('.').reverse().join('.');
  return IPV4.test(ip) ? ip : '';
}

/** backend_lookup.go SOA: `<zone> SOA ns.dns.<zone> hostmaster.<zone> serial 7200 1800 86400 ttl`. */
export function soaRecord(zone: string, ttl: number, serial: number): DnsRecord {
  return {
    name: noDot(zone),
    type: 'SOA',
    class: 'IN',
    ttl: Math.min(ttl, 300),
    data: {
      mname: join('ns.dns', zone),
      rname: join('hostmaster', zone),
      serial: serial >>> 0,
      refresh: 7200,
      retry: 1800,
      expire: 86400,
      minimum: ttl,
    },
  };
}

const rr = (
  name: string,
  type: 'A' | 'AAAA' | 'CNAME' | 'PTR',
  ttl: number,
  data: string,
): DnsRecord => ({
  name: noDot(name),
  type,
  class: 'IN',
  ttl,
  data: noDot(data),
});

interface Sections {
  answers: DnsRecord[];
  additionals: DnsRecord[];
  lookup?: { cname: DnsRecord; target: string };
  what?: KubeAnswerKind;
  service?: string;
}

/** backend_lookup.go A / AAAA, following ExternalName CNAMEs inside the zone. */
function address(
  p: Plugin,
  qname: string,
  zone: string,
  qtype: 'A' | 'AAAA',
  depth: number,
  out: Sections,
): DnsRecord[] {
  const name = qname.toLowerCase();
  const services = p.services(name, zone, qtype);
  const records: DnsRecord[] = [];
  const dup = new Set<string>();
  for (const s of services) {
    if (!isIp(s.host)) {
      const target = s.host.endsWith('.') ? s.host : `${s.host}.`;
      if (target.toLowerCase() === name) continue; // x CNAME x
      const cname = rr(qname, 'CNAME', s.ttl, target);
      out.what ??= 'externalname';
      if (depth > 10) continue;
      if (isSubDomain(zone, target.toLowerCase())) {
        try {
          const next = address(p, target, zone, qtype, depth + 1, out);
          if (next.length) records.push(cname, ...next);
        } catch (e) {
          if (!(e instanceof NameError)) throw e;
        }
        continue;
      }
      out.lookup ??= { cname, target: noDot(target) };
      continue;
    }
    const want = qtype === 'A' ? isIp4(s.host) : !isIp4(s.host);
    if (want && !dup.has(s.host)) {
      dup.add(s.host);
      records.push(rr(qname, qtype, s.ttl, s.host));
    }
  }
  return records;
}

/** backend_lookup.go SRV: weight 100/n per priority, targets named, addresses in additional. */
function srv(p: Plugin, qname: string, zone: string, out: Sections): DnsRecord[] {
  const services = p.services(qname.toLowerCase(), zone, 'SRV');
  const total = 100 * services.length;
  const records: DnsRecord[] = [];
  const seen = new Set<string>();
  for (const s of services) {
    if (s.port === -1) continue;
    const weight = Math.max(1, Math.floor((100 / total) * 100));
    const target = s.domain;
    const k = `${target}|${s.port}`;
    if (!seen.has(k)) {
      seen.add(k);
      records.push({
        name: noDot(qname),
        type: 'SRV',
        class: 'IN',
        ttl: s.ttl,
        data: { priority: 0, weight, port: s.port, target },
      });
    }
    const a = `${target}|addr|${s.host}`;
    if (!seen.has(a)) {
      seen.add(a);
      out.additionals.push(rr(target, isIp4(s.host) ? 'A' : 'AAAA', s.ttl, s.host));
    }
  }
  return records;
}

function classify(
  p: Plugin,
  name: string,
  zone: string,
  qtype: string,
  s: Sections,
): KubeAnswerKind {
  if (s.what) return s.what;
  if (qtype === 'SRV') return 'srv';
  const r = (() => {
    try {
      return parseRequest(name, zone);
    } catch {
      return undefined;
    }
  })();
  if (r?.podOrSvc === 'pod') return 'pod';
  if (r?.endpoint) return 'endpoint';
  const svc = r && p.ix.services.get(serviceKey(r.service, r.namespace))?.[0];
  return svc && headless(svc) ? 'headless' : 'service';
}

/**
 * handler.go ServeDNS for one question. `qname` keeps the query's case (the
 * answers echo it); matching is case-insensitive.
 */
export function kubernetesAnswer(
  cfg: KubernetesPluginConfig,
  view: DnsClusterView,
  qname: string,
  qtype: string,
): KubeResult {
  const fq = qname.endsWith('.') ? qname : `${qname}.`;
  const name = fq.toLowerCase();
  const zoneLc = matchZone(cfg.zones, name);
  if (zoneLc === '') return { kind: 'next', fellThrough: false };
  const zone = fq.slice(fq.length - zoneLc.length); // the query's case
  const p = new Plugin(cfg, clusterIndex(view), view);
  const s: Sections = { answers: [], additionals: [] };
  const soa = () => [soaRecord(zone, cfg.ttl, view.serial)];
  const reply = (what: KubeAnswerKind, rcode: number, auth = false): KubeResult => ({
    kind: 'answer',
    what,
    rcode,
    answers: auth ? [] : s.answers,
    authorities: auth ? soa() : [],
    additionals: auth ? [] : s.additionals,
    ...(s.service ? { service: s.service } : {}),
  });
  let what: KubeAnswerKind | undefined;
  try {
    switch (qtype) {
      case 'A':
      case 'AAAA':
        s.answers = address(p, fq, zoneLc, qtype, 0, s);
        break;
      case 'SRV':
        s.answers = srv(p, fq, zoneLc, s);
        break;
      case 'PTR': {
        const hosts = new Set<string>();
        const rev = p.reverse(name, zoneLc);
        for (const b of rev) if (!isIp(b.host)) hosts.add(b.host);
        s.answers = [...hosts].map((h) => rr(fq, 'PTR', cfg.ttl, h));
        const svc = p.ix.serviceByIp.get(addressFromReverse(name));
        what = svc ? 'ptr-service' : 'ptr-endpoint';
        break;
      }
      case 'CNAME': {
        const first = p.services(name, zoneLc, 'CNAME')[0];
        if (first && !isIp(first.host)) s.answers = [rr(fq, 'CNAME', first.ttl, first.host)];
        what = 'externalname';
        break;
      }
      case 'TXT': {
        const t = p.services(name, zoneLc, 'TXT');
        s.answers = t.map(
          (b) =>
            ({
              name: noDot(fq),
              type: 'TXT',
              class: 'IN',
              ttl: b.ttl,
              data: b.text ?? '',
            }) as DnsRecord,
        );
        what = 'dns-version';
        break;
      }
      case 'SOA':
        if (name === zoneLc) s.answers = soa();
        what = 'soa';
        break;
      case 'AXFR':
      case 'IXFR':
        return {
          kind: 'answer',
          what: 'refused',
          rcode: RCODE.REFUSED,
          answers: [],
          authorities: [],
          additionals: [],
        };
      case 'NS':
        if (name !== zoneLc) {
          address(p, fq, zoneLc, 'A', 0, { answers: [], additionals: [] });
          break;
        }
        {
          for (const n of p.nsAddrs(zoneLc)) {
            if (!s.answers.some((a) => a.data === n.name))
              s.answers.push({
                name: noDot(fq),
                type: 'NS',
                class: 'IN',
                ttl: cfg.ttl,
                data: n.name,
              });
            s.additionals.push(rr(n.name, isIp4(n.ip) ? 'A' : 'AAAA', cfg.ttl, n.ip));
          }
          what = 'ns';
        }
        break;
      default: // a fake A lookup tells NODATA from NXDOMAIN
        address(p, fq, zoneLc, 'A', 0, { answers: [], additionals: [] });
    }
  } catch (e) {
    if (!(e instanceof NameError)) throw e;
    const fall = cfg.fallthrough;
    if (fall !== null && (fall.length === 0 || matchZone(fall, name) !== ''))
      return { kind: 'next', fellThrough: true };
    return reply('nxdomain', RCODE.NXDOMAIN, true);
  }
  const r = parseSafe(name, zoneLc);
  if (r && r.service && r.podOrSvc === 'svc') s.service = `${r.namespace}/${r.service}`;
  if (s.lookup && s.answers.length === 0)
    return {
      kind: 'lookup',
      cname: s.lookup.cname,
      target: s.lookup.target,
      qtype,
      service: s.service ?? '',
    };
  if (s.answers.length === 0) return reply('nodata', RCODE.NOERROR, true);
  return reply(what ?? classify(p, name, zoneLc, qtype, s), RCODE.NOERROR);
}

function parseSafe(name: string, zone: string): Req | undefined {
  try {
    return parseRequest(name, zone);
  } catch {
    return undefined;
  }
}
