/**
 * ipvsadm and `ipset list` for a node, read from its namespace's IPVS and
 * ipset state (the kernel side, sim-core/dataplane/ipvs) when it has them.
 * A node without that state in an IPVS-mode cluster is listed from what
 * kube-proxy's sync (syncIpvsProxier) programs for the step's Services and
 * EndpointSlices, with zero counters and no connections; a node in an
 * iptables-mode cluster has no virtual servers and no sets (ipvsadm loads
 * ip_vs itself and prints the bare header; `ipset list` prints nothing).
 */
import { hamtGet, hamtValues } from '../engine/hamt.ts';
import { createRng } from '../engine/rng.ts';
import type { Netns } from '../model.ts';
import {
  ipsetInfo,
  ipsetList,
  ipvsadmConnections,
  ipvsadmList,
  ipvsadmStats,
  IPSET_INFO,
  setReferences,
  type IpsetType,
  type IpvsConnEntry,
  type IpvsSync,
  type KubeIpset,
  type VirtualServer,
} from '../k8s/kube-proxy/ipvs/index.ts';

export type IpvsadmView = 'list' | 'stats' | 'connections';

/** The virtual servers a namespace's IPVS holds, in creation order. */
function stateServers(ns: Netns): VirtualServer[] | undefined {
  const ipvs = ns.ipvs;
  if (!ipvs) return undefined;
  return ipvs.order
    .map((k) => hamtGet(ipvs.services, k))
    .filter((v): v is NonNullable<typeof v> => v !== undefined);
}

/** The connection table as /proc/net/ip_vs_conn lists it (ours in creation order). */
function stateConnections(ns: Netns, nowUs: number): IpvsConnEntry[] {
  if (!ns.ipvs) return [];
  return [...hamtValues(ns.ipvs.conns)]
    .sort((a, b) => a.id - b.id)
    .map((c) => ({
      protocol: c.protocol,
      // (cp->timer.expires - jiffies) / HZ: whole seconds left, rounded down.
      expires: Math.max(0, Math.floor((c.expiresUs - nowUs) / 1e6)),
      state: c.state,
      client: c.client,
      virtual: c.virtual,
      destination: c.dest,
    }));
}

/** `ipvsadm -Ln`, `ipvsadm -Ln --stats` or `ipvsadm -Lnc` of the node. */
export function ipvsadmText(
  ns: Netns,
  sync: IpvsSync | undefined,
  view: IpvsadmView,
  nowUs: number,
): string {
  const servers = stateServers(ns) ?? sync?.table.virtualServers ?? [];
  if (view === 'connections') return ipvsadmConnections(stateConnections(ns, nowUs));
  return view === 'stats' ? ipvsadmStats(servers) : ipvsadmList(servers);
}

const KNOWN = new Set(IPSET_INFO.map((s) => s.name));

/**
 * `ipset list` of the node. The hash seed of each set (random per set in the
 * kernel) is drawn from the cluster's seeded generator; References counts
 * the node's iptables rules that match the set.
 */
export function ipsetText(
  ns: Netns,
  sync: IpvsSync | undefined,
  seed: number,
  iptablesText: string,
): string {
  const sets: readonly KubeIpset[] = ns.ipsets
    ? Object.values(ns.ipsets).map((s) => ({
        ...(KNOWN.has(s.name) ? ipsetInfo(s.name) : { name: s.name, comment: '' }),
        type: s.type as IpsetType,
        entries: s.members,
      }))
    : (sync?.ipsets ?? []);
  if (!sets.length) return '';
  const refs = setReferences(ns.ipsets || !sync ? iptablesText : sync.iptablesFile);
  const rng = createRng(seed).fork(`ipset/${ns.node}`);
  const initval = new Map(sets.map((s) => [s.name, rng.fork(s.name).u32()]));
  return ipsetList(sets, (name) => ({
    initval: initval.get(name),
    references: refs.get(name) ?? 0,
  }));
}
