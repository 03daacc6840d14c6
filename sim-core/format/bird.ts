/**
 * What calico-node's BIRD holds on a node, as `birdcl show protocols` and
 * `birdcl show route` print it (BIRD 1.6, which Calico's fork
 * "v0.3.3+birdv1.6.8" is): read from the node's kernel routes and the
 * cluster's nodes, never stored separately.
 *
 * The protocols are the ones confd's bird.cfg.template writes, in its
 * order: static1 (bird_aggr.cfg: a blackhole per block affine to the node),
 * kernel1 (`learn`: alien kernel routes, exporting the BGP routes with
 * calico_kernel_programming), device1, direct1 (every interface but cali*
 * and kube-ipvs*), bfd1, and one `Mesh_<peer IP with _>` BGP session per
 * other node (the full node-to-node mesh).
 *
 * Formats (nest/proto.c proto_cmd_show, nest/rt-table.c rt_show_rte):
 * `"%-8s %-8s %-8s %-5s  %-10s  %s"` and `"%-18s %s [%s %s%s]%s%s"`, via
 * `via %I on %s` / `dev %s` / `blackhole`, info ` (pref)` or, for BGP,
 * ` (100/<igp metric>) [i]` (an iBGP route originated by static: empty AS
 * path, ORIGIN IGP). Preferences: direct 240, static 200, BGP 100, kernel 10.
 * Times: %T of the simulated clock (BIRD's default for a recent change).
 *
 * BIRD walks its FIB in hash order; this prints the routes in address order.
 * With VXLAN, calico-node runs without BIRD (CALICO_NETWORKING_BACKEND
 * vxlan): felix programs the routes.
 */
import type { Netns, Route, Snapshot, Step } from '../model.ts';
import type { ClusterSpec } from '../scenario/types.ts';
import { ipToNumber, networkAddress, prefixLength } from '../net/cidr.ts';

export const BIRD_BANNER = 'BIRD v0.3.3+birdv1.6.8 ready.';

export interface BirdProtocol {
  readonly name: string;
  readonly proto: 'Static' | 'Kernel' | 'Device' | 'Direct' | 'BFD' | 'BGP';
  readonly table: 'master';
  readonly state: 'up';
  readonly sinceUs: number;
  readonly info: string;
  /** BGP: the peer's node and address. */
  readonly peer?: { readonly node: string; readonly ip: string };
}

export interface BirdRoute {
  readonly net: string;
  /** `via 172.18.0.11 on eth0`, `dev cali…`, `blackhole`. */
  readonly via: string;
  readonly protocol: string;
  readonly sinceUs: number;
  readonly info: string;
}

export type BirdView =
  | { readonly ok: true; readonly protocols: BirdProtocol[]; readonly routes: BirdRoute[] }
  | { readonly ok: false; readonly why: string };

const meshName = (ip: string) => `Mesh_${ip.replaceAll('.', '_')}`;

const withPrefix = (dst: string) =>
  dst === 'default' ? '0.0.0.0/0' : dst.includes('/') ? dst : `${dst}/32`;

/** When each route of the node appeared: its block's claim or its pod's veth step. */
function appeared(steps: readonly Step[], node: string): Map<string, number> {
  const at = new Map<string, number>();
  for (const s of steps) {
    const f = s.facts as { type: string; node?: string; block?: string; ip?: string };
    if (f.type === 'calico.block' && f.block && !at.has(f.block)) at.set(f.block, s.timeUs);
    if (f.type === 'calico.veth' && f.node === node && f.ip) at.set(`${f.ip}/32`, s.timeUs);
  }
  return at;
}

/** BIRD's view of `node` after `steps` (the trace up to the step shown). */
export function birdView(
  cluster: ClusterSpec,
  snap: Snapshot,
  node: string,
  steps: readonly Step[],
): BirdView {
  if (cluster.cni.plugin !== 'calico')
    return { ok: false, why: `${cluster.cni.plugin} runs no BIRD: only Calico speaks BGP here` };
  if (cluster.cni.mode === 'vxlan')
    return {
      ok: false,
      why: 'calico-node runs without BIRD in VXLAN mode (CALICO_NETWORKING_BACKEND=vxlan): felix programs the routes',
    };
  const ns: Netns | undefined = snap.netns[node];
  if (!ns) return { ok: false, why: `no node "${node}"` };
  const protocols: BirdProtocol[] = [
    ...(['Static', 'Kernel', 'Device', 'Direct', 'BFD'] as const).map((proto) => ({
      name: `${proto.toLowerCase()}1`,
      proto,
      table: 'master' as const,
      state: 'up' as const,
      sinceUs: 0,
      info: '',
    })),
    ...cluster.nodes
      .filter((n) => n.name !== node)
      .map((n) => ({
        name: meshName(n.ip),
        proto: 'BGP' as const,
        table: 'master' as const,
        state: 'up' as const,
        sinceUs: 0,
        info: 'Established',
        peer: { node: n.name, ip: n.ip },
      })),
  ];
  const at = appeared(steps, node);
  const since = (net: string) => at.get(net) ?? 0;
  const byIp = new Map(cluster.nodes.map((n) => [n.ip, n]));
  const routes: BirdRoute[] = [];
  // direct1: a device route per interface address (not cali*, kube-ipvs*; lo's is scope host).
  for (const i of ns.ifaces) {
    if (!i.ip || i.prefixLength === undefined || !directOn(i.name)) continue;
    const net = `${networkAddress(`${i.ip}/${i.prefixLength}`)}/${i.prefixLength}`;
    routes.push({ net, via: `dev ${i.name}`, protocol: 'direct1', info: ' (240)', sinceUs: 0 });
  }
  for (const r of ns.routes) {
    const row = birdRoute(r, byIp, node);
    if (row) routes.push({ ...row, sinceUs: since(row.net) });
  }
  routes.sort(
    (a, b) =>
      ipToNumber(a.net.split('/')[0]) - ipToNumber(b.net.split('/')[0]) ||
      prefixLength(a.net) - prefixLength(b.net),
  );
  return { ok: true, protocols, routes };
}

function birdRoute(
  r: Route,
  byIp: ReadonlyMap<string, { name: string; ip: string }>,
  node: string,
): Omit<BirdRoute, 'sinceUs'> | undefined {
  const net = withPrefix(r.dst);
  if (r.type === 'blackhole') return { net, via: 'blackhole', protocol: 'static1', info: ' (200)' };
  if (r.proto === 'bird' && r.via) {
    // The BGP route as BIRD holds it (gateway recursive: the peer on the node network);
    // tunl0 is only what calico_kernel_programming exports to the kernel.
    const peer = byIp.get(r.via);
    if (!peer || peer.name === node) return undefined;
    return {
      net,
      via: `via ${r.via} on eth0`,
      protocol: meshName(r.via),
      info: ' (100/0) [i]',
    };
  }
  // krt ignores the kernel's own (proto kernel) routes; direct1 has those prefixes.
  if (r.proto === 'kernel') return undefined;
  // Alien routes (proto boot: the default route, the CNI plugin's /32s) learned by kernel1.
  if (r.proto === undefined || r.proto === 'boot' || r.proto === 'static') {
    const via = r.via ? `via ${r.via} on ${r.dev}` : `dev ${r.dev}`;
    return { net, via, protocol: 'kernel1', info: ' (10)' };
  }
  return undefined;
}

const directOn = (dev: string) =>
  dev !== 'lo' && !dev.startsWith('cali') && !dev.startsWith('kube-ipvs');

/** %T of the simulated clock. */
export function birdTime(us: number): string {
  const s = Math.floor(us / 1e6);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600) % 24)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
}

const pad = (s: string, n: number) => s.padEnd(n);

export function birdProtocolsText(protocols: readonly BirdProtocol[]): string[] {
  return [
    BIRD_BANNER,
    'name     proto    table    state  since       info',
    ...protocols.map(
      (p) =>
        `${pad(p.name, 8)} ${pad(p.proto, 8)} ${pad(p.table, 8)} ${pad(p.state, 5)}  ${pad(birdTime(p.sinceUs), 10)}  ${p.info}`,
    ),
  ];
}

export function birdRouteText(routes: readonly BirdRoute[]): string[] {
  return [
    BIRD_BANNER,
    ...routes.map(
      (r) => `${pad(r.net, 18)} ${r.via} [${r.protocol} ${birdTime(r.sinceUs)}] *${r.info}`,
    ),
  ];
}
