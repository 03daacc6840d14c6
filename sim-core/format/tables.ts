/**
 * The state tables as the real tools print them — `ip neigh`, `ip route`,
 * `bridge fdb show`, `ip -br addr` — shared by the CLI and the app's panels.
 */
import type { FdbEntry, Iface, Neighbor, Netns, Route } from '../model.ts';
import { ipToNumber } from '../net/cidr.ts';
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

/**
 * `ip route show` lists the main table as the kernel's FIB trie walks it: by
 * destination address, and for one address the longer prefix first
 * (`10.244.0.0/24` before `10.244.0.0/16`); `default` is 0.0.0.0/0.
 */
export function kernelRouteOrder(routes: readonly Route[]): Route[] {
  const key = (r: Route) =>
    r.dst === 'default' ? [0, 0] : [ipToNumber(r.dst.split('/')[0]), Number(r.dst.split('/')[1])];
  return [...routes].sort((a, b) => {
    const [aa, al] = key(a);
    const [ba, bl] = key(b);
    return aa - ba || bl - al;
  });
}

export function routeLines(ns: Netns): string[] {
  return kernelRouteOrder(ns.routes).map(formatRoute);
}

/**
 * `bridge fdb show` walks the devices in ifindex order (rtnl_fdb_dump). For
 * the bridge device it prints the device's own address list first (the
 * `self` multicast entries), then the bridge's entries for itself; for a
 * port, the bridge's entries on that port (learned ones, then the port's own
 * permanent address), then the port's own `self` entries.
 */
export function kernelFdbOrder(ns: Netns): FdbEntry[] {
  const byDev = new Map<string, FdbEntry[]>();
  for (const e of ns.fdb) byDev.set(e.port, [...(byDev.get(e.port) ?? []), e]);
  const out: FdbEntry[] = [];
  const devs = [...ns.ifaces].sort((a, b) => a.ifindex - b.ifindex);
  for (const dev of devs) {
    const entries = byDev.get(dev.name) ?? [];
    const self = entries.filter((e) => e.flag === 'self');
    const master = entries.filter((e) => e.flag === 'master');
    const learned = master.filter((e) => !e.permanent);
    const permanent = master.filter((e) => e.permanent);
    if (dev.kind === 'bridge') out.push(...self, ...learned, ...permanent);
    else out.push(...learned, ...permanent, ...self);
  }
  return out;
}

export function fdbLines(ns: Netns): string[] {
  return kernelFdbOrder(ns).map(formatFdb);
}

/** `sysctl -a` lines ("net.ipv4.ip_forward = 1") for the keys we model. */
export function sysctlLines(ns: Netns): string[] {
  return sysctlAll(ns).map(([k, v]) => `${k} = ${v}`);
}
