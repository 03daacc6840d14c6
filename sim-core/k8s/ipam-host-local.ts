/**
 * The host-local IPAM plugin, as containernetworking/plugins implements it
 * (plugins/ipam/host-local/backend/allocator + backend/disk):
 *
 * - range: subnet's .1 (rangeStart) to broadcast−1 (rangeEnd); the gateway,
 *   also .1 by default, is skipped, so the first pod gets .2;
 * - the search starts after the IP in `last_reserved_ip.0` and wraps around,
 *   so a released IP is not handed out again until the range wraps;
 * - one file per IP, named by the IP, holding "<containerID>\r\n<ifname>";
 * - when nothing is free: "no IP addresses available in range set: A-B".
 *
 * State is immutable: every operation returns a new `HostLocalState`.
 */
import { broadcastAddress, hostAddress, ipToNumber, numberToIp } from '../net/cidr.ts';
import { hamtDelete, hamtEmpty, hamtEntries, hamtHas, hamtSet, type Hamt } from '../engine/hamt.ts';

const lastHost = (cidr: string) => numberToIp(ipToNumber(broadcastAddress(cidr)) - 1);
import type { IpamFile } from '../model.ts';

/** The disk backend separates container ID and interface with CRLF. */
export const LINE_BREAK = '\r\n';
export const DATA_DIR = '/var/lib/cni/networks';

export interface HostLocalState {
  readonly network: string; // "cbr0" for flannel
  readonly subnet: string;
  readonly rangeStart: string;
  readonly rangeEnd: string;
  readonly gateway: string;
  /**
   * IP → file content, persistent: a pod's allocation copies a few trie
   * nodes, not the map (a copy per pod made a node's start-up O(pods²)).
   * Listing uses `files`, sorted numerically.
   */
  readonly allocations: Hamt<string>;
  readonly lastReservedIp?: string;
  /**
   * The IP files as `ls` lists them (numeric order), kept in order as IPs
   * come and go so a pod's start does not sort the whole directory again;
   * the file objects are shared between states.
   */
  readonly files: readonly IpamFile[];
}

/** The directory's file for one IP. */
const ipFile = (network: string, ip: string, content: string): IpamFile => ({
  path: `${DATA_DIR}/${network}/${ip}`,
  content,
});

/** Where an IP's file goes among `files` (sorted by IP). */
function insertionPoint(files: readonly IpamFile[], ip: number): number {
  let lo = 0;
  let hi = files.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const path = files[mid].path;
    if (ipToNumber(path.slice(path.lastIndexOf('/') + 1)) < ip) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function createHostLocal(network: string, subnet: string): HostLocalState {
  return {
    network,
    subnet,
    rangeStart: hostAddress(subnet, 1),
    rangeEnd: lastHost(subnet),
    gateway: hostAddress(subnet, 1),
    allocations: hamtEmpty(),
    files: [],
  };
}

export function rangeSetString(s: HostLocalState): string {
  return `${s.rangeStart}-${s.rangeEnd}`;
}

export type AllocateResult =
  | {
      readonly ok: true;
      readonly ip: string;
      readonly gateway: string;
      readonly state: HostLocalState;
    }
  | { readonly ok: false; readonly error: string };

/** host-local's RangeIter: start after lastReservedIp, wrap, skip the gateway, stop where we began. */
export function allocate(s: HostLocalState, containerId: string, ifname: string): AllocateResult {
  const start = ipToNumber(s.rangeStart);
  const end = ipToNumber(s.rangeEnd);
  const gw = ipToNumber(s.gateway);
  const last = s.lastReservedIp ? ipToNumber(s.lastReservedIp) : undefined;
  const fromLast = last !== undefined && last >= start && last <= end;
  let cur = fromLast ? last : start - 1;
  const size = end - start + 1;
  for (let tries = 0; tries < size; tries++) {
    cur = cur >= end ? start : cur + 1;
    if (cur === gw) continue;
    const ip = numberToIp(cur);
    if (hamtHas(s.allocations, ip)) continue;
    const content = containerId.trim() + LINE_BREAK + ifname;
    const allocations = hamtSet(s.allocations, ip, content);
    const at = insertionPoint(s.files, cur);
    const files = [...s.files.slice(0, at), ipFile(s.network, ip, content), ...s.files.slice(at)];
    return {
      ok: true,
      ip,
      gateway: s.gateway,
      state: { ...s, allocations, files, lastReservedIp: ip },
    };
  }
  return { ok: false, error: `no IP addresses available in range set: ${rangeSetString(s)}` };
}

/** CNI DEL: remove the files of this container; last_reserved_ip.0 is left as it is. */
export function release(s: HostLocalState, containerId: string, ifname: string): HostLocalState {
  const match = containerId.trim() + LINE_BREAK + ifname;
  let allocations = s.allocations;
  for (const [ip, content] of hamtEntries(s.allocations))
    if (content === match) allocations = hamtDelete(allocations, ip);
  const files = s.files.filter((f) => f.content !== match);
  return { ...s, allocations, files };
}

/** The directory as `ls` would show it, with each file's content: the IPAM panel's rows. */
export function ipamFiles(s: HostLocalState): IpamFile[] {
  const dir = `${DATA_DIR}/${s.network}`;
  const files = [...s.files];
  if (s.lastReservedIp)
    files.push({ path: `${dir}/last_reserved_ip.0`, content: s.lastReservedIp });
  files.push({ path: `${dir}/lock`, content: '' });
  return files;
}
