/**
 * kube-proxy's IPVS mode (pkg/proxy/ipvs, Kubernetes v1.33) as pure
 * functions: what one sync programs into IPVS, kube-ipvs0, ipset and
 * iptables for the Services and EndpointSlices it sees, the kernel's IPVS
 * schedulers as immutable state machines, and the printers for ipvsadm,
 * ipset and `ip addr show kube-ipvs0`.
 */
import type { EndpointSlice, ProxyNode, Service } from '../../api-types.ts';
import { buildIpvsTable, type IpvsOptions, type IpvsTable } from './ipvs-table.ts';
import { buildIpsets, lbNoNodeAccess, type KubeIpset } from './ipset.ts';
import {
  ipvsIptablesFile,
  ipvsIptablesRestore,
  type IptablesOptions,
  type LbNoNodeAccess,
} from './iptables-rules.ts';
import { servicePorts } from './service-ports.ts';

export interface IpvsSyncOptions extends IpvsOptions, IptablesOptions {}

/** Everything one IPVS-mode sync leaves on a node. */
export interface IpvsSync {
  readonly table: IpvsTable;
  /** Every set kube-proxy keeps, in ipsetInfo order, with its entries. */
  readonly ipsets: readonly KubeIpset[];
  readonly lbNoNodeAccess: readonly LbNoNodeAccess[];
  /** What kube-proxy feeds `iptables-restore --noflush --counters`. */
  readonly iptablesRestore: string;
  /** The nat and filter tables as one flushing restore file, jumps included. */
  readonly iptablesFile: string;
}

/**
 * One syncProxyRules of the IPVS proxier for this node. The masquerade rule
 * for ClusterIPs uses the node's clusterCIDR (the cluster-CIDR local-traffic
 * detector) unless `clusterCIDR` is given in the options.
 */
export function syncIpvsProxier(
  services: readonly Service[],
  slices: readonly EndpointSlice[],
  node: ProxyNode,
  opts: IpvsSyncOptions = {},
): IpvsSync {
  const table = buildIpvsTable(services, slices, node, opts);
  const ports = servicePorts(services, slices, node);
  const ipsets = buildIpsets({
    servicePorts: ports,
    nodeIPs: table.nodeIPs,
    nodeIP: node.ip,
    dummyAddresses: table.dummyAddresses,
  });
  const noAccess = lbNoNodeAccess(ports, node.ip);
  const ipt: IptablesOptions = { ...opts, clusterCIDR: opts.clusterCIDR ?? node.clusterCIDR };
  return {
    table,
    ipsets,
    lbNoNodeAccess: noAccess,
    iptablesRestore: ipvsIptablesRestore(ipsets, noAccess, ipt),
    iptablesFile: ipvsIptablesFile(ipsets, noAccess, ipt),
  };
}

export { buildIpvsTable, nodePortIPs, shuffled } from './ipvs-table.ts';
export type { IpvsOptions, IpvsTable } from './ipvs-table.ts';
export { newRealServer, virtualServerKey, ZERO_STATS } from './virtual-server.ts';
export type { ForwardMethod, IpvsStats, RealServer, VirtualServer } from './virtual-server.ts';
export { categorizeEndpoints, servicePorts, DEFAULT_STICKY_SECONDS } from './service-ports.ts';
export type { CategorizedEndpoints, EndpointInfo, ServicePortInfo } from './service-ports.ts';
export { connOverhead, initScheduler, schedule, shHashKey, SH_TAB_SIZE } from './schedulers.ts';
export type {
  SchedDest,
  SchedPacket,
  SchedulerName,
  SchedulerResult,
  SchedulerState,
} from './schedulers.ts';
export { buildIpsets, ipsetEntries, ipsetInfo, IPSET_INFO, lbNoNodeAccess } from './ipset.ts';
export type { IpsetInfo, IpsetSyncInput, IpsetType, KubeIpset } from './ipset.ts';
export { ipsetBucket, ipsetList, ipsetMemorySize, ipsetSave, listOrder } from './ipset-format.ts';
export type { IpsetRuntime } from './ipset-format.ts';
export {
  IPVS_CHAINS,
  IPVS_JUMP_RULES,
  ipvsIptablesFile,
  ipvsIptablesRestore,
  jumpRuleCommand,
  masqueradeMark,
  setReferences,
} from './iptables-rules.ts';
export type { IptablesOptions, JumpRule, LbNoNodeAccess } from './iptables-rules.ts';
export {
  IPVS_VERSION_LINE,
  ipvsadmConnections,
  ipvsadmList,
  ipvsadmStats,
  largeNum,
} from './ipvsadm.ts';
export type { IpvsConnEntry } from './ipvsadm.ts';
export { ipAddrShowKubeIpvs0 } from './kube-ipvs0.ts';
export type { DummyDevice } from './kube-ipvs0.ts';
