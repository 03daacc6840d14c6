/**
 * Cilium's BPF maps as the cilium CLI prints them (cilium-dbg bpf endpoint
 * list, bpf ipcache list): a tab-aligned two-column table, the key then the
 * value's String() — lxcmap's EndpointInfo ("(localhost)" for the node's own
 * addresses, else `id=%-5d sec_id=%-5d flags=0x%04X ifindex=%-3d mac=%s
 * nodemac=%s`) and ipcache's RemoteEndpointInfo (`identity=%d encryptkey=%d
 * tunnelendpoint=%s flags=%s`). bpf lb list (cilium-dbg/cmd/bpf_lb_list.go,
 * dumpSVC): per frontend key "ip:port/PROTO", slot 0 as `0.0.0.0:0 (revnat)
 * (0) [flags] ` and each backend slot as `ip:port/PROTO (revnat) (slot)`,
 * through TablePrinter's tabwriter (padding 3, a tab after each cell).
 */
import type { BpfEndpoint, CiliumMaps, IpcacheEntry, LbService } from '../model.ts';

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

/** dumpSVC's lines for one frontend: slot 0 first, then the backends in slot order. */
export function lbEntries(s: LbService): string[] {
  return [
    `0.0.0.0:0 (${s.revNat}) (0) [${s.flags}] `,
    ...s.backends.map((b, i) => `${b.address}:${b.port}/${s.protocol} (${s.revNat}) (${i + 1})`),
  ];
}

/**
 * cilium bpf lb list. The tool walks a Go map (random order); we print the
 * frontends in the agent's ID order so a trace prints the same every time.
 */
export function bpfLbLines(maps: CiliumMaps): string[] {
  const rows: [string, string][] = [];
  for (const s of [...(maps.lb ?? [])].sort((a, b) => a.revNat - b.revNat))
    lbEntries(s).forEach((e, i) =>
      rows.push([i === 0 ? `${s.address}:${s.port}/${s.protocol}` : '', e]),
    );
  const header: [string, string] = ['SERVICE ADDRESS', 'BACKEND ADDRESS (REVNAT_ID) (SLOT)'];
  const w0 = Math.max(5, ...[header, ...rows].map((r) => r[0].length)) + 3;
  const w1 = Math.max(5, ...[header, ...rows].map((r) => r[1].length)) + 3;
  // "%s\t%s\t\n": both cells are padded, so lines end in spaces as the real tool's do.
  return [header, ...rows].map(([k, v]) => `${k.padEnd(w0)}${v.padEnd(w1)}`);
}
