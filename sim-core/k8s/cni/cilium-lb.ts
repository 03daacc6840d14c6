/**
 * Cilium's kube-proxy replacement (Helm `kubeProxyReplacement: true`):
 * there is no kube-proxy, so no KUBE-* chains. cilium-agent writes every
 * ClusterIP Service port into its service map (cilium_lb4_services_v2: slot 0
 * the frontend with its backend count, slots 1 … n the backends, each naming
 * a cilium_lb4_backends entry) on every node, and its cgroup programs balance
 * at the socket (bpf/bpf_sock.c):
 *
 * - cil_sock4_connect runs inside connect() (BPF_CGROUP_INET4_CONNECT, on the
 *   root cgroup, so for pods and the host alike): __sock4_xlate_fwd looks the
 *   destination up in the service map, picks slot (prandom % count) + 1 for
 *   TCP (the default `random` algorithm), and rewrites the sockaddr to that
 *   backend before the kernel routes anything. The SYN leaves the pod
 *   addressed to the backend: no DNAT on the wire, no NAT in conntrack.
 * - It remembers the translation in cilium_lb4_reverse_sk (cookie, backend →
 *   service), so cil_sock4_getpeername answers the ClusterIP: the program
 *   still believes it talks to the Service.
 * - A destination that is no frontend (-ENXIO) is left alone.
 */
import type { Ip4, LbService, TableRef } from '../../model.ts';
import type { EndpointSlice, Service } from '../api-types.ts';
import type { Rng } from '../../engine/rng.ts';
import type { World } from '../../dataplane/world.ts';
import type { SockAddrProgram } from '../../dataplane/types.ts';
import { place } from '../../dataplane/types.ts';
import { buildEndpointsMap, endpointsFor, servicePorts } from '../kube-proxy/index.ts';
import { categorizeEndpoints } from '../kube-proxy/topology.ts';
import { servicePortNameString } from '../kube-proxy/service-port-name.ts';

/** The map's key as cilium bpf lb list prints it: "10.96.0.10:53/UDP". */
export const lbKey = (s: Pick<LbService, 'address' | 'port' | 'protocol'>): string =>
  `${s.address}:${s.port}/${s.protocol}`;

export interface CiliumLb {
  /** cilium-agent's service sync on one node: the service map from Services and EndpointSlices. */
  sync(world: World, node: string, why: 'start' | 'endpoints'): void;
  /** cil_sock4_connect: connect()'s destination, rewritten to a backend when it is a frontend. */
  readonly connect4: SockAddrProgram;
}

/** The service map every node builds alike (ClusterIP frontends; revNat ids kept across syncs). */
export function buildLbMap(
  services: readonly Service[],
  slices: readonly EndpointSlice[],
  node: string,
  ids: Map<string, number>,
): LbService[] {
  const endpoints = buildEndpointsMap(slices, node);
  const out: LbService[] = [];
  for (const svc of services)
    for (const sp of servicePorts(svc)) {
      if (sp.protocol === 'SCTP') continue;
      const key = lbKey({ address: sp.clusterIP, port: sp.port, protocol: sp.protocol });
      let id = ids.get(key);
      if (id === undefined) ids.set(key, (id = ids.size + 1));
      const all = endpointsFor(endpoints, sp.name);
      const chosen = categorizeEndpoints(all, sp).allReachableEndpoints;
      out.push({
        address: sp.clusterIP,
        port: sp.port,
        protocol: sp.protocol,
        revNat: id,
        flags: 'ClusterIP, non-routable',
        backends: chosen.map((e) => ({ address: e.ip, port: e.port })),
        service: servicePortNameString(sp.name),
      });
    }
  return out;
}

export function createCiliumLb(rng: Rng): CiliumLb {
  const ids = new Map<string, number>();
  const slot = rng.fork('sock-lb');

  function sync(world: World, node: string, why: 'start' | 'endpoints'): void {
    const status = world.node(node);
    if (!status.bpf) return;
    const before = new Map((status.bpf.lb ?? []).map((s) => [lbKey(s), s]));
    const lb = buildLbMap(world.api.services, world.api.endpointSlices, node, ids);
    world.setNode({ ...status, bpf: { ...status.bpf, lb } });
    const touched: TableRef[] = [];
    for (const s of lb) {
      const was = before.get(lbKey(s));
      if (!was || JSON.stringify(was) !== JSON.stringify(s))
        touched.push({
          table: 'bpf-lb',
          netns: node,
          key: lbKey(s),
          change: was ? 'updated' : 'added',
        });
    }
    world.record({
      kind: 'control',
      place: { node, netns: node },
      summary: `cilium-agent on ${node}: ${lb.length} frontends in cilium_lb4_services_v2`,
      facts: {
        type: 'cilium.lb-sync',
        node,
        why,
        frontends: lb.length,
        backends: lb.reduce((n, s) => n + s.backends.length, 0),
      },
      touched,
    });
  }

  const connect4: SockAddrProgram = (dp, netns, protocol, dst, port) => {
    const ns = dp.world.netns(netns);
    const lb = dp.world.node(ns.node).bpf?.lb;
    const svc = lb?.find((s) => s.address === dst && s.port === port && s.protocol === protocol);
    if (!svc) return undefined; // -ENXIO: not a frontend, connect() goes on unchanged
    const frontend = lbKey(svc);
    const touched: TableRef[] = [
      { table: 'bpf-lb', netns: ns.node, key: frontend, change: 'read' },
    ];
    const base = {
      type: 'cilium.sock-lb' as const,
      prog: 'cil_sock4_connect',
      who: dp.label(netns),
      node: ns.node,
      frontend,
      service: svc.service,
      count: svc.backends.length,
      revNat: svc.revNat,
    };
    if (svc.backends.length === 0) {
      dp.world.record({
        kind: 'bpf',
        place: place(ns),
        summary: `cil_sock4_connect: ${frontend} has no backends`,
        facts: base,
        touched,
      });
      return undefined;
    }
    const n = (slot.u32() % svc.backends.length) + 1;
    const backend: { address: Ip4; port: number } = svc.backends[n - 1];
    dp.world.record({
      kind: 'bpf',
      place: place(ns),
      summary: `cil_sock4_connect: ${frontend} → ${backend.address}:${backend.port} (slot ${n})`,
      facts: { ...base, slot: n, backend: `${backend.address}:${backend.port}` },
      touched,
    });
    return { dst: backend.address, port: backend.port, peer: `${dst}:${port}` };
  };

  return { sync, connect4 };
}
