/**
 * Which tab the panel strip shows at a step. The user's pick, except at a step whose facts
 * name the table that decided the hop — the EndpointSlice controller's write, IPVS's
 * scheduler, a netfilter table walked — where the strip follows the packet to that table,
 * and comes back to the pick afterwards. A pick made at this very step wins, and a pinned
 * tab always does. Tabs show only when the cluster has something for them.
 */
import type { Fact, Simulation, Step } from '@kubewire/sim-core';
import type { PanelId } from '../state/uiSlice.ts';
import { dnsFacts } from './dnsRows.ts';

/** The panel whose table a step's facts name, if any. */
export function factPanel(facts: Fact, proxyMode: string | undefined): PanelId | undefined {
  const t = facts.type;
  if (t === 'eps.write') return 'endpointslices';
  if (t === 'ingress.route' || t === 'ingress.certificate') return 'ingress';
  if (t.startsWith('ipvs.')) return 'ipvs';
  if (t === 'nf.nat' || t === 'nf.table') return 'iptables';
  if (t === 'kube-proxy.sync') return proxyMode === 'ipvs' ? 'ipvs' : 'iptables';
  // Cilium's service map: the agent writing it, cil_sock4_connect reading it.
  if (t === 'cilium.lb-sync' || t === 'cilium.sock-lb') return 'bpf';
  // A DNS query or answer sent, read or given up on (not the ARP request a query waits for).
  if (t !== 'neigh.solicit' && dnsFacts(facts).length) return 'dns';
  return undefined;
}

/**
 * The table that decided a hop in the kernel, by what the step did: a bridge's or the switch's
 * FDB forwarding, learning or flooding (a miss); flannel.1's VXLAN fdb at an encap (the entry
 * naming the remote node); the routing table at a routing decision; the neighbour table when
 * ARP resolves or is asked. A step that only carries a frame over a link names none.
 */
export function kernelPanel(step: Step): PanelId | undefined {
  switch (step.kind) {
    case 'fdb-forward':
    case 'fdb-learn':
    case 'flood':
    case 'encap':
      return 'fdb';
    case 'route':
      return 'routes';
    case 'bpf':
      // Cilium's programs decide by the endpoint map and the ipcache, not a route or a bridge.
      return step.touched.some((t) => t.table.startsWith('bpf-')) ? 'bpf' : undefined;
    case 'arp':
      return 'neighbors';
    default:
      return step.facts.type === 'neigh.solicit' ? 'neighbors' : undefined;
  }
}

/**
 * The panel a step names: its facts' table (a Service's, netfilter's…), else — until the user
 * picks a tab — the kernel table that decided the hop. Once a tab is picked, kernel lookups
 * (nearly every step has one) leave it be: a student reading the packet or a table hop by hop
 * keeps it.
 */
export function stepPanel(
  step: Step,
  proxyMode: string | undefined,
  userPicked: boolean,
): PanelId | undefined {
  return factPanel(step.facts, proxyMode) ?? (userPicked ? undefined : kernelPanel(step));
}

/** Panels that only some clusters have something for. */
export type OptionalPanel =
  'services' | 'endpointslices' | 'ipvs' | 'ipsets' | 'ingress' | 'dns' | 'bird' | 'bpf';

const cache = new WeakMap<Simulation, ReadonlySet<OptionalPanel>>();

/**
 * The optional panels this simulation has something for: Services and EndpointSlices when
 * the API server stores any Service at some step; IPVS and ipsets when kube-proxy runs in
 * IPVS mode; DNS when the cluster runs CoreDNS or an action looks a name up. Computed once
 * per simulation.
 */
export function optionalPanels(sim: Simulation): ReadonlySet<OptionalPanel> {
  let set = cache.get(sim);
  if (set) return set;
  const out = new Set<OptionalPanel>();
  const last = sim.steps.length ? sim.stateAt(sim.steps.length - 1) : sim.initial;
  if (sim.initial.api.services.length || last.api.services.length) {
    out.add('services');
    out.add('endpointslices');
  }
  if (sim.scenario.cluster.ingressNginx) out.add('ingress');
  if (
    sim.scenario.cluster.dns ||
    sim.scenario.scenario.actions.some((a) => a.kind === 'dig' || a.kind === 'resolve')
  )
    out.add('dns');
  // calico-node's BIRD: BGP and IPIP (with VXLAN felix programs the routes, no BIRD).
  const { cni } = sim.scenario.cluster;
  if (cni.plugin === 'calico' && cni.mode !== 'vxlan') out.add('bird');
  // cilium-agent's BPF maps: the endpoint map, the ipcache, the service map.
  if (cni.plugin === 'cilium') out.add('bpf');
  if (sim.scenario.cluster.kubeProxy.mode === 'ipvs') {
    out.add('ipvs');
    out.add('ipsets');
  }
  cache.set(sim, (set = out));
  return set;
}

export interface PanelPick {
  /** The tab the user picked, and the step they picked it at. */
  readonly panel: PanelId;
  readonly step: number;
  readonly pinned: boolean;
}

/** The tab to show: the pick at its own step or when pinned, else the step's table, else the pick. */
export function shownPanel(
  pick: PanelPick,
  step: number,
  named: PanelId | undefined,
  visible: (p: PanelId) => boolean,
  fallback: PanelId,
): PanelId {
  const picked = visible(pick.panel) ? pick.panel : fallback;
  if (pick.pinned || pick.step === step) return picked;
  return named && visible(named) ? named : picked;
}
