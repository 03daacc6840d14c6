/**
 * `spec.hosts`: machines on the node network that are not nodes — a laptop
 * calling a NodePort, an upstream DNS server. Each has a name and an address
 * in nodeNetwork, checked like a node's.
 */
import {
  broadcastAddress,
  cidrContains,
  networkAddress,
  parseIPv4,
  prefixLength,
} from '../net/cidr.ts';
import type { NetworkPlan } from './cluster-network.ts';
import { isScalar, isSeq } from 'yaml';
import type { Node } from 'yaml';
import { asFields } from './fields.ts';
import type { Fields } from './fields.ts';
import { dns1123LabelProblem, dns1123SubdomainProblem } from './names.ts';
import type { ClusterNode, ExternalHost } from './types.ts';

const HOST_FIELDS = ['name', 'ip', 'listen', 'dns'] as const;

export interface HostsResult {
  /** Every host, complete; undefined if any host had an error. */
  readonly hosts?: ExternalHost[];
  /** The names written, valid or not, for checking actions' `from`. */
  readonly names: ReadonlySet<string>;
}

export function readHosts(
  spec: Fields | undefined,
  plan: NetworkPlan,
  nodes: readonly ClusterNode[] | undefined,
): HostsResult {
  const written = new Set<string>();
  if (!spec?.has('hosts')) return { hosts: [], names: written };
  const items = spec.list('hosts');
  if (!items) return { names: written };
  const ctx = spec.ctx;
  const before = ctx.reporter.errors.length;
  const taken = new Map<string, string>((nodes ?? []).map((n) => [n.ip, `node ${n.name}`]));
  const names = new Map<string, string>((nodes ?? []).map((n) => [n.name, 'a node']));
  const hosts: ExternalHost[] = [];
  for (const [i, item] of items.entries()) {
    const f = asFields(ctx, item.node, item.path, HOST_FIELDS, 'a host');
    if (!f) continue;
    const name = f.str('name', `the host at spec.hosts[${i}] needs a name, like laptop`);
    if (name !== undefined) written.add(name);
    if (name !== undefined) {
      const problem = dns1123LabelProblem(name);
      if (problem) ctx.error(f.value('name'), f.p('name'), `host name '${name}' ${problem}`);
      else if (names.has(name))
        ctx.error(
          f.value('name'),
          f.p('name'),
          `host name ${name} is already used by ${names.get(name)}`,
        );
      else names.set(name, `host ${name}`);
    }
    const net = plan.nodeNetwork?.cidr;
    const ipText = f.str(
      'ip',
      `host ${name ?? i} needs an ip on the node network${net ? ` ${net}` : ''}`,
    );
    const ip = ipText === undefined ? undefined : parseIPv4(ipText);
    const at = f.value('ip');
    if (ipText !== undefined && ip === undefined)
      ctx.error(at, f.p('ip'), `${ipText} is not an IPv4 address`);
    else if (ip && net && !cidrContains(net, ip))
      ctx.error(at, f.p('ip'), `ip ${ip} of host ${name} is outside nodeNetwork ${net}`);
    else if (
      ip &&
      net &&
      prefixLength(net) <= 30 &&
      (ip === networkAddress(net) || ip === broadcastAddress(net))
    )
      ctx.error(at, f.p('ip'), `${ip} is the network or broadcast address of nodeNetwork ${net}`);
    else if (ip && taken.has(ip))
      ctx.error(at, f.p('ip'), `ip ${ip} is already used by ${taken.get(ip)}`);
    else if (ip && name !== undefined) {
      taken.set(ip, `host ${name}`);
      const listen: number[] = [];
      for (const p of f.list('listen') ?? []) {
        const n = isScalar(p.node) ? p.node.value : undefined;
        if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 65535)
          ctx.error(p.node, p.path, `${p.path} must be a TCP port (1..65535)`);
        else listen.push(n);
      }
      const dns = readDnsRecords(f);
      hosts.push({
        name,
        ip,
        ...(listen.length ? { listen } : {}),
        ...(dns ? { dns } : {}),
        pos: ctx.pos(item.node),
      });
    }
  }
  return ctx.reporter.errors.length === before ? { hosts, names: written } : { names: written };
}

/** `dns: {example.com: 93.184.215.14, two.example: [192.0.2.1, 192.0.2.2]}`: the names a DNS server on the host answers. */
function readDnsRecords(f: Fields): Record<string, string[]> | undefined {
  const m = f.map('dns', 'any', 'dns records');
  if (!m) return undefined;
  const out: Record<string, string[]> = {};
  for (const name of m.keys()) {
    const v = m.value(name);
    const items = isSeq(v) ? v.items : [v];
    const ips: string[] = [];
    for (const item of items) {
      const text = isScalar(item) && typeof item.value === 'string' ? item.value : undefined;
      const ip = text === undefined ? undefined : parseIPv4(text);
      if (ip === undefined)
        f.ctx.error(
          (item as Node | null) ?? v,
          m.p(name),
          `${m.p(name)} must be an IPv4 address or a list of them`,
        );
      else ips.push(ip);
    }
    const key = name.toLowerCase().replace(/\.$/, '');
    if (!key || dns1123SubdomainProblem(key))
      f.ctx.error(m.keyNode(name), m.p(name), `'${name}' is not a DNS name`);
    else out[key] = ips;
  }
  return out;
}
