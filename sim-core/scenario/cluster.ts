/**
 * The `Cluster` document (apiVersion kubewire/v1): the public shape from
 * DESIGN.md, with kubeadm + flannel defaults for everything left out.
 */
import { readHosts } from './cluster-hosts.ts';
import { readClusterDns } from './cluster-dns.ts';
import { readIngressNginx } from './cluster-ingress-nginx.ts';
import { isScalar } from 'yaml';
import type { NetworkPlan } from './cluster-network.ts';
import { readNetworkPlan } from './cluster-network.ts';
import { readNodes } from './cluster-nodes.ts';
import type { Fields } from './fields.ts';
import { dns1123SubdomainProblem } from './names.ts';
import { didYouMean } from './suggest.ts';
import type { ClusterSpec, CniPlugin } from './types.ts';
import { CALICO_FIELDS, readCalicoPool } from './cluster-calico.ts';
import { CILIUM_FIELDS, readCiliumPool } from './cluster-cilium.ts';
import { CNI_MODES } from './cni-modes.ts';

const SPEC_FIELDS = [
  'hosts',
  'nodeNetwork',
  'podCIDR',
  'nodeCIDRMaskSize',
  'serviceCIDR',
  'clusterDomain',
  'cni',
  'kubeProxy',
  'seed',
  'nodes',
  'dns',
  'ingressNginx',
] as const;

const CNI_PLUGINS = Object.keys(CNI_MODES) as CniPlugin[];
const IPVS_SCHEDULERS = ['rr'] as const;
const MAX_SEED = 2 ** 32 - 1;

export interface ClusterResult {
  readonly name?: string;
  /** The complete spec; undefined if the document had any error. */
  readonly spec?: ClusterSpec;
  /** Node names that could be read, for checking pods' nodeName; undefined if unknown. */
  readonly nodeNames?: ReadonlySet<string>;
  /** Host names as written (spec.hosts), for checking actions' `from`. */
  readonly hostNames?: ReadonlySet<string>;
}

/** Read a Cluster document whose top level (apiVersion, kind) was already checked. */
export function readCluster(top: Fields): ClusterResult {
  const ctx = top.ctx;
  const before = ctx.reporter.errors.length;

  const meta = top.map(
    'metadata',
    ['name'],
    'the Cluster metadata',
    'the Cluster needs metadata.name',
  );
  const name = meta?.str('name', 'the Cluster needs a metadata.name');
  if (name !== undefined && dns1123SubdomainProblem(name)) {
    ctx.error(
      meta?.value('name'),
      meta!.p('name'),
      `cluster name '${name}' ${dns1123SubdomainProblem(name)}`,
    );
  }

  const spec = top.map(
    'spec',
    SPEC_FIELDS,
    'the Cluster spec',
    'the Cluster needs a spec with at least its nodes',
  );
  const plan: NetworkPlan = readNetworkPlan(spec);
  const nodes = readNodes(spec, plan);
  const hosts = readHosts(spec, plan, nodes.nodes);
  const dns = readClusterDns(spec, hosts.hosts, plan.serviceCIDR?.cidr);

  const clusterDomain = spec?.str('clusterDomain') ?? 'cluster.local';
  const domainProblem = dns1123SubdomainProblem(clusterDomain);
  if (domainProblem && spec) {
    ctx.error(
      spec.value('clusterDomain'),
      spec.p('clusterDomain'),
      `clusterDomain '${clusterDomain}' ${domainProblem}`,
    );
  }
  const cni = readCni(spec, plan, nodes.nodes?.length ?? 0);
  const kubeProxy = readKubeProxy(spec);
  const seed = spec?.has('seed')
    ? spec.int('seed', {
        min: 0,
        max: MAX_SEED,
        range: (n) => `seed must be between 0 and ${MAX_SEED}, not ${n}`,
      })
    : 1;

  const ingressNginx = readIngressNginx(spec);

  const ok = ctx.reporter.errors.length === before;
  if (
    !ok ||
    !name ||
    !nodes.nodes ||
    !hosts.hosts ||
    !plan.nodeNetwork ||
    !plan.podCIDR ||
    !plan.serviceCIDR
  ) {
    return { name, nodeNames: nodes.names, hostNames: hosts.names };
  }
  return {
    name,
    nodeNames: nodes.names,
    hostNames: hosts.names,
    spec: {
      name,
      nodeNetwork: plan.nodeNetwork.cidr,
      podCIDR: plan.podCIDR.cidr,
      nodeCIDRMaskSize: plan.nodeCIDRMaskSize!,
      serviceCIDR: plan.serviceCIDR.cidr,
      clusterDomain,
      cni: cni!,
      kubeProxy: kubeProxy!,
      seed: seed!,
      nodes: nodes.nodes,
      hosts: hosts.hosts,
      ...(dns ? { dns } : {}),
      ...(ingressNginx ? { ingressNginx } : {}),
    },
  };
}

function readCni(
  spec: Fields | undefined,
  plan: NetworkPlan,
  nodeCount: number,
): ClusterSpec['cni'] | undefined {
  const f = spec?.map(
    'cni',
    ['plugin', 'mode', 'hairpinMode', ...CALICO_FIELDS, ...CILIUM_FIELDS],
    'cni',
  );
  if (!f) return spec?.has('cni') ? undefined : { plugin: 'flannel', mode: 'vxlan' };
  const plugin = f.has('plugin') ? f.oneOf('plugin', CNI_PLUGINS, 'cni plugin') : 'flannel';
  if (!plugin) return undefined;
  const modes = CNI_MODES[plugin];
  let hairpinMode: boolean | undefined;
  if (f.has('hairpinMode')) {
    const v = f.value('hairpinMode');
    if (isScalar(v) && typeof v.value === 'boolean') hairpinMode = v.value;
    else {
      f.ctx.error(v, f.p('hairpinMode'), 'hairpinMode is true or false');
      return undefined;
    }
  }
  for (const key of CALICO_FIELDS)
    if (plugin !== 'calico' && f.has(key)) {
      f.ctx.error(f.keyNode(key), f.p(key), `${key} applies only to cni plugin calico`);
      return undefined;
    }
  for (const key of CILIUM_FIELDS)
    if (plugin !== 'cilium' && f.has(key)) {
      f.ctx.error(f.keyNode(key), f.p(key), `${key} applies only to cni plugin cilium`);
      return undefined;
    }
  // The mode first: a wrong mode is the error to see, before the pool's.
  const mode = f.has('mode') ? f.str('mode') : modes[0];
  if (mode === undefined) return undefined;
  if (f.has('mode') && !modes.includes(mode)) return readMode(f, plugin, mode, modes);
  const pool = plugin === 'calico' ? readCalicoPool(f, plan) : undefined;
  if (plugin === 'calico' && !pool) return undefined;
  const clusterPool = plugin === 'cilium' ? readCiliumPool(f, plan, nodeCount) : undefined;
  if (plugin === 'cilium' && !clusterPool) return undefined;
  const hp = {
    ...(hairpinMode === undefined ? {} : { hairpinMode }),
    ...(pool ?? {}),
    ...(clusterPool ?? {}),
  };
  return { plugin, mode, ...hp };
}

/** Reports a mode the plugin does not have (always undefined). */
function readMode(f: Fields, plugin: CniPlugin, mode: string, modes: readonly string[]): undefined {
  if (plugin === 'flannel' && mode === 'udp') {
    f.ctx.error(
      f.value('mode'),
      f.p('mode'),
      "flannel's udp backend is deprecated and not simulated; use vxlan or host-gw",
    );
    return undefined;
  }
  f.ctx.error(
    f.value('mode'),
    f.p('mode'),
    `${plugin} mode '${mode}' is not one of ${modes.join(', ')}`,
  );
  return undefined;
}

function readKubeProxy(spec: Fields | undefined): ClusterSpec['kubeProxy'] | undefined {
  const f = spec?.map('kubeProxy', ['mode', 'scheduler'], 'kubeProxy');
  if (!f) return spec?.has('kubeProxy') ? undefined : { mode: 'iptables' };
  const mode = f.has('mode') ? f.str('mode') : 'iptables';
  if (mode === undefined) return undefined;
  if (mode === 'nftables') {
    f.ctx.error(
      f.value('mode'),
      f.p('mode'),
      'kube-proxy mode nftables is not supported yet; use iptables or ipvs',
    );
    return undefined;
  }
  if (mode !== 'iptables' && mode !== 'ipvs') {
    const msg = `kube-proxy mode '${mode}' is not one of iptables, ipvs${didYouMean(mode, ['iptables', 'ipvs'])}`;
    f.ctx.error(f.value('mode'), f.p('mode'), msg);
    return undefined;
  }
  if (mode === 'iptables') {
    if (f.has('scheduler')) {
      f.ctx.error(
        f.keyNode('scheduler'),
        f.p('scheduler'),
        'scheduler applies only to kubeProxy mode ipvs',
      );
      return undefined;
    }
    return { mode };
  }
  if (!f.has('scheduler')) return { mode, scheduler: 'rr' };
  const scheduler = f.str('scheduler');
  if (scheduler === undefined) return undefined;
  if (!(IPVS_SCHEDULERS as readonly string[]).includes(scheduler)) {
    const msg = `ipvs scheduler '${scheduler}' is not supported yet (supported: ${IPVS_SCHEDULERS.join(', ')})`;
    f.ctx.error(f.value('scheduler'), f.p('scheduler'), msg);
    return undefined;
  }
  return { mode, scheduler };
}
