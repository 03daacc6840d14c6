/**
 * The tables the kernel test holds side by side: `ip neigh`, `ip route`, the learned
 * entries of `bridge fdb` (the simulator's random host veth names mapped by
 * role to the lab's), `conntrack -L` with the fields random per run masked.
 */
import type { Netns, Snapshot } from '../../model.ts';
import { formatFdb, formatNeighbor } from '../../format/tables.ts';
import type { Lab } from './lab.ts';
import type { Topology } from './topology.ts';

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .sort();

export async function realNeighbors(lab: Lab, ns: string): Promise<string[]> {
  return lines((await lab.ip('-n', ns, 'neigh', 'show')).stdout);
}

/** `ip route show`, in the kernel's order (routeLines keeps it too). */
export async function realRoutes(lab: Lab, ns: string): Promise<string[]> {
  const out = (await lab.ip('-n', ns, 'route', 'show')).stdout;
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

export const simNeighbors = (ns: Netns) => ns.neighbors.map(formatNeighbor).sort();

/** Learned (not permanent) entries of cni0, and flannel.1's static ones. */
export async function realFdb(lab: Lab, ns: string): Promise<string[]> {
  const all = lines((await lab.bridge('-n', ns, 'fdb', 'show')).stdout);
  return all.filter(
    (l) => / master cni0$/.test(l) || (/ dev flannel\.1 /.test(l) && / dst /.test(l)),
  );
}

/**
 * The simulator's side of realFdb, each bridge port renamed to the lab's
 * veth of the same role: the port whose peer is that pod's eth0.
 */
export function simFdb(snap: Snapshot, node: string, topo: Topology): string[] {
  const host = snap.netns[node];
  const desc = topo.nodes.find((n) => n.name === node)!;
  const rename = new Map<string, string>();
  for (const i of host.ifaces) {
    if (!i.peer || i.kind !== 'veth') continue;
    const pod = snap.netns[i.peer.netns]?.pod?.split('/')[1];
    const hostVeth = desc.pods.find((p) => p.name === pod)?.hostVeth;
    if (hostVeth) rename.set(i.name, hostVeth);
  }
  return host.fdb
    .filter((e) => (e.bridge === 'cni0' && !e.permanent) || e.dst)
    .map((e) => formatFdb({ ...e, port: rename.get(e.port) ?? e.port }))
    .sort();
}

/** A ports-and-timeout-free `conntrack -L` line: "tcp 6 * TIME_WAIT src=… sport=* dport=80 …". */
export function maskConntrack(line: string, fixedPorts: ReadonlySet<number>): string {
  return line
    .trim()
    .replace(/^(\S+)\s+(\d+)\s+\d+/, '$1 $2 *')
    .replace(/\b(sport|dport)=(\d+)/g, (m, k: string, v: string) =>
      fixedPorts.has(Number(v)) ? m : `${k}=*`,
    );
}
