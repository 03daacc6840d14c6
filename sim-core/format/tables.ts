/**
 * The state tables as the real tools print them — `ip neigh`, `ip route`,
 * `bridge fdb show`, `ip -br addr` — shared by the CLI and the app's panels.
 */
import type { FdbEntry, Iface, Neighbor, Netns } from '../model.ts';
import { formatRoute } from '../dataplane/route.ts';
import { sysctlAll } from '../dataplane/sysctl.ts';

export { formatRoute };

/** `ip neigh show` line. */
export function formatNeighbor(n: Neighbor): string {
  const ll = n.mac && n.state !== 'INCOMPLETE' && n.state !== 'FAILED' ? ` lladdr ${n.mac}` : '';
  return `${n.ip} dev ${n.dev}${ll} ${n.state}`;
}

/** `bridge fdb show` line. */
export function formatFdb(e: FdbEntry): string {
  const parts = [e.mac, 'dev', e.port];
  if (e.dst) parts.push('dst', e.dst);
  if (e.flag === 'master') parts.push('master', e.bridge);
  else parts.push('self');
  if (e.permanent) parts.push('permanent');
  return parts.join(' ');
}

/** `ip -br addr`-like line with the details a student needs (peer, master, MTU). */
export function formatIface(i: Iface): string {
  const name = i.peer ? `${i.name}@${i.peer.iface}` : i.name;
  const addr = i.ip ? `${i.ip}/${i.prefixLength}` : '';
  const extra = [
    i.master ? `master ${i.master}` : '',
    i.hairpin ? 'hairpin on' : '',
    `mtu ${i.mtu}`,
  ]
    .filter(Boolean)
    .join(' ');
  return `${i.ifindex}: ${name.padEnd(22)} ${i.mac}  ${addr.padEnd(18)} ${extra}`.trimEnd();
}

export function neighborLines(ns: Netns): string[] {
  return ns.neighbors.map(formatNeighbor);
}

export function routeLines(ns: Netns): string[] {
  return ns.routes.map(formatRoute);
}

/** Dynamic (learned) entries first, as the kernel lists a bridge's table, then permanent ones. */
export function fdbLines(ns: Netns): string[] {
  return ns.fdb.map(formatFdb);
}

/** `sysctl -a` lines ("net.ipv4.ip_forward = 1") for the keys we model. */
export function sysctlLines(ns: Netns): string[] {
  return sysctlAll(ns).map(([k, v]) => `${k} = ${v}`);
}
