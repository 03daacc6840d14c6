/**
 * ipvsadm's listings (ipvsadm.c: list_all, print_title, print_service_entry,
 * list_conn, print_conn; `-n` numeric), column for column: services sorted by
 * protocol number, then address, then port (ipvs_cmp_services), destinations
 * by address then port (ipvs_cmp_dests) — both compared by subtracting the
 * host-order values into a C int, as ipvsadm does.
 */
import type { Protocol } from '../../api-types.ts';
import type { IpvsStats, RealServer, VirtualServer } from './virtual-server.ts';

/** IP_VS_VERSION_CODE 1.2.1 and the connection hash table size (ip_vs_conn_tab_size). */
export const IPVS_VERSION_LINE = 'IP Virtual Server version 1.2.1 (size=4096)';

const PROTO_NUM: Record<Protocol, number> = { TCP: 6, UDP: 17, SCTP: 132 };

const ipNum = (ip: string) => ip.split('.').reduce((a, b) => ((a << 8) | Number(b)) >>> 0, 0);
/** `r = ntohl(a) - ntohl(b)` stored in an int: wraps for addresses 2^31 apart. */
const cmpInt = (a: number, b: number) => (a - b) | 0;

function cmpServices(a: VirtualServer, b: VirtualServer): number {
  return (
    PROTO_NUM[a.protocol] - PROTO_NUM[b.protocol] ||
    cmpInt(ipNum(a.address), ipNum(b.address)) ||
    a.port - b.port
  );
}

function cmpDests(a: RealServer, b: RealServer): number {
  return cmpInt(ipNum(a.address), ipNum(b.address)) || a.port - b.port;
}

const pad = (s: string, w: number) => s.padEnd(w);

/** "TCP  10.96.0.10:53", cut at 33 characters as ipvsadm does for IPv4. */
function serviceName(vs: VirtualServer): string {
  return `${vs.protocol}  ${vs.address}:${vs.port}`.slice(0, 33);
}

/** print_largenum without --exact: right-aligned in 9, K/M/G/T past 100 million. */
export function largeNum(i: number): string {
  if (i < 100_000_000) return String(i).padStart(9);
  if (i < 1_000_000_000) return `${Math.floor(i / 1000)}K`.padStart(9);
  if (i < 100_000_000_000) return `${Math.floor(i / 1_000_000)}M`.padStart(9);
  if (i < 100_000_000_000_000) return `${Math.floor(i / 1_000_000_000)}G`.padStart(9);
  return `${Math.floor(i / 1_000_000_000_000)}T`.padStart(9);
}

const statsCols = (s: IpvsStats) =>
  [s.conns, s.inPkts, s.outPkts, s.inBytes, s.outBytes].map(largeNum).join('');

const sortedServices = (vss: readonly VirtualServer[]) => [...vss].sort(cmpServices);
const sortedDests = (vs: VirtualServer) => [...vs.realServers].sort(cmpDests);

/** `ipvsadm -Ln`. */
export function ipvsadmList(vss: readonly VirtualServer[]): string {
  const out = [
    IPVS_VERSION_LINE,
    'Prot LocalAddress:Port Scheduler Flags',
    '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
  ];
  for (const vs of sortedServices(vss)) {
    let line = `${serviceName(vs)} ${vs.scheduler}`;
    if (vs.persistentTimeout !== undefined) line += ` persistent ${vs.persistentTimeout}`;
    out.push(line);
    for (const d of sortedDests(vs)) {
      const name = `${d.address}:${d.port}`.slice(0, 28);
      out.push(
        `  -> ${pad(name, 28)} ${pad(d.forward, 7)} ${pad(String(d.weight), 6)} ${pad(String(d.activeConns), 10)} ${pad(String(d.inactConns), 10)}`,
      );
    }
  }
  return `${out.join('\n')}\n`;
}

/** `ipvsadm -Ln --stats`. */
export function ipvsadmStats(vss: readonly VirtualServer[]): string {
  const title = `${pad('Prot LocalAddress:Port', 33)} ${['Conns', 'InPkts', 'OutPkts', 'InBytes', 'OutBytes'].map((h) => h.padStart(8)).join(' ')}`;
  const out = [IPVS_VERSION_LINE, title, '  -> RemoteAddress:Port'];
  for (const vs of sortedServices(vss)) {
    out.push(`${pad(serviceName(vs), 33)}${statsCols(vs.stats)}`);
    for (const d of sortedDests(vs))
      out.push(`  -> ${pad(`${d.address}:${d.port}`.slice(0, 28), 28)}${statsCols(d.stats)}`);
  }
  return `${out.join('\n')}\n`;
}

/** One line of /proc/net/ip_vs_conn, as ipvsadm -c reads it. */
export interface IpvsConnEntry {
  readonly protocol: Protocol;
  /** Seconds left before the entry expires. */
  readonly expires: number;
  /** The IPVS state name: ESTABLISHED, SYN_RECV, FIN_WAIT, TIME_WAIT, CLOSE, CLOSE_WAIT, LAST_ACK, NONE (templates), UDP, ... */
  readonly state: string;
  readonly client: { readonly ip: string; readonly port: number };
  readonly virtual: { readonly ip: string; readonly port: number };
  readonly destination: { readonly ip: string; readonly port: number };
}

const two = (n: number) => String(n).padStart(2, '0');

/** `ipvsadm -Lnc`: the connection table in the kernel's order. */
export function ipvsadmConnections(conns: readonly IpvsConnEntry[]): string {
  const out = [
    'IPVS connection entries',
    `pro expire ${pad('state', 11)} ${pad('source', 18)} ${pad('virtual', 18)} destination`,
  ];
  for (const c of conns) {
    const expire = `${two(Math.floor(c.expires / 60))}:${two(c.expires % 60)}`;
    out.push(
      `${pad(c.protocol, 3)} ${pad(expire, 6)} ${pad(c.state, 11)} ${pad(`${c.client.ip}:${c.client.port}`, 18)} ${pad(`${c.virtual.ip}:${c.virtual.port}`, 18)} ${c.destination.ip}:${c.destination.port}`,
    );
  }
  return `${out.join('\n')}\n`;
}
