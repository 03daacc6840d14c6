/**
 * A pod's /etc/resolv.conf, as the kubelet forms it (pkg/kubelet/network/dns,
 * GetPodDNS) and containerd writes it:
 *  - ClusterFirst (and ClusterFirstWithHostNet): the cluster DNS address
 *    (kubeadm's --cluster-dns, the kube-dns Service), the search list
 *    `<ns>.svc.<domain> svc.<domain> <domain>` followed by the node's own
 *    search domains, duplicates dropped, and `options ndots:5`;
 *  - Default: the node's resolv.conf as it is;
 *  - None: nothing but dnsConfig;
 *  - then dnsConfig is appended (nameservers and searches without duplicates,
 *    options merged by name, the pod's value winning) and the result cut to
 *    3 nameservers, 32 search domains and 2048 characters of search line.
 * containerd writes `search`, then one `nameserver` line each, then `options`.
 * Hosts-network pods are not simulated, so ClusterFirstWithHostNet behaves as
 * ClusterFirst does for any other pod.
 */
import type { ClusterSpec, PodSpec } from '../scenario/types.ts';
import {
  MAX_DNS_NAMESERVERS,
  MAX_DNS_SEARCH_LIST_CHARS,
  MAX_DNS_SEARCH_PATHS,
} from './pod-dns-limits.ts';
import { dnsServiceIP } from './coredns-addon.ts';

export interface ResolvConf {
  readonly nameservers: readonly string[];
  readonly searches: readonly string[];
  /** As written: `ndots:5`, `single-request`. */
  readonly options: readonly string[];
}

/** The nodes' own /etc/resolv.conf: the upstream resolver of spec.dns, if one is declared. */
export function nodeResolvConf(cluster: Pick<ClusterSpec, 'hosts' | 'dns'>): ResolvConf {
  const upstream = cluster.hosts.find((h) => h.name === cluster.dns?.upstream);
  return { nameservers: upstream ? [upstream.ip] : [], searches: [], options: [] };
}

const unique = (xs: readonly string[]) => [...new Set(xs)];

/** mergeDNSOptions: by name, the pod's dnsConfig overriding; first-seen order kept. */
function mergeOptions(
  existing: readonly string[],
  pod: readonly { name: string; value?: string }[],
): string[] {
  const byName = new Map<string, string>();
  for (const op of existing) {
    const i = op.indexOf(':');
    byName.set(i < 0 ? op : op.slice(0, i), i < 0 ? '' : op.slice(i + 1));
  }
  for (const op of pod) byName.set(op.name, op.value ?? '');
  return [...byName].map(([name, value]) => (value ? `${name}:${value}` : name));
}

/** formDNSSearchFitsLimits: at most 32 domains, none over 253 characters, a line of at most 2048. */
function fitSearches(searches: readonly string[]): string[] {
  let out = searches.slice(0, MAX_DNS_SEARCH_PATHS).filter((s) => s.length <= 253);
  while (out.length && out.join(' ').length > MAX_DNS_SEARCH_LIST_CHARS) out = out.slice(0, -1);
  return out;
}

export function podResolvConf(
  pod: Pick<PodSpec, 'namespace' | 'dnsPolicy' | 'dnsConfig'>,
  cluster: Pick<ClusterSpec, 'clusterDomain' | 'serviceCIDR' | 'hosts' | 'dns'>,
  host: ResolvConf = nodeResolvConf(cluster),
): ResolvConf {
  const policy = pod.dnsPolicy ?? 'ClusterFirst';
  let base: ResolvConf;
  if (policy === 'None') base = { nameservers: [], searches: [], options: [] };
  else if (policy === 'Default') base = host;
  else {
    const d = cluster.clusterDomain;
    base = {
      nameservers: [dnsServiceIP(cluster.serviceCIDR)],
      searches: unique([`${pod.namespace}.svc.${d}`, `svc.${d}`, d, ...host.searches]),
      options: ['ndots:5'],
    };
  }
  const c = pod.dnsConfig;
  const merged: ResolvConf = c
    ? {
        nameservers: unique([...base.nameservers, ...(c.nameservers ?? [])]),
        searches: unique([...base.searches, ...(c.searches ?? [])]),
        options: mergeOptions(base.options, c.options ?? []),
      }
    : base;
  return {
    nameservers: merged.nameservers.slice(0, MAX_DNS_NAMESERVERS),
    searches: fitSearches(merged.searches),
    options: merged.options,
  };
}

/** The file as containerd writes it into the pod's sandbox. */
export function formatResolvConf(r: ResolvConf): string {
  const lines: string[] = [];
  if (r.searches.length) lines.push(`search ${r.searches.join(' ')}`);
  for (const ns of r.nameservers) lines.push(`nameserver ${ns}`);
  if (r.options.length) lines.push(`options ${r.options.join(' ')}`);
  return lines.map((l) => `${l}\n`).join('');
}

/** The resolver settings glibc reads from it (res_init): ndots, timeout, attempts. */
export interface ResolverOptions {
  readonly ndots: number;
  readonly timeout: number;
  readonly attempts: number;
  /** single-request: A and AAAA one after the other instead of in parallel. */
  readonly singleRequest: boolean;
}

/** glibc's defaults (RES_DFLRETRY 2, RES_TIMEOUT 5, ndots 1) and its caps (RES_MAXNDOTS 15, RES_MAXRETRANS 30, RES_MAXRETRY 5). */
export function resolverOptions(r: ResolvConf): ResolverOptions {
  let ndots = 1;
  let timeout = 5;
  let attempts = 2;
  let singleRequest = false;
  for (const op of r.options) {
    const [name, value] = op.split(':');
    const n = Number.parseInt(value ?? '', 10);
    if (name === 'ndots' && Number.isFinite(n)) ndots = Math.min(Math.max(n, 0), 15);
    else if (name === 'timeout' && Number.isFinite(n)) timeout = Math.min(Math.max(n, 1), 30);
    else if (name === 'attempts' && Number.isFinite(n)) attempts = Math.min(Math.max(n, 1), 5);
    else if (name === 'single-request') singleRequest = true;
  }
  return { ndots, timeout, attempts, singleRequest };
}
