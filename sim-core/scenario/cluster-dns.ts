/**
 * `spec.dns`: the CoreDNS add-on, opt-in so that files without it trace as
 * before. `{replicas: 2, upstream: resolver}` — replicas as kubeadm's
 * Deployment (2), upstream the spec.hosts entry that the nodes'
 * /etc/resolv.conf names, which CoreDNS's `forward . /etc/resolv.conf` uses.
 */
import { cidrSize } from '../net/cidr.ts';
import type { Fields } from './fields.ts';
import { didYouMean } from './suggest.ts';
import type { ClusterDns, ExternalHost } from './types.ts';

export function readClusterDns(
  spec: Fields | undefined,
  hosts: readonly ExternalHost[] | undefined,
  serviceCIDR: string | undefined,
): ClusterDns | undefined {
  if (!spec?.has('dns')) return undefined;
  const f = spec.map('dns', ['replicas', 'upstream'], 'dns');
  if (!f) return undefined;
  const replicas = f.has('replicas')
    ? f.int('replicas', {
        min: 1,
        max: 10,
        range: (n) => `dns.replicas must be between 1 and 10, not ${n}`,
      })
    : 2;
  const upstream = f.str('upstream');
  if (upstream !== undefined && hosts && !hosts.some((h) => h.name === upstream)) {
    const names = hosts.map((h) => h.name);
    f.ctx.error(
      f.value('upstream'),
      f.p('upstream'),
      `dns.upstream names no host in spec.hosts${names.length ? ` (hosts: ${names.join(', ')})` : ': declare the resolver there, like {name: resolver, ip: 192.168.1.53, dns: {example.com: 93.184.215.14}}'}${didYouMean(upstream, names)}`,
    );
  }
  if (serviceCIDR && cidrSize(serviceCIDR) <= 11n)
    f.ctx.error(
      spec.keyNode('dns'),
      f.path,
      `serviceCIDR ${serviceCIDR} has no tenth address for the kube-dns Service`,
    );
  if (replicas === undefined) return undefined;
  return {
    replicas,
    ...(upstream !== undefined ? { upstream } : {}),
    pos: f.ctx.pos(spec.keyNode('dns')!),
  };
}
