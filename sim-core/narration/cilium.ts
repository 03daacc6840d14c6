/**
 * Cilium: cluster-pool IPAM, the lxc veth, the agent's endpoint and identity,
 * and its eBPF programs at tc (cil_from_container, cil_to_overlay,
 * cil_from_overlay, cil_from_netdev) deciding where a packet goes instead of
 * a bridge, iptables and the route table.
 */
import type { FactOf, Narrators } from './types.ts';

export type CiliumFact =
  | FactOf<'cilium.ipam', { pod: string; node: string; ip: string; cidr: string; pool: string }>
  | FactOf<'cilium.veth', { ip: string; lxc: string; router: string; mtu: number; node: string }>
  | FactOf<
      'cilium.endpoint',
      {
        pod: string;
        node: string;
        ip: string;
        id: number;
        identity: number;
        labels: string;
        lxc: string;
        nodes: number;
      }
    >
  | FactOf<'cilium.delete', { pod: string; lxc: string; ip: string }>
  | FactOf<'cilium.exhausted', { node: string; cidr: string; reason: string }>
  | FactOf<'cilium.arp', { prog: string; dev: string; target: string; mac: string; who: string }>
  | FactOf<'cilium.redirect', { prog: string; from: string; to: string; who: string }>
  | FactOf<
      'cilium.lb-sync',
      { node: string; why: 'start' | 'endpoints'; frontends: number; backends: number }
    >
  | FactOf<
      'cilium.sock-lb',
      {
        prog: string;
        who: string;
        node: string;
        frontend: string;
        service: string;
        count: number;
        revNat: number;
        slot?: number;
        backend?: string;
      }
    >
  | FactOf<
      'cilium.bpf',
      {
        prog: string;
        hook: string;
        dev: string;
        who: string;
        src: string;
        dst: string;
        srcIdentity: number;
        dstIdentity?: number;
        ttl: number;
        verdict: 'local' | 'tunnel' | 'stack' | 'pass';
        endpoint?: number;
        lxc?: string;
        remote?: string;
        vni?: number;
        /** A reply of a flow kube-proxy NATed in the host: back to the stack for conntrack. */
        natReply?: boolean;
      }
    >;

type BpfFact = Extract<CiliumFact, { type: 'cilium.bpf' }>;

function bpfHeadline(f: BpfFact): string {
  if (f.verdict === 'local')
    return `${f.prog}: ${f.dst} is endpoint ${f.endpoint}, redirect to ${f.lxc}`;
  if (f.verdict === 'tunnel') return `${f.prog}: ${f.dst} is behind ${f.remote}, into cilium_vxlan`;
  if (f.verdict === 'pass') return `${f.prog} on ${f.dev} lets the packet out`;
  return `${f.prog}: ${f.dst} is not local, up the host stack`;
}

function bpfExplanation(f: BpfFact): string {
  const at = `The eBPF program ${f.prog} runs at ${f.hook} of ${f.dev} on ${f.who}.`;
  const who = `The source ${f.src} has security identity ${f.srcIdentity}`;
  if (f.prog === 'cil_from_overlay')
    return `${at} ${who}: it arrived in the VXLAN VNI${f.remote ? ` from ${f.remote}` : ''}, so the receiver knows the sender's identity without looking the address up. ${f.verdict === 'local' ? `${f.dst} is in the endpoint map as endpoint ${f.endpoint} (identity ${f.dstIdentity}): the program lowers the TTL (${f.ttl} → ${f.ttl - 1}), writes the lxc's MAC as source and the pod's as destination, and redirects the frame to ${f.lxc} — no route lookup, no bridge, no iptables.` : `${f.dst} is no local endpoint: the packet goes up the host stack.`}`;
  if (f.prog === 'cil_to_overlay')
    return `${at} It sees the packet ${f.src} → ${f.dst} on its way into the tunnel (the place for NodePort SNAT and encryption) and lets it through; the VXLAN device then wraps it with the tunnel key cil_from_container set.`;
  if (f.prog === 'cil_from_netdev')
    return `${at} The packet ${f.src} → ${f.dst} came from the node network; the ipcache gives the source identity ${f.srcIdentity} and the endpoint map says ${f.dst} is local endpoint ${f.endpoint}: the program lowers the TTL (${f.ttl} → ${f.ttl - 1}), rewrites the MACs and redirects the frame to ${f.lxc} without the host's routing or iptables.`;
  if (f.verdict === 'local')
    return `${at} ${who} (the endpoint map). ${f.dst} is another endpoint on this node (endpoint ${f.endpoint}, identity ${f.dstIdentity}): the program delivers it itself — TTL ${f.ttl} → ${f.ttl - 1}, the lxc's MAC as source — and redirects it to ${f.lxc}. Where flannel would bridge and iptables would look, one program decides.`;
  if (f.verdict === 'tunnel')
    return `${at} ${who} (the endpoint map). The ipcache says ${f.dst} (identity ${f.dstIdentity}) lives behind tunnel endpoint ${f.remote}: the program sets the tunnel key — remote ${f.remote}, VNI ${f.srcIdentity}, the source's identity — and redirects the frame to cilium_vxlan. The host's route table is never consulted, and the inner TTL stays ${f.ttl}.`;
  if (f.natReply)
    return `${at} ${who}. ${f.dst} is an endpoint on this node, but this packet answers a connection that reached the pod from the host stack, where kube-proxy DNATed it: the program returns TC_ACT_OK so the host's conntrack can rewrite the source back to the Service address before the client sees it.`;
  return `${at} ${who}. ${f.dst} (identity ${f.dstIdentity}) is no endpoint on this node${f.prog === 'cil_from_container' ? ' and needs no tunnel' : ''}: the program returns TC_ACT_OK and the packet goes up the host stack, where the kernel routes it (native routing: the route to the other node's pod CIDR via its node IP).`;
}

export const ciliumNarrators: Narrators<CiliumFact> = {
  'cilium.ipam': (f) => ({
    headline: `Cilium's IPAM gives ${f.pod} ${f.ip}`,
    explanation: `The kubelet runs CNI ADD; cilium-cni asks the local cilium-agent for an address. In cluster-pool mode the operator gave ${f.node} the CIDR ${f.cidr} out of ${f.pool}, and the agent picks a free address in it from a random starting point: ${f.ip}. No files on disk: the agent keeps the allocation.`,
  }),
  'cilium.veth': (f) => ({
    headline: `A veth pair joins eth0 to ${f.lxc}`,
    explanation: `cilium-cni creates a veth pair: eth0 in the pod (${f.ip}/32, default via ${f.router} mtu ${f.mtu} — the router IP on cilium_host — and a link-scope route to it) and ${f.lxc} on ${f.node} ("lxc" + 12 hex digits of sha256 of the container ID and "eth0"). There is no bridge: the eBPF program Cilium attaches to ${f.lxc} takes every packet the pod sends.`,
  }),
  'cilium.endpoint': (f) => ({
    headline: `cilium-agent: endpoint ${f.id}, identity ${f.identity}`,
    explanation: `cilium-agent creates endpoint ${f.id} for ${f.pod} on ${f.node} and gives it the security identity of its labels (${f.labels}): ${f.identity}. Pods with the same labels share one identity. It writes ${f.ip} into ${f.node}'s endpoint map (cilium_lxc) and the identity into the ipcache of all ${f.nodes} nodes, and attaches cil_from_container to ${f.lxc}.`,
  }),
  'cilium.delete': (f) => ({
    headline: `CNI DEL: ${f.lxc} and endpoint ${f.ip} are gone`,
    explanation: `cilium-cni deletes the veth pair (${f.lxc} and the pod's eth0) and the agent removes the endpoint: ${f.ip} leaves the endpoint map and every node's ipcache, and goes back to the node's CIDR.`,
  }),
  'cilium.exhausted': (f) => ({
    headline: `CNI ADD fails: ${f.cidr} is full`,
    explanation: `${f.node}'s cluster-pool CIDR ${f.cidr} has no free address. The kubelet reports "${f.reason}" and the pod stays in ContainerCreating.`,
  }),
  'cilium.arp': (f) => ({
    headline: `${f.prog} answers ARP for ${f.target} with ${f.mac}`,
    explanation: `The pod asks for the MAC of its gateway ${f.target}. The kernel never sees the request: ${f.prog} at tc ingress of ${f.dev} answers it itself with ${f.dev}'s own MAC ${f.mac} and sends the reply back into the pod.`,
  }),
  'cilium.redirect': (f) => ({
    headline: `${f.prog} redirects the frame to ${f.to}`,
    explanation: `bpf_redirect: the frame goes from ${f.from} straight out of ${f.to} on ${f.who}, skipping the bridge, netfilter and the route table.`,
  }),
  'cilium.bpf': (f) => ({ headline: bpfHeadline(f), explanation: bpfExplanation(f) }),
  'cilium.lb-sync': (f) => ({
    headline: `cilium-agent writes ${f.frontends} Service frontends on ${f.node}`,
    explanation: `With kubeProxyReplacement there is no kube-proxy and no KUBE-* chain. cilium-agent on ${f.node} ${f.why === 'start' ? 'reads the Services and EndpointSlices' : 'sees the EndpointSlices change'} and writes the service map (cilium_lb4_services_v2): one frontend per ClusterIP port (slot 0, with its backend count) and ${f.backends} backend slots pointing into cilium_lb4_backends — what cilium bpf lb list prints.`,
  }),
  'cilium.sock-lb': (f) =>
    f.backend
      ? {
          headline: `${f.prog}: ${f.frontend} → ${f.backend}, inside connect()`,
          explanation: `${f.who} calls connect() to ${f.frontend} (${f.service}). Before the kernel routes anything, the cgroup program ${f.prog} (bpf_sock) looks the address up in ${f.node}'s service map: a frontend with ${f.count} backend${f.count === 1 ? '' : 's'}. It picks slot ${f.slot} (a random number modulo ${f.count}, plus 1) and rewrites the socket's destination to ${f.backend}, noting the pair in cilium_lb4_reverse_sk so getpeername() still answers ${f.frontend}. No packet exists yet: the SYN will leave the pod already addressed to the backend, so nothing is DNATed on the wire and conntrack holds no NAT.`,
        }
      : {
          headline: `${f.prog}: ${f.frontend} has no backends`,
          explanation: `${f.who} calls connect() to ${f.frontend} (${f.service}). ${f.prog} finds the frontend in the service map with no backend slots, so it cannot translate: the SYN goes to the ClusterIP itself, which nothing answers.`,
        },
};
