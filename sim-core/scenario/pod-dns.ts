/**
 * A pod's DNS fields (spec.dnsPolicy, spec.dnsConfig), refused where the API
 * server refuses them (validation.go: validateDNSPolicy,
 * validatePodDNSConfig), in its words, at the offending value.
 */
import { isScalar } from 'yaml';
import { parseIPv4 } from '../net/cidr.ts';
import { asFields } from './fields.ts';
import type { Fields } from './fields.ts';
import { dns1123SubdomainProblem } from './names.ts';
import type { DnsPolicy, PodDnsConfig } from './types.ts';

export const DNS_POLICIES: readonly DnsPolicy[] = [
  'ClusterFirstWithHostNet',
  'ClusterFirst',
  'Default',
  'None',
];
import {
  MAX_DNS_NAMESERVERS,
  MAX_DNS_SEARCH_LIST_CHARS,
  MAX_DNS_SEARCH_PATHS,
} from '../k8s/pod-dns-limits.ts';

export { MAX_DNS_NAMESERVERS, MAX_DNS_SEARCH_LIST_CHARS, MAX_DNS_SEARCH_PATHS };

export interface PodDns {
  readonly dnsPolicy?: DnsPolicy;
  readonly dnsConfig?: PodDnsConfig;
}

/** Go's %q of a []string, as field.Invalid prints a list value. */
const goList = (xs: readonly string[]) =>
  `[]string{${xs.map((x) => JSON.stringify(x)).join(', ')}}`;

function strings(f: Fields, key: string): string[] | undefined {
  const items = f.list(key);
  if (!items) return undefined;
  const out: string[] = [];
  for (const item of items) {
    if (isScalar(item.node) && typeof item.node.value === 'string') out.push(item.node.value);
    else f.ctx.error(item.node, item.path, `${item.path} must be a string`);
  }
  return out;
}

export function readPodDns(spec: Fields): PodDns {
  const policyText = spec.str('dnsPolicy');
  let dnsPolicy: DnsPolicy | undefined;
  if (policyText !== undefined) {
    if ((DNS_POLICIES as readonly string[]).includes(policyText))
      dnsPolicy = policyText as DnsPolicy;
    else
      spec.ctx.error(
        spec.value('dnsPolicy'),
        spec.p('dnsPolicy'),
        `spec.dnsPolicy: Unsupported value: "${policyText}": supported values: ${DNS_POLICIES.map((p) => `"${p}"`).join(', ')}`,
      );
  }
  const f = spec.map('dnsConfig', ['nameservers', 'searches', 'options'], 'dnsConfig');
  if (dnsPolicy === 'None' && !f) {
    spec.ctx.error(
      spec.value('dnsPolicy'),
      'spec.dnsConfig',
      'spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None',
    );
  }
  if (!f) return dnsPolicy ? { dnsPolicy } : {};
  const nameservers = strings(f, 'nameservers') ?? [];
  const searches = strings(f, 'searches') ?? [];
  if (dnsPolicy === 'None' && nameservers.length === 0)
    f.ctx.error(
      f.value('nameservers') ?? f.node,
      'spec.dnsConfig.nameservers',
      'spec.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None',
    );
  if (nameservers.length > MAX_DNS_NAMESERVERS)
    f.ctx.error(
      f.value('nameservers'),
      'spec.dnsConfig.nameservers',
      `spec.dnsConfig.nameservers: Invalid value: ${goList(nameservers)}: must not have more than ${MAX_DNS_NAMESERVERS} nameservers`,
    );
  const nsItems = f.list('nameservers') ?? [];
  nameservers.forEach((ns, i) => {
    if (parseIPv4(ns) === undefined)
      f.ctx.error(
        nsItems[i]?.node ?? f.node,
        `spec.dnsConfig.nameservers[${i}]`,
        `spec.dnsConfig.nameservers[${i}]: Invalid value: "${ns}": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)`,
      );
  });
  if (searches.length > MAX_DNS_SEARCH_PATHS)
    f.ctx.error(
      f.value('searches'),
      'spec.dnsConfig.searches',
      `spec.dnsConfig.searches: Invalid value: ${goList(searches)}: must not have more than ${MAX_DNS_SEARCH_PATHS} search paths`,
    );
  if (searches.join(' ').length > MAX_DNS_SEARCH_LIST_CHARS)
    f.ctx.error(
      f.value('searches'),
      'spec.dnsConfig.searches',
      `spec.dnsConfig.searches: Invalid value: ${goList(searches)}: must not have more than ${MAX_DNS_SEARCH_LIST_CHARS} characters (including spaces) in the search list`,
    );
  const searchItems = f.list('searches') ?? [];
  searches.forEach((s, i) => {
    // "it is fine to have a trailing dot"
    const problem = dns1123SubdomainProblem(s.replace(/\.$/, ''));
    if (problem)
      f.ctx.error(
        searchItems[i]?.node ?? f.node,
        `spec.dnsConfig.searches[${i}]`,
        `spec.dnsConfig.searches[${i}]: Invalid value: "${s}": ${problem}`,
      );
  });
  const options: { name: string; value?: string }[] = [];
  for (const [i, item] of (f.list('options') ?? []).entries()) {
    const o = asFields(f.ctx, item.node, item.path, ['name', 'value'], 'a DNS option');
    if (!o) continue;
    const name = o.str('name') ?? '';
    if (!name)
      f.ctx.error(
        item.node,
        `spec.dnsConfig.options[${i}]`,
        `spec.dnsConfig.options[${i}]: Required value: Option.Name must not be empty`,
      );
    const value = o.has('value') ? o.str('value') : undefined;
    if (name) options.push(value !== undefined ? { name, value } : { name });
  }
  const dnsConfig: PodDnsConfig = {
    ...(nameservers.length ? { nameservers } : {}),
    ...(searches.length ? { searches } : {}),
    ...(options.length ? { options } : {}),
  };
  return { ...(dnsPolicy ? { dnsPolicy } : {}), dnsConfig };
}
