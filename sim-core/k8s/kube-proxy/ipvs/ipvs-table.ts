/**
 * kube-proxy's IPVS proxier sync (pkg/proxy/ipvs/proxier.go, syncProxyRules)
 * as a pure function: the virtual servers and destinations it creates, and
 * the addresses it binds to the kube-ipvs0 dummy device.
 *
 * For every Service port: a virtual server on the ClusterIP:port (bound to
 * kube-ipvs0); one per externalIP and per LoadBalancer ingress IP (bound
 * unless the address already sits on another interface of the node); and,
 * for a nodePort, one per node IP: every address of every interface except
 * kube-ipvs0, loopback left out (netlinkHandle.GetAllLocalAddressesExcept with
 * isValidForSet), or only those inside --nodeport-addresses when it is set.
 * Each uses the configured scheduler (rr by default), persistence with the
 * affinity timeout for sessionAffinity ClientIP, and gets the port's
 * endpoints as Masq destinations of weight 1 — the node's own endpoints only
 * when the traffic policy for that address is Local, falling back to all
 * endpoints when the node has none (kubernetes#97081).
 */
import type { EndpointSlice, ProxyNode, Service } from '../../api-types.ts';
import type { Rng } from '../../../engine/rng.ts';
import { cidrContains } from '../../../net/cidr.ts';
import {
  categorizeEndpoints,
  servicePorts,
  type EndpointInfo,
  type ServicePortInfo,
} from './service-ports.ts';
import {
  newRealServer,
  virtualServerKey,
  ZERO_STATS,
  type VirtualServer,
} from './virtual-server.ts';

export interface IpvsOptions {
  /** --ipvs-scheduler; kube-proxy's default is "rr". */
  readonly scheduler?: string;
  /**
   * Every IPv4 address on the node's interfaces other than kube-ipvs0 (what
   * `ip -4 addr` lists: eth0, cni0, flannel.1, lo, ...). Defaults to the
   * node's InternalIP alone. Loopback addresses are dropped as kube-proxy does.
   */
  readonly localAddresses?: readonly string[];
  /** --nodeport-addresses as CIDRs; empty or absent means every node address. */
  readonly nodePortAddresses?: readonly string[];
  /**
   * kube-proxy walks Go maps (services, endpoint sets, node addresses), whose
   * order is random: with an rng that order is drawn from it, so destination
   * list order (which rr follows) and kube-ipvs0's address order vary by seed
   * as they vary by run on a real node. Without one, the input order is kept.
   */
  readonly rng?: Rng;
}

/** The IPVS half of a kube-proxy sync. */
export interface IpvsTable {
  /** In creation order; `ipvsadm -L` sorts them itself. */
  readonly virtualServers: readonly VirtualServer[];
  /** Addresses on kube-ipvs0, each a /32, in the order they were bound. */
  readonly dummyAddresses: readonly string[];
  /** The node IPs nodePort virtual servers were made on. */
  readonly nodeIPs: readonly string[];
}

const isLoopback = (ip: string) => ip.startsWith('127.');

/** Fisher–Yates with the seeded generator (Go's map order stands in here). */
export function shuffled<T>(items: readonly T[], rng: Rng | undefined): T[] {
  const out = [...items];
  if (!rng) return out;
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** The node IPs nodePort virtual servers go on. */
export function nodePortIPs(node: ProxyNode, opts: IpvsOptions = {}): string[] {
  const all = [...new Set(opts.localAddresses ?? [node.ip])].filter((ip) => !isLoopback(ip));
  const cidrs = opts.nodePortAddresses ?? [];
  if (cidrs.length === 0 || cidrs.includes('0.0.0.0/0')) return all;
  return all.filter((ip) => cidrs.some((c) => cidrContains(c, `${ip}/32`)));
}

/** syncEndpoint's choice of endpoints for one virtual server. */
function chosenEndpoints(sp: ServicePortInfo, onlyNodeLocal: boolean): readonly EndpointInfo[] {
  const { clusterEndpoints, localEndpoints } = categorizeEndpoints(sp);
  if (!onlyNodeLocal) return clusterEndpoints;
  return localEndpoints.length > 0 ? localEndpoints : clusterEndpoints;
}

/** Build the virtual servers and kube-ipvs0 addresses kube-proxy programs. */
export function buildIpvsTable(
  services: readonly Service[],
  slices: readonly EndpointSlice[],
  node: ProxyNode,
  opts: IpvsOptions = {},
): IpvsTable {
  const scheduler = opts.scheduler || 'rr';
  const rng = opts.rng?.fork('kube-proxy-ipvs');
  const local = new Set(opts.localAddresses ?? [node.ip]);
  const ports = servicePorts(services, slices, node);
  const hasNodePort = ports.some((p) => p.nodePort !== 0);
  const nodeIPs = hasNodePort ? shuffled(nodePortIPs(node, opts), rng) : [];

  const servers = new Map<string, VirtualServer>();
  const bound: string[] = [];
  const bind = (ip: string) => {
    if (!bound.includes(ip)) bound.push(ip);
  };

  const sync = (sp: ServicePortInfo, address: string, port: number, onlyLocal: boolean) => {
    const eps = shuffled(chosenEndpoints(sp, onlyLocal), rng);
    // Each AddRealServer puts the destination at the head of the kernel's list.
    const realServers = eps.map((e) => newRealServer(e.ip, e.port)).reverse();
    const vs: VirtualServer = {
      protocol: sp.protocol,
      address,
      port,
      scheduler,
      ...(sp.stickyMaxAgeSeconds > 0 ? { persistentTimeout: sp.stickyMaxAgeSeconds } : {}),
      ...(scheduler === 'mh' ? { sourceHash: true } : {}),
      realServers,
      stats: ZERO_STATS,
      servicePort: sp.name,
    };
    servers.set(virtualServerKey(vs), vs);
  };

  for (const sp of shuffled(ports, rng)) {
    sync(sp, sp.clusterIP, sp.port, sp.internalPolicyLocal);
    bind(sp.clusterIP);
    for (const ip of [...sp.externalIPs, ...sp.loadBalancerVIPs]) {
      sync(sp, ip, sp.port, sp.externalPolicyLocal);
      if (!local.has(ip)) bind(ip);
    }
    if (sp.nodePort !== 0) {
      for (const ip of nodeIPs) sync(sp, ip, sp.nodePort, sp.externalPolicyLocal);
    }
  }
  return { virtualServers: [...servers.values()], dummyAddresses: bound, nodeIPs };
}
