/**
 * The control plane during the trace: the EndpointSlice controller turning
 * ready pods into EndpointSlices, the API server's own `kubernetes` slice,
 * and kube-proxy on every node turning Services and slices into the node's
 * iptables rules. Each write is a step; the objects live in the per-step
 * store (Snapshot.api) and the rules in each node's netfilter state, so
 * stepping back shows them as they were.
 */
import type { Rng } from '../engine/rng.ts';
import type { World } from '../dataplane/world.ts';
import { parseIptablesRestore } from '../dataplane/netfilter/index.ts';
import type { NetfilterState } from '../dataplane/netfilter/index.ts';
import type { EndpointSlice, ProxyNode, Service } from './api-types.ts';
import { reconcileEndpointSlices, LABEL_SERVICE_NAME } from './controllers/index.ts';
import type { PodView } from './controllers/index.ts';
import { buildNodeRuleset, rulesDependOnNode } from './kube-proxy/iptables/index.ts';
import type { NodeRuleset } from './kube-proxy/iptables/index.ts';
import { syncIpvsProxier, type IpvsSync } from './kube-proxy/ipvs/index.ts';
import {
  resyncGracefully,
  RS_CHECK_DELETE_INTERVAL_US,
  tryDeleteRs,
  type DrainList,
  type RsChange,
} from './kube-proxy/ipvs/graceful.ts';
import { schedulerOf } from '../dataplane/ipvs/schedule.ts';
import type { ClusterSpec, PodSpec } from '../scenario/types.ts';
import type { IpvsState } from '../dataplane/ipvs/state.ts';

/** What the control plane needs from the simulation around it. */
export interface ControlPlane {
  readonly world: World;
  readonly cluster: ClusterSpec;
  readonly specs: ReadonlyMap<string, PodSpec>;
  readonly rng: Rng;
  /** A node's rules as the scenario wrote them (its `iptables:` file), laid over kube-proxy's. */
  readonly nodeRuleset: (node: string) => NetfilterState | undefined;
  /** Loads a node's netfilter state and makes sure its hooks are registered. */
  readonly loadNetfilter: (node: string, state: NetfilterState) => void;
  /** IPVS mode: puts a sync's virtual servers, ipsets and kube-ipvs0 into the node's kernel. */
  readonly loadIpvs: (node: string, sync: IpvsSync) => void;
  /** A background timer (kube-proxy's periodic work): fires in time, nothing waits for it. */
  readonly timer?: (delayUs: number, fn: () => void) => void;
}

/** The pods as the EndpointSlice controller sees them through its informer. */
function podViews(cp: ControlPlane): PodView[] {
  return cp.world.state.pods.map((p) => {
    const spec = cp.specs.get(`${p.namespace}/${p.name}`);
    return {
      namespace: p.namespace,
      name: p.name,
      labels: spec?.labels ?? {},
      ...(p.ip ? { ip: p.ip } : {}),
      nodeName: p.node,
      ready:
        p.phase === 'Running' && !p.unready && p.containers.every((c) => c.state === 'running'),
      terminating: p.deletion !== undefined,
      phase: p.phase,
      ...(spec?.hostname ? { hostname: spec.hostname } : {}),
      ...(spec?.subdomain ? { subdomain: spec.subdomain } : {}),
      containerPorts: (spec?.containers ?? []).flatMap((c) =>
        c.ports.map((port) => ({
          containerPort: port.containerPort,
          protocol: port.protocol,
          ...(port.name ? { name: port.name } : {}),
        })),
      ),
    };
  });
}

const sliceService = (s: EndpointSlice) =>
  `${s.metadata.namespace}/${s.metadata.labels?.[LABEL_SERVICE_NAME] ?? ''}`;
const key = (svc: Service) => `${svc.metadata.namespace}/${svc.metadata.name}`;

/**
 * The API server's endpoint reconciler: the `kubernetes` Service's slice
 * lists the API server (on the first node, kubeadm's control plane) at 6443.
 */
export function apiServerSlice(cluster: ClusterSpec): EndpointSlice {
  const cp = cluster.nodes[0];
  return {
    metadata: {
      namespace: 'default',
      name: 'kubernetes',
      labels: { [LABEL_SERVICE_NAME]: 'kubernetes' },
    },
    addressType: 'IPv4',
    endpoints: [
      {
        addresses: [cp.ip],
        conditions: { ready: true, serving: true, terminating: false },
      },
    ],
    ports: [{ name: 'https', protocol: 'TCP', port: 6443 }],
  };
}

/** Publishes the Services: before any pod runs, the API server holds them and its own slice. */
export function publishServices(
  cp: ControlPlane,
  services: readonly Service[],
  written: readonly EndpointSlice[] = [],
): void {
  cp.world.setApi({ services, endpointSlices: [apiServerSlice(cp.cluster), ...written] });
}

/**
 * One pass of the EndpointSlice controller over every Service with a
 * selector; each create, update and delete is a step. Returns whether
 * anything changed.
 */
export function syncEndpointSlices(cp: ControlPlane): boolean {
  const { world } = cp;
  const pods = podViews(cp);
  let changed = false;
  for (const svc of world.api.services) {
    if (!svc.spec.selector) continue;
    const mine = world.api.endpointSlices.filter((s) => sliceService(s) === key(svc));
    const r = reconcileEndpointSlices({
      service: svc,
      pods,
      existing: mine,
      rng: cp.rng.fork(`endpointslice/${key(svc)}/${world.timeUs}`),
    });
    for (const change of r.changes) {
      changed = true;
      const others = world.api.endpointSlices.filter(
        (s) =>
          !(
            s.metadata.namespace === change.slice.metadata.namespace &&
            s.metadata.name === change.slice.metadata.name
          ),
      );
      const endpointSlices = change.action === 'delete' ? others : [...others, change.slice];
      world.setApi({ ...world.api, endpointSlices });
      const eps = change.slice.endpoints;
      const terminating = eps.filter((e) => e.conditions.terminating);
      const ending = terminating.length ? `, ${terminating.length} terminating` : '';
      world.record({
        kind: 'control',
        place: { node: '', netns: '' },
        summary: `EndpointSlice ${change.slice.metadata.name}: ${change.action}, ${eps.length} endpoint${eps.length === 1 ? '' : 's'}${ending}`,
        facts: {
          type: 'eps.write',
          action: change.action,
          slice: change.slice.metadata.name,
          service: key(svc),
          endpoints: eps.map((e) => e.addresses[0]),
          ready: eps.filter((e) => e.conditions.ready).length,
          ...(terminating.length
            ? {
                terminating: terminating.map((e) => ({
                  ip: e.addresses[0],
                  serving: e.conditions.serving,
                })),
              }
            : {}),
          ports: change.slice.ports.map((p) => `${p.name || '(unnamed)'} ${p.port}/${p.protocol}`),
        },
      });
    }
  }
  return changed;
}

/** The last restore file parsed for a control plane, and what it parsed to. */
const lastRestore = new WeakMap<ControlPlane, { text: string; ruleset: NetfilterState }>();

/**
 * iptables-restore of a kube-proxy file. Every node of a cluster usually
 * writes the very same file (the rules differ only with Local traffic
 * policies or node addresses in them), so a text equal to the previous
 * node's is not parsed again: the nodes share one parsed (immutable)
 * ruleset, and each node's counters diverge from it as persistent vectors.
 */
function restored(cp: ControlPlane, text: string, what: string): NetfilterState {
  const last = lastRestore.get(cp);
  if (last?.text === text) return last.ruleset;
  const parsed = parseIptablesRestore(text);
  if (!parsed.ok) throw new Error(`${what} did not load: ${JSON.stringify(parsed.errors[0])}`);
  lastRestore.set(cp, { text, ruleset: parsed.ruleset });
  return parsed.ruleset;
}

/** The last node ruleset built for a control plane that every node would build alike. */
const sharedBuild = new WeakMap<
  ControlPlane,
  {
    readonly services: readonly Service[];
    readonly endpointSlices: readonly EndpointSlice[];
    readonly clusterCIDR: string;
    readonly built: NodeRuleset;
  }
>();

/**
 * buildNodeRuleset for one node. While the API objects are the ones the
 * previous node's sync saw and no Service makes the rules depend on the node
 * (rulesDependOnNode), that node's ruleset is this node's too; each node's
 * kube-proxy computes it on a real cluster, the simulation once.
 */
function nodeRulesetFor(cp: ControlPlane, node: ProxyNode): NodeRuleset {
  const { services, endpointSlices } = cp.world.api;
  const last = sharedBuild.get(cp);
  if (
    last &&
    last.services === services &&
    last.endpointSlices === endpointSlices &&
    last.clusterCIDR === node.clusterCIDR
  )
    return last.built;
  const built = buildNodeRuleset({ services, endpointSlices, node });
  if (rulesDependOnNode(services)) sharedBuild.delete(cp);
  else sharedBuild.set(cp, { services, endpointSlices, clusterCIDR: node.clusterCIDR, built });
  return built;
}

/** kube-proxy's full sync on one node: the rules are restored into the node's tables. */
export function syncKubeProxy(cp: ControlPlane, node: string, why: 'start' | 'endpoints'): void {
  const { world, cluster } = cp;
  const n = cluster.nodes.find((x) => x.name === node)!;
  // kube-proxy's --cluster-cidr is the range pods really get: Cilium's cluster pool, not kubeadm's podSubnet.
  const clusterCIDR =
    cluster.cni.plugin === 'cilium'
      ? (cluster.cni.clusterPoolIPv4PodCIDRList ?? cluster.podCIDR)
      : cluster.podCIDR;
  const proxyNode = { name: n.name, ip: n.ip, clusterCIDR };
  if (cluster.kubeProxy.mode === 'ipvs') return syncIpvs(cp, proxyNode, why);
  const built = nodeRulesetFor(cp, proxyNode);
  const own = cp.nodeRuleset(node);
  const state = withOwn(
    cp,
    node,
    withFlannel(cp, proxyNode, restored(cp, built.text, "kube-proxy's rules")),
  );
  // kube-proxy's restore replaces its own chains, so their counters start again from zero.
  cp.loadNetfilter(node, state);
  world.record({
    kind: 'control',
    place: { node, netns: node },
    summary: `kube-proxy on ${node}: iptables-restore, ${built.sync.natRules.length} nat and ${built.sync.filterRules.length} filter rules`,
    facts: {
      type: 'kube-proxy.sync',
      node,
      mode: 'iptables',
      why,
      services: world.api.services.length,
      natRules: built.sync.natRules.length,
      filterRules: built.sync.filterRules.length,
      overridden: own ? Object.keys(own.tables) : [],
    },
  });
}

/**
 * flanneld's own rules (its --ip-masq, on in kube-flannel.yml), appended
 * after kube-proxy's: pod traffic leaving the cluster network is
 * masqueraded to the node (so a server outside can answer), traffic kube-proxy
 * marked is left to kube-proxy, and FORWARD accepts the pod network. Exactly
 * the rules flannel's own e2e test expects (dist/functional-test.sh).
 */
export function flannelRules(clusterCIDR: string, podCIDR: string): string {
  const masq = '-m comment --comment "flanneld masq"';
  const fwd = '-m comment --comment "flanneld forward"';
  return [
    '*nat',
    ':FLANNEL-POSTRTG - [0:0]',
    `-A POSTROUTING ${masq} -j FLANNEL-POSTRTG`,
    `-A FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000 ${masq} -j RETURN`,
    `-A FLANNEL-POSTRTG -s ${clusterCIDR} -d ${clusterCIDR} ${masq} -j RETURN`,
    `-A FLANNEL-POSTRTG -s ${clusterCIDR} ! -d 224.0.0.0/4 ${masq} -j MASQUERADE --random-fully`,
    `-A FLANNEL-POSTRTG ! -s ${clusterCIDR} -d ${podCIDR} ${masq} -j RETURN`,
    `-A FLANNEL-POSTRTG ! -s ${clusterCIDR} -d ${clusterCIDR} ${masq} -j MASQUERADE --random-fully`,
    'COMMIT',
    '*filter',
    ':FLANNEL-FWD - [0:0]',
    `-A FORWARD ${fwd} -j FLANNEL-FWD`,
    `-A FLANNEL-FWD -s ${clusterCIDR} ${fwd} -j ACCEPT`,
    `-A FLANNEL-FWD -d ${clusterCIDR} ${fwd} -j ACCEPT`,
    'COMMIT',
    '',
  ].join('\n');
}

function withFlannel(cp: ControlPlane, node: ProxyNode, state: NetfilterState): NetfilterState {
  // flanneld's rules are flannel's: Calico and Cilium pods are not in its network.
  if (cp.cluster.cni.plugin !== 'flannel') return state;
  const podCIDR = cp.cluster.nodes.find((n) => n.name === node.name)!.podCIDR;
  const r = parseIptablesRestore(flannelRules(node.clusterCIDR, podCIDR), {
    noflush: true,
    base: state,
  });
  if (!r.ok) throw new Error(`flannel's rules did not load: ${JSON.stringify(r.errors[0])}`);
  return r.ruleset;
}

/** A node's own iptables file replaces the tables it names (iptables-restore without --noflush). */
function withOwn(cp: ControlPlane, node: string, state: NetfilterState): NetfilterState {
  const own = cp.nodeRuleset(node);
  return own ? { ...state, tables: { ...state.tables, ...own.tables } } : state;
}

/**
 * kube-proxy in IPVS mode: the virtual servers and their real servers, the
 * ipsets, every ClusterIP bound to kube-ipvs0, and the few iptables rules
 * that match those sets.
 */
function syncIpvs(cp: ControlPlane, node: ProxyNode, why: 'start' | 'endpoints'): void {
  const { world, cluster } = cp;
  const sync = syncIpvsProxier(world.api.services, world.api.endpointSlices, node, {
    scheduler: cluster.kubeProxy.scheduler ?? 'rr',
  });
  const ruleset = restored(cp, sync.iptablesFile, "kube-proxy's IPVS-mode rules");
  const before = world.netns(node.name).ipvs;
  cp.loadIpvs(node.name, sync);
  const quiesced = before ? drainGracefully(cp, node.name, before) : [];
  cp.loadNetfilter(node.name, withOwn(cp, node.name, withFlannel(cp, node, ruleset)));
  const lines = sync.iptablesFile.split('\n');
  const count = (table: string) => {
    const start = lines.indexOf(`*${table}`);
    if (start < 0) return 0;
    const end = lines.indexOf('COMMIT', start);
    return lines.slice(start, end).filter((l) => l.startsWith('-A ')).length;
  };
  const vs = sync.table.virtualServers;
  world.record({
    kind: 'control',
    place: { node: node.name, netns: node.name },
    summary: `kube-proxy on ${node.name}: ${vs.length} IPVS virtual servers, ${sync.table.dummyAddresses.length} addresses on kube-ipvs0`,
    facts: {
      type: 'kube-proxy.sync',
      node: node.name,
      mode: 'ipvs',
      why,
      services: world.api.services.length,
      natRules: count('nat'),
      filterRules: count('filter'),
      overridden: Object.keys(cp.nodeRuleset(node.name)?.tables ?? {}),
      virtualServers: vs.length,
      realServers: vs.reduce((n, v) => n + v.realServers.length, 0),
      ipsets: sync.ipsets.filter((s) => s.entries.length > 0).map((s) => s.name),
    },
  });
  for (const q of quiesced) recordRs(cp, node.name, 'quiesce', q);
}

/** The graceful termination manager's list, per control plane and node. */
const drains = new WeakMap<ControlPlane, Map<string, DrainList>>();

/** The resync laid over the kernel's table as kube-proxy applies it; the destinations set to weight 0. */
function drainGracefully(cp: ControlPlane, node: string, before: IpvsState): readonly RsChange[] {
  const { world } = cp;
  const mine = drains.get(cp) ?? new Map<string, DrainList>();
  drains.set(cp, mine);
  const ns = world.netns(node);
  const r = resyncGracefully(
    before,
    ns.ipvs!,
    mine.get(node) ?? new Set(),
    world.timeUs,
    schedulerOf,
  );
  world.setNetns({ ...ns, ipvs: r.state });
  const armed = (mine.get(node)?.size ?? 0) > 0;
  mine.set(node, r.draining);
  if (r.draining.size > 0 && !armed) armRsCheck(cp, node);
  return r.quiesced;
}

/** Run() of the manager: a check every minute while destinations drain. */
function armRsCheck(cp: ControlPlane, node: string): void {
  cp.timer?.(RS_CHECK_DELETE_INTERVAL_US, () => {
    const { world } = cp;
    const list = drains.get(cp)?.get(node);
    const ns = world.netns(node);
    if (!list?.size || !ns.ipvs) return;
    const r = tryDeleteRs(ns.ipvs, list, world.timeUs, schedulerOf);
    drains.get(cp)!.set(node, r.draining);
    if (r.deleted.length) world.setNetns({ ...ns, ipvs: r.state });
    for (const d of r.deleted) recordRs(cp, node, 'delete', d);
    if (r.draining.size > 0) armRsCheck(cp, node);
  });
}

function recordRs(cp: ControlPlane, node: string, what: 'quiesce' | 'delete', c: RsChange): void {
  cp.world.record({
    kind: 'control',
    place: { node, netns: node },
    summary:
      what === 'quiesce'
        ? `kube-proxy on ${node}: ${c.service} → ${c.dest} weight 0 (${c.active} active, ${c.inactive} inactive)`
        : `kube-proxy on ${node}: ${c.service} → ${c.dest} deleted (no connections left)`,
    facts:
      what === 'quiesce'
        ? {
            type: 'ipvs.rs-quiesce',
            node,
            service: c.service,
            dest: c.dest,
            active: c.active,
            inactive: c.inactive,
          }
        : { type: 'ipvs.rs-delete', node, service: c.service, dest: c.dest, graceful: true },
  });
}

/**
 * LoadBalancer Services reachable from the node network: a layer-2 load
 * balancer (MetalLB's L2 mode) elects one node per address to answer ARP for
 * it. With externalTrafficPolicy Local only a node with a ready endpoint of
 * the Service may announce it; otherwise the first node. One step per
 * address whose announcing node changes.
 */
export function announceLoadBalancers(cp: ControlPlane): void {
  const { world, cluster } = cp;
  const want = new Map<string, string[]>(cluster.nodes.map((n) => [n.name, []]));
  for (const svc of world.api.services) {
    if (svc.spec.type !== 'LoadBalancer' || !svc.loadBalancerIngress?.length) continue;
    const ready = new Set(
      world.api.endpointSlices
        .filter((s) => sliceService(s) === key(svc))
        .flatMap((s) => s.endpoints.filter((e) => e.conditions.ready).map((e) => e.nodeName)),
    );
    const node =
      svc.spec.externalTrafficPolicy === 'Local'
        ? cluster.nodes.find((n) => ready.has(n.name))
        : cluster.nodes[0];
    if (!node) continue;
    for (const ip of svc.loadBalancerIngress) {
      want.get(node.name)!.push(ip);
      if (world.netns(node.name).announced?.includes(ip)) continue;
      world.record({
        kind: 'control',
        place: { node: node.name, netns: node.name, iface: 'eth0' },
        summary: `${node.name} announces ${ip} for ${key(svc)} (layer-2 load balancer)`,
        facts: {
          type: 'lb.announce',
          node: node.name,
          ip,
          service: key(svc),
          local: svc.spec.externalTrafficPolicy === 'Local',
        },
      });
    }
  }
  for (const [node, ips] of want) {
    const ns = world.netns(node);
    const same = (ns.announced ?? []).join() === ips.join();
    if (same) continue;
    const { announced: _old, ...rest } = ns;
    world.setNetns(ips.length ? { ...rest, announced: ips } : rest);
  }
}
