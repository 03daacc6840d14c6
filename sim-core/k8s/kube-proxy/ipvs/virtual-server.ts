/**
 * The IPVS objects kube-proxy programs, shaped as the kernel holds them
 * (struct ip_vs_service / ip_vs_dest) and as ipvsadm reads them back.
 */
import type { Protocol } from '../../api-types.ts';

/** IPVS forwarding methods (IP_VS_CONN_F_*); kube-proxy always uses Masq (NAT). */
export type ForwardMethod = 'Masq' | 'Local' | 'Tunnel' | 'Route';

/** Packet and byte counters (struct ip_vs_kstats), what `ipvsadm -L --stats` shows. */
export interface IpvsStats {
  readonly conns: number;
  readonly inPkts: number;
  readonly outPkts: number;
  readonly inBytes: number;
  readonly outBytes: number;
}

export const ZERO_STATS: IpvsStats = { conns: 0, inPkts: 0, outPkts: 0, inBytes: 0, outBytes: 0 };

/** A destination (ipvsadm's "real server"). */
export interface RealServer {
  readonly address: string;
  readonly port: number;
  /** kube-proxy adds every endpoint with weight 1 (0 while it drains a deleted one). */
  readonly weight: number;
  readonly forward: ForwardMethod;
  /** Connections in ESTABLISHED (TCP) — ip_vs_dest.activeconns. */
  readonly activeConns: number;
  /** Connections in any other state, UDP included — ip_vs_dest.inactconns. */
  readonly inactConns: number;
  /** Persistence templates pointing here — ip_vs_dest.persistconns. */
  readonly persistConns: number;
  readonly stats: IpvsStats;
}

/** A virtual service (ipvsadm -A -t|-u|--sctp-service addr:port -s scheduler [-p timeout]). */
export interface VirtualServer {
  readonly protocol: Protocol;
  readonly address: string;
  readonly port: number;
  readonly scheduler: string;
  /** IP_VS_SVC_F_PERSISTENT with this timeout in seconds (sessionAffinity ClientIP), else absent. */
  readonly persistentTimeout?: number;
  /** IP_VS_SVC_F_SCHED1 (FlagSourceHash), which kube-proxy sets for the "mh" scheduler. */
  readonly sourceHash?: boolean;
  /** In the kernel's list order: each new destination is put at the head (list_add_rcu). */
  readonly realServers: readonly RealServer[];
  readonly stats: IpvsStats;
  /** The ServicePortName this virtual server was made for (not kernel state; for the UI). */
  readonly servicePort: string;
}

/** "10.96.0.10:53/UDP", kube-proxy's VirtualServer.String(), a table key. */
export function virtualServerKey(vs: {
  readonly address: string;
  readonly port: number;
  readonly protocol: Protocol;
}): string {
  return `${vs.address}:${vs.port}/${vs.protocol}`;
}

/** A destination as kube-proxy adds it: weight 1, masquerading, no connections yet. */
export function newRealServer(address: string, port: number): RealServer {
  return {
    address,
    port,
    weight: 1,
    forward: 'Masq',
    activeConns: 0,
    inactConns: 0,
    persistConns: 0,
    stats: ZERO_STATS,
  };
}
