/**
 * The ipsets kube-proxy's IPVS mode keeps (pkg/proxy/ipvs/ipset.go,
 * ipsetInfo in proxier.go) and the entries a sync puts in them. kube-proxy
 * creates each with `ipset create NAME TYPE family inet hashsize 1024
 * maxelem 65536 -exist` (bitmap:port with `range 0-65535`); the comment
 * strings are not given to ipset — they are the `-m comment` of the iptables
 * rules that match the set.
 */
import { cidrContains, networkAddress } from '../../../net/cidr.ts';
import type { ServicePortInfo } from './service-ports.ts';

export type IpsetType =
  'hash:ip' | 'hash:ip,port' | 'hash:ip,port,ip' | 'hash:ip,port,net' | 'bitmap:port';

export interface IpsetInfo {
  readonly name: string;
  readonly type: IpsetType;
  readonly comment: string;
}

/** ipsetInfo, in the order proxier.go lists it. */
export const IPSET_INFO: readonly IpsetInfo[] = [
  {
    name: 'KUBE-LOOP-BACK',
    type: 'hash:ip,port,ip',
    comment: 'Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose',
  },
  {
    name: 'KUBE-CLUSTER-IP',
    type: 'hash:ip,port',
    comment: 'Kubernetes service cluster ip + port for masquerade purpose',
  },
  {
    name: 'KUBE-EXTERNAL-IP',
    type: 'hash:ip,port',
    comment: 'Kubernetes service external ip + port for masquerade and filter purpose',
  },
  {
    name: 'KUBE-EXTERNAL-IP-LOCAL',
    type: 'hash:ip,port',
    comment: 'Kubernetes service external ip + port with externalTrafficPolicy=local',
  },
  { name: 'KUBE-LOAD-BALANCER', type: 'hash:ip,port', comment: 'Kubernetes service lb portal' },
  {
    name: 'KUBE-LOAD-BALANCER-FW',
    type: 'hash:ip,port',
    comment: 'Kubernetes service load balancer ip + port for load balancer with sourceRange',
  },
  {
    name: 'KUBE-LOAD-BALANCER-LOCAL',
    type: 'hash:ip,port',
    comment: 'Kubernetes service load balancer ip + port with externalTrafficPolicy=local',
  },
  {
    name: 'KUBE-LOAD-BALANCER-SOURCE-IP',
    type: 'hash:ip,port,ip',
    comment: 'Kubernetes service load balancer ip + port + source IP for packet filter purpose',
  },
  {
    name: 'KUBE-LOAD-BALANCER-SOURCE-CIDR',
    type: 'hash:ip,port,net',
    comment: 'Kubernetes service load balancer ip + port + source cidr for packet filter purpose',
  },
  {
    name: 'KUBE-NODE-PORT-TCP',
    type: 'bitmap:port',
    comment: 'Kubernetes nodeport TCP port for masquerade purpose',
  },
  {
    name: 'KUBE-NODE-PORT-LOCAL-TCP',
    type: 'bitmap:port',
    comment: 'Kubernetes nodeport TCP port with externalTrafficPolicy=local',
  },
  {
    name: 'KUBE-NODE-PORT-UDP',
    type: 'bitmap:port',
    comment: 'Kubernetes nodeport UDP port for masquerade purpose',
  },
  {
    name: 'KUBE-NODE-PORT-LOCAL-UDP',
    type: 'bitmap:port',
    comment: 'Kubernetes nodeport UDP port with externalTrafficPolicy=local',
  },
  {
    name: 'KUBE-NODE-PORT-SCTP-HASH',
    type: 'hash:ip,port',
    comment: "Kubernetes nodeport SCTP port for masquerade purpose with type 'hash ip:port'",
  },
  {
    name: 'KUBE-NODE-PORT-LOCAL-SCTP-HASH',
    type: 'hash:ip,port',
    comment:
      "Kubernetes nodeport SCTP port with externalTrafficPolicy=local with type 'hash ip:port'",
  },
  {
    name: 'KUBE-HEALTH-CHECK-NODE-PORT',
    type: 'bitmap:port',
    comment: 'Kubernetes health check node port',
  },
  { name: 'KUBE-IPVS-IPS', type: 'hash:ip', comment: 'Addresses on the ipvs interface' },
];

export function ipsetInfo(name: string): IpsetInfo {
  const info = IPSET_INFO.find((s) => s.name === name);
  if (!info) throw new Error(`kube-proxy has no ipset ${name}`);
  return info;
}

/** One set after a sync: its entries in kube-proxy's string form (utilipset.Entry.String()). */
export interface KubeIpset extends IpsetInfo {
  /** Sorted, as kube-proxy adds them (sets.List()). */
  readonly entries: readonly string[];
}

export interface IpsetSyncInput {
  readonly servicePorts: readonly ServicePortInfo[];
  /** The node IPs the nodePort virtual servers use (SCTP nodePorts are per IP). */
  readonly nodeIPs: readonly string[];
  /** The proxier's node IP, tested against loadBalancerSourceRanges. */
  readonly nodeIP: string;
  /** The addresses bound to kube-ipvs0 (KUBE-IPVS-IPS). */
  readonly dummyAddresses: readonly string[];
}

const proto = (sp: ServicePortInfo) => sp.protocol.toLowerCase();

/** The entries syncProxyRules writes into each set, keyed by set name. */
export function ipsetEntries(input: IpsetSyncInput): Map<string, Set<string>> {
  const sets = new Map<string, Set<string>>(IPSET_INFO.map((s) => [s.name, new Set<string>()]));
  const add = (set: string, entry: string) => sets.get(set)!.add(entry);
  for (const sp of input.servicePorts) {
    const p = proto(sp);
    // Hairpin: a local endpoint reaching its own Service is masqueraded.
    for (const ep of sp.endpoints)
      if (ep.isLocal) add('KUBE-LOOP-BACK', `${ep.ip},${p}:${ep.port},${ep.ip}`);
    add('KUBE-CLUSTER-IP', `${sp.clusterIP},${p}:${sp.port}`);
    for (const ip of sp.externalIPs)
      add(
        sp.externalPolicyLocal ? 'KUBE-EXTERNAL-IP-LOCAL' : 'KUBE-EXTERNAL-IP',
        `${ip},${p}:${sp.port}`,
      );
    for (const ip of sp.loadBalancerVIPs) {
      const entry = `${ip},${p}:${sp.port}`;
      add('KUBE-LOAD-BALANCER', entry);
      if (sp.externalPolicyLocal) add('KUBE-LOAD-BALANCER-LOCAL', entry);
      if (sp.loadBalancerSourceRanges.length > 0) {
        add('KUBE-LOAD-BALANCER-FW', entry);
        let allowFromNode = false;
        for (const cidr of sp.loadBalancerSourceRanges) {
          const net = `${networkAddress(cidr)}/${cidr.split('/')[1] ?? '32'}`;
          add('KUBE-LOAD-BALANCER-SOURCE-CIDR', `${entry},${net}`);
          if (cidrContains(cidr, input.nodeIP)) allowFromNode = true;
        }
        if (allowFromNode) add('KUBE-LOAD-BALANCER-SOURCE-IP', `${entry},${ip}`);
      }
    }
    if (sp.nodePort !== 0 && input.nodeIPs.length > 0) {
      const local = sp.externalPolicyLocal;
      if (sp.protocol === 'SCTP') {
        for (const ip of input.nodeIPs) {
          add('KUBE-NODE-PORT-SCTP-HASH', `${ip},sctp:${sp.nodePort}`);
          if (local) add('KUBE-NODE-PORT-LOCAL-SCTP-HASH', `${ip},sctp:${sp.nodePort}`);
        }
      } else {
        add(`KUBE-NODE-PORT-${sp.protocol}`, String(sp.nodePort));
        if (local) add(`KUBE-NODE-PORT-LOCAL-${sp.protocol}`, String(sp.nodePort));
      }
    }
    if (sp.healthCheckNodePort !== 0)
      add('KUBE-HEALTH-CHECK-NODE-PORT', String(sp.healthCheckNodePort));
  }
  for (const ip of input.dummyAddresses) add('KUBE-IPVS-IPS', ip);
  return sets;
}

/** Every set kube-proxy keeps, with its entries, in ipsetInfo order. */
export function buildIpsets(input: IpsetSyncInput): KubeIpset[] {
  const entries = ipsetEntries(input);
  return IPSET_INFO.map((info) => ({ ...info, entries: [...entries.get(info.name)!].sort() }));
}

/**
 * LoadBalancer IP:ports with source ranges none of which holds the node IP:
 * kube-proxy drops the node's own traffic to them in KUBE-IPVS-OUT-FILTER
 * (kubernetes#119656).
 */
export function lbNoNodeAccess(
  ports: readonly ServicePortInfo[],
  nodeIP: string,
): { ip: string; protocol: string; port: number }[] {
  const out: { ip: string; protocol: string; port: number }[] = [];
  for (const sp of ports) {
    if (sp.loadBalancerSourceRanges.length === 0) continue;
    const allowed = sp.loadBalancerSourceRanges.some((c) => cidrContains(c, nodeIP));
    if (allowed) continue;
    for (const ip of sp.loadBalancerVIPs) out.push({ ip, protocol: proto(sp), port: sp.port });
  }
  return out;
}
