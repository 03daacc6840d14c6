/**
 * Calico: calico-ipam's blocks, the CNI plugin's cali veth with proxy ARP,
 * BIRD's routes between nodes, and the kernel behaviours Calico leans on
 * (proxy ARP for 169.254.1.1, blackhole routes, routing instead of bridging,
 * IP-in-IP).
 */
import type { FactOf, Narrators } from './types.ts';

export type CalicoFact =
  | FactOf<
      'calico.block',
      { node: string; block: string; pool: string; mode: string; local: string; peers: number }
    >
  | FactOf<
      'calico.ipam',
      { pod: string; node: string; ip: string; block: string; ordinal: number; handle: string }
    >
  | FactOf<'calico.veth', { ip: string; hostVeth: string; mtu: number; node: string }>
  | FactOf<'calico.delete', { pod: string; veth: string; ip: string; block: string }>
  | FactOf<'calico.exhausted', { node: string; pool: string; reason: string }>
  | FactOf<
      'arp.proxy',
      { who: string; dev: string; target: string; sip: string; mac: string; out: string }
    >
  | FactOf<'ip.blackhole', { who: string; dst: string; route: string }>
  | FactOf<'ipip.encap', { dev: string; local: string; remote: string; ttl: number }>
  | FactOf<'ipip.send', { who: string }>
  | FactOf<'ipip.decap', { who: string; dev: string; from: string }>;

const HOW: Record<string, string> = {
  bgp: 'BIRD announces it over BGP to every other node, which routes it via this node (proto bird)',
  ipip: 'BIRD announces it over BGP; every other node routes it into tunl0 toward this node (IP-in-IP, proto bird)',
  vxlan:
    "felix on every other node programs a route via this node's VXLAN tunnel address on vxlan.calico",
};

export const calicoNarrators: Narrators<CalicoFact> = {
  'calico.block': (f) => ({
    headline: `calico-ipam claims block ${f.block} for ${f.node}`,
    explanation: `${f.node} has no block with a free address, so calico-ipam claims the next free block of the IP pool ${f.pool} and makes it affine to ${f.node} (an IPAMBlock with affinity host:${f.node}). ${f.node} now holds ${f.local} for it — anything in the block that is not a pod is dropped — and ${HOW[f.mode] ?? ''} (${f.peers} peer${f.peers === 1 ? '' : 's'}).`,
  }),
  'calico.ipam': (f) => ({
    headline: `calico-ipam gives ${f.pod} ${f.ip} from ${f.block}`,
    explanation: `The kubelet runs CNI ADD; the calico plugin asks calico-ipam for one IPv4 address. ${f.node}'s block ${f.block} hands out its next free ordinal, ${f.ordinal}: ${f.ip}, recorded under the handle ${f.handle}. There is no per-node subnet file: the block is an API object.`,
  }),
  'calico.veth': (f) => ({
    headline: `A veth pair joins eth0 to ${f.hostVeth}; no bridge`,
    explanation: `The calico plugin creates a veth pair: eth0 in the pod (${f.ip}/32, MTU ${f.mtu}, default via 169.254.1.1, a next hop that exists nowhere) and ${f.hostVeth} on ${f.node} with MAC ee:ee:ee:ee:ee:ee and proxy_arp=1, so the host answers the pod's ARP for 169.254.1.1 itself. ${f.node} routes ${f.ip} to ${f.hostVeth} with a /32 route; nothing is bridged.`,
  }),
  'calico.delete': (f) => ({
    headline: `CNI DEL: ${f.veth} and its /32 route are gone`,
    explanation: `The calico plugin deletes the veth pair (${f.veth} and the pod's eth0 go with the namespace, and the /32 route with ${f.veth}) and releases ${f.ip} back to block ${f.block}: the ordinal goes to the end of the block's free list.`,
  }),
  'calico.exhausted': (f) => ({
    headline: `CNI ADD fails: no free address in ${f.pool}`,
    explanation: `calico-ipam finds no free address in ${f.node}'s blocks and no unclaimed block in ${f.pool}. The kubelet reports "${f.reason}" and the pod stays in ContainerCreating.`,
  }),
  'arp.proxy': (f) => ({
    headline: `${f.who} answers ARP for ${f.target} itself (proxy ARP)`,
    explanation: `${f.target} is not an address of ${f.who}, but ${f.dev} has proxy_arp=1 and ${f.who} routes ${f.target} out of another device (${f.out}), so the kernel answers for it with ${f.dev}'s own MAC ${f.mac} (arp_process, proxy_delay 0). Calico relies on this: the pod's gateway 169.254.1.1 is answered by the host end of its veth.`,
  }),
  'ip.blackhole': (f) => ({
    headline: `${f.dst} matches a blackhole route: dropped`,
    explanation: `${f.who} has no pod at ${f.dst}; the longest match is "${f.route}", which Calico installs for each of the node's own blocks so that an unused address in them is dropped here instead of being routed elsewhere. The packet is discarded without an ICMP error.`,
  }),
  'ipip.encap': (f) => ({
    headline: `${f.dev} wraps the packet in IP-in-IP for ${f.remote}`,
    explanation: `The route sends the packet into ${f.dev}, an IP-in-IP tunnel (RFC 2003): the kernel puts an outer IPv4 header ${f.local} → ${f.remote} with protocol 4 in front of it — 20 bytes, no inner Ethernet header — and the outer TTL inherited from the inner packet (${f.ttl}).`,
  }),
  'ipip.send': (f) => ({
    headline: `The IP-in-IP packet leaves ${f.who} on the node network`,
    explanation: `The encapsulated packet (protocol 4) leaves ${f.who} like any packet it sends itself: routed to the other node on eth0.`,
  }),
  'ipip.decap': (f) => ({
    headline: `${f.dev} unwraps the IP-in-IP packet from ${f.from}`,
    explanation: `The packet is addressed to ${f.who} with protocol 4 (IP-in-IP): the ipip module strips the outer header and receives the inner packet on ${f.dev} as if it had arrived there, then ${f.who} routes it.`,
  }),
};
