/**
 * Cilium's BPF maps as the cilium CLI prints them (cilium-dbg bpf endpoint
 * list, bpf ipcache list): a tab-aligned two-column table, the key then the
 * value's String() — lxcmap's EndpointInfo ("(localhost)" for the node's own
 * addresses, else `id=%-5d sec_id=%-5d flags=0x%04X ifindex=%-3d mac=%s
 * nodemac=%s`) and ipcache's RemoteEndpointInfo (`identity=%d encryptkey=%d
 * tunnelendpoint=%s flags=%s`).
 */
import type { BpfEndpoint, CiliumMaps, IpcacheEntry } from '../model.ts';

const pad = (v: number, n: number) => String(v).padEnd(n);

export function endpointInfo(e: BpfEndpoint): string {
  if (e.id === undefined) return '(localhost)';
  return `id=${pad(e.id, 5)} sec_id=${pad(e.secId ?? 0, 5)} flags=0x0000 ifindex=${pad(e.ifindex ?? 0, 3)} mac=${e.mac} nodemac=${e.nodeMac}`;
}

export function ipcacheInfo(r: IpcacheEntry): string {
  const tunnel = r.tunnelEndpoint !== '0.0.0.0';
  return `identity=${r.identity} encryptkey=0 tunnelendpoint=${r.tunnelEndpoint} flags=${tunnel ? 'hastunnel' : '<none>'}`;
}

/** Go's tabwriter with padding 1 between the two columns. */
function table(header: [string, string], rows: [string, string][]): string[] {
  const width = Math.max(header[0].length, ...rows.map((r) => r[0].length)) + 3;
  return [header, ...rows].map(([k, v]) => `${k.padEnd(width)}${v}`.trimEnd());
}

export function bpfEndpointLines(maps: CiliumMaps): string[] {
  return table(
    ['IP ADDRESS', 'LOCAL ENDPOINT INFO'],
    maps.endpoints.map((e) => [`${e.ip}:0`, endpointInfo(e)]),
  );
}

export function bpfIpcacheLines(maps: CiliumMaps): string[] {
  return table(
    ['IP PREFIX/ADDRESS', 'IDENTITY'],
    maps.ipcache.map((r) => [r.prefix, ipcacheInfo(r)]),
  );
}
