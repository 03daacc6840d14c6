/**
 * The control plane's writes: the EndpointSlice controller's slices and
 * kube-proxy's syncs, the moments between a pod changing and a node's rules
 * following it.
 */
import type { FactOf, Narrators } from './types.ts';

export type ControlFact =
  | FactOf<'lb.announce', { node: string; ip: string; service: string; local: boolean }>
  | FactOf<
      'eps.write',
      {
        action: 'create' | 'update' | 'delete';
        slice: string;
        service: string;
        /** Each endpoint's address, in the slice's order. */
        endpoints: readonly string[];
        ready: number;
        /** Endpoints whose pod is being deleted (ready false), with their serving condition. */
        terminating?: readonly { readonly ip: string; readonly serving: boolean }[];
        ports: readonly string[];
      }
    >
  | FactOf<
      'kube-proxy.sync',
      {
        node: string;
        mode: 'iptables' | 'ipvs';
        why: 'start' | 'endpoints';
        services: number;
        natRules: number;
        filterRules: number;
        /** Tables the scenario's own iptables file replaced. */
        overridden: readonly string[];
        /** IPVS mode: the virtual servers, their real servers and the ipsets with members. */
        virtualServers?: number;
        realServers?: number;
        ipsets?: readonly string[];
      }
    >
  | FactOf<
      'iptables.by-hand',
      {
        node: string;
        args: string;
        table: string;
        /** It names a kube-proxy chain: the next sync puts kube-proxy's version back. */
        kubeChain?: boolean;
        /** iptables' refusal, when the chain or rule is not there. */
        error?: string;
      }
    >;

/** The conditions of endpoints whose pod has a deletionTimestamp (podToEndpoint). */
function terminatingText(
  eps: readonly { readonly ip: string; readonly serving: boolean }[],
): string {
  if (!eps.length) return '';
  const one = (e: (typeof eps)[number]) =>
    `${e.ip} is ready: false, serving: ${e.serving}, terminating: true`;
  return ` ${eps.map(one).join('; ')}: its pod is being deleted, so kube-proxy stops choosing it for new connections (it falls back to serving terminating endpoints only when a Service has no ready one).`;
}

const verb = { create: 'creates', update: 'updates', delete: 'deletes' } as const;

export const controlNarrators: Narrators<ControlFact> = {
  'lb.announce': (f) => ({
    headline: `${f.node} answers ARP for the LoadBalancer address ${f.ip}`,
    explanation: `${f.service} is a LoadBalancer with status.loadBalancer.ingress ${f.ip}. A layer-2 load balancer (MetalLB's L2 mode) elects one node to answer ARP for that address on the node network: ${f.node}${f.local ? ', which has a ready endpoint of the Service (externalTrafficPolicy: Local)' : ''}. Clients outside the cluster send to ${f.node}'s MAC; its kube-proxy rules match the address in KUBE-SERVICES and DNAT it to an endpoint.`,
  }),
  'eps.write': (f) => ({
    headline: `EndpointSlice controller ${verb[f.action]} ${f.slice}: ${f.ready} ready endpoint${f.ready === 1 ? '' : 's'}${f.terminating?.length ? `, ${f.terminating.length} terminating` : ''}`,
    explanation:
      f.action === 'delete'
        ? `The EndpointSlice controller deletes ${f.slice}: ${f.service} no longer needs it.`
        : `The EndpointSlice controller ${verb[f.action]} ${f.slice} for Service ${f.service} (label kubernetes.io/service-name, managed-by endpointslice-controller.k8s.io): ${
            f.endpoints.length ? f.endpoints.join(', ') : 'no endpoints'
          }, ${f.ready} of them ready, port${f.ports.length === 1 ? '' : 's'} ${f.ports.join(', ') || 'none'}. It picked the pods with the Service's selector and resolved each targetPort against their container ports.${terminatingText(f.terminating ?? [])}`,
  }),
  'iptables.by-hand': byHand,
  'kube-proxy.sync': (f) =>
    f.mode === 'ipvs'
      ? ipvsSync(f)
      : {
          headline:
            f.why === 'start'
              ? `kube-proxy on ${f.node} writes its ${f.mode} rules`
              : `kube-proxy on ${f.node} resyncs: the endpoints changed`,
          explanation:
            `${f.why === 'start' ? `kube-proxy starts on ${f.node} (--proxy-mode=${f.mode})` : `kube-proxy on ${f.node} saw the EndpointSlice change and, after its minimum sync period (1 s), syncs again`}: one iptables-restore --noflush of ${f.natRules} nat and ${f.filterRules} filter rules for ${f.services} Service${f.services === 1 ? '' : 's'} — KUBE-SERVICES, a KUBE-SVC- chain per Service port and a KUBE-SEP- chain per endpoint.` +
            (f.overridden.length
              ? ` The scenario's own iptables file then replaces the ${f.overridden.join(', ')} table${f.overridden.length === 1 ? '' : 's'}.`
              : ''),
        },
};

function byHand(f: Extract<ControlFact, { type: 'iptables.by-hand' }>) {
  if (f.error)
    return {
      headline: `iptables refuses: ${f.error}`,
      explanation: `iptables -t ${f.table} ${f.args.replace(/^-t\s+\S+\s+/, '')} on ${f.node} changes nothing: iptables answers "${f.error}" — the chain or rule it names is not in ${f.node}'s ${f.table} table at this moment.`,
    };
  return {
    headline: `iptables by hand on ${f.node}: the ${f.table} table changes`,
    explanation:
      `Someone runs iptables ${f.args} on ${f.node}: the ${f.table} table changes at once, and the next packet to reach that chain meets the new rules.` +
      (f.kubeChain
        ? ` kube-proxy does not watch its rules: this change lasts until its next sync, which rewrites its own KUBE- chains from the Services and EndpointSlices.`
        : ` kube-proxy's syncs rewrite only its own KUBE- chains, so this change stays.`),
  };
}

function ipvsSync(f: Extract<ControlFact, { type: 'kube-proxy.sync' }>) {
  return {
    headline:
      f.why === 'start'
        ? `kube-proxy on ${f.node} programs IPVS: ${f.virtualServers} virtual servers`
        : `kube-proxy on ${f.node} resyncs IPVS: the endpoints changed`,
    explanation: `${f.why === 'start' ? `kube-proxy starts on ${f.node} (--proxy-mode=ipvs)` : `kube-proxy on ${f.node} saw the EndpointSlice change and syncs again`}: every ClusterIP is bound to the kube-ipvs0 dummy device, so the node takes packets for it as its own; ${f.virtualServers} IPVS virtual servers with ${f.realServers} real servers (masquerade forwarding) catch them at LOCAL_IN. iptables keeps only ${f.natRules} nat and ${f.filterRules} filter rules, matching ipsets (${(f.ipsets ?? []).join(', ') || 'none filled'}) instead of one chain per Service.`,
  };
}
