/**
 * What the kubelet does for a pod's network: ask the runtime for a sandbox
 * (the pause container, which holds the pod's network namespace), run CNI
 * ADD, then start the app containers inside that namespace. A crashed app
 * container is restarted in the same sandbox, so the IP stays; deleting the
 * pod runs CNI DEL, which releases the IP.
 */
import type { ContainerStatus, Netns, PodStatus } from '../model.ts';
import type { Rng } from '../engine/rng.ts';
import type { World } from '../dataplane/world.ts';
import { listenSockets, withoutListeners } from '../dataplane/tcp-listen.ts';
import type { ClusterSpec, PodSpec } from '../scenario/types.ts';
import { addVethPair, BRIDGE, CNI_NETWORK, ensureBridge, removeVethPair } from './cni-bridge.ts';
import { containerId } from './identity.ts';
import { allocate, ipamFiles, release, type HostLocalState } from './ipam-host-local.ts';
import { LOOPBACK, podMtu } from './node.ts';

export interface KubeletContext {
  readonly world: World;
  readonly rng: Rng;
  readonly cluster: ClusterSpec;
  readonly ipam: Map<string, HostLocalState>;
  /** Host veth of each running pod ("ns/name" → veth name). */
  readonly veths: Map<string, string>;
}

export const podKey = (p: { namespace: string; name: string }) => `${p.namespace}/${p.name}`;
export const podNetnsId = (node: string, p: { namespace: string; name: string }) =>
  `${node}/${p.namespace}/${p.name}`;

function short(id: string): string {
  return id.slice(0, 13);
}

function setIpam(ctx: KubeletContext, node: string, state: HostLocalState): void {
  ctx.ipam.set(node, state);
  ctx.world.setNode({ ...ctx.world.node(node), ipam: ipamFiles(state) });
}

export function startPod(ctx: KubeletContext, spec: PodSpec): void {
  const { world, rng, cluster } = ctx;
  const node = cluster.nodes.find((n) => n.name === spec.nodeName)!;
  const key = podKey(spec);
  const sandboxId = containerId(rng);
  const netnsId = podNetnsId(node.name, spec);
  const containers: ContainerStatus[] = spec.containers.map((c) => ({
    name: c.name,
    image: c.image,
    state: 'waiting',
    restartCount: 0,
    ports: c.ports.map((p) => ({ containerPort: p.containerPort, protocol: p.protocol })),
  }));
  const pod: PodStatus = {
    namespace: spec.namespace,
    name: spec.name,
    node: node.name,
    phase: 'Pending',
    sandboxId,
    netns: netnsId,
    containers,
  };
  const ns: Netns = {
    id: netnsId,
    node: node.name,
    kind: 'pod',
    pod: key,
    ifaces: [LOOPBACK],
    routes: [],
    neighbors: [],
    fdb: [],
  };
  world.setPod(pod);
  world.setNetns(ns);
  const here = { node: node.name, netns: netnsId };
  world.record({
    kind: 'setup',
    place: here,
    summary: `sandbox for ${key}: pause ${short(sandboxId)}`,
    facts: { type: 'kubelet.sandbox', pod: key, node: node.name, sandbox: short(sandboxId) },
    touched: [],
  });

  const mtu = podMtu(cluster);
  const r = allocate(ctx.ipam.get(node.name)!, sandboxId, 'eth0');
  if (!r.ok) {
    const reason = `Failed to create pod sandbox: plugin type="flannel" failed (add): failed to delegate add: failed to allocate for range 0: ${r.error}`;
    world.setPod({ ...pod, reason });
    world.removeNetns(netnsId);
    world.record({
      kind: 'error',
      place: { node: node.name, netns: node.name },
      summary: `${key}: FailedCreatePodSandBox`,
      facts: { type: 'cni.ipam-exhausted', node: node.name, podCIDR: node.podCIDR, reason },
      touched: [{ table: 'ipam', netns: node.name, key: 'last_reserved_ip.0', change: 'read' }],
    });
    return;
  }
  setIpam(ctx, node.name, r.state);
  world.setPod({ ...pod, ip: r.ip });
  world.record({
    kind: 'setup',
    place: { node: node.name, netns: node.name },
    summary: `host-local: ${r.ip} → ${key}`,
    facts: {
      type: 'cni.ipam',
      pod: key,
      node: node.name,
      podCIDR: node.podCIDR,
      ip: r.ip,
      network: CNI_NETWORK,
    },
    touched: [],
  });

  if (ensureBridge(world, node.name, node.podCIDR, mtu)) {
    world.record({
      kind: 'setup',
      place: { node: node.name, netns: node.name, iface: BRIDGE },
      summary: `bridge plugin creates ${BRIDGE} ${r.gateway}`,
      facts: {
        type: 'cni.bridge',
        node: node.name,
        bridge: BRIDGE,
        gateway: r.gateway,
        podCIDR: node.podCIDR,
      },
      touched: [],
    });
  }
  const veth = addVethPair(
    world,
    rng,
    node.name,
    world.netns(netnsId),
    r.ip,
    node.podCIDR,
    cluster.podCIDR,
    mtu,
    cluster.cni.hairpinMode ?? true,
  );
  ctx.veths.set(key, veth.hostVeth);
  world.record({
    kind: 'setup',
    place: { node: node.name, netns: netnsId, iface: 'eth0' },
    from: { node: node.name, netns: node.name, iface: veth.hostVeth },
    summary: `veth pair eth0 ↔ ${veth.hostVeth}`,
    facts: {
      type: 'cni.veth',
      ip: r.ip,
      prefix: veth.podNetns.ifaces[1].prefixLength ?? 24,
      mtu,
      hostVeth: veth.hostVeth,
      bridge: BRIDGE,
      hairpin: cluster.cni.hairpinMode ?? true,
      gateway: r.gateway,
      clusterCIDR: cluster.podCIDR,
    },
    touched: [{ table: 'fdb', netns: node.name, key: veth.podNetns.ifaces[1].mac, change: 'read' }],
  });
  const running = containers.map((c) => ({ ...c, state: 'running' as const }));
  world.setPod({ ...pod, ip: r.ip, phase: 'Running', containers: running });
  // Each container's process listens on the TCP ports it declares (0.0.0.0:PORT).
  world.updateNetns(netnsId, (n) => listenSockets(n, running));
  const names = spec.containers.map((c) => c.name);
  world.record({
    kind: 'container',
    place: here,
    summary: `${key} Running: ${names.join(', ')}`,
    facts: { type: 'kubelet.running', pod: key, containers: names, ip: r.ip },
  });
}

export function crashContainer(ctx: KubeletContext, key: string, container: string): void {
  const { world } = ctx;
  const pod = world.pod(key);
  if (!pod) return;
  const at = { node: pod.node, netns: pod.netns };
  const set = (state: ContainerStatus['state'], bump: number) =>
    world.setPod({
      ...world.pod(key)!,
      containers: world
        .pod(key)!
        .containers.map((c) =>
          c.name === container ? { ...c, state, restartCount: c.restartCount + bump } : c,
        ),
    });
  set('terminated', 0);
  world.updateNetns(pod.netns, (n) => withoutListeners(n, container));
  world.record({
    kind: 'container',
    place: at,
    summary: `${key}: ${container} crashed`,
    facts: { type: 'kubelet.crash', container, ip: pod.ip ?? '' },
    touched: [],
  });
  set('running', 1);
  const restarted = world.pod(key)!.containers.filter((c) => c.name === container);
  world.updateNetns(pod.netns, (n) => listenSockets(n, restarted));
  world.record({
    kind: 'container',
    place: at,
    summary: `${key}: ${container} restarted, same IP ${pod.ip}`,
    facts: {
      type: 'kubelet.restart',
      container,
      restartCount: world.pod(key)!.containers.find((c) => c.name === container)!.restartCount,
      ip: pod.ip ?? '',
    },
    touched: [],
  });
}

export function deletePod(ctx: KubeletContext, key: string): void {
  const { world } = ctx;
  const pod = world.pod(key);
  if (!pod) return;
  const veth = ctx.veths.get(key);
  if (veth) removeVethPair(world, pod.node, veth);
  ctx.veths.delete(key);
  world.removeNetns(pod.netns);
  const ipam = ctx.ipam.get(pod.node)!;
  setIpam(ctx, pod.node, release(ipam, pod.sandboxId, 'eth0'));
  world.removePod(key);
  world.record({
    kind: 'setup',
    place: { node: pod.node, netns: pod.node },
    summary: pod.ip ? `${key} deleted: ${pod.ip} released` : `${key} deleted`,
    facts: {
      type: 'kubelet.delete',
      pod: key,
      veth: veth ?? '',
      network: CNI_NETWORK,
      ip: pod.ip ?? '',
      lastReserved: ipam.lastReservedIp ?? '',
    },
    touched: [],
  });
}

/** A readiness probe fails or passes again: the Ready condition changes, nothing else about the pod. */
export function setReadiness(ctx: KubeletContext, key: string, ready: boolean): void {
  const { world } = ctx;
  const pod = world.pod(key);
  if (!pod) return;
  const { unready: _was, ...rest } = pod;
  world.setPod(ready ? rest : { ...rest, unready: true });
  world.record({
    kind: 'container',
    place: { node: pod.node, netns: pod.netns },
    summary: `${key}: Ready=${ready ? 'True' : 'False'}`,
    facts: { type: 'kubelet.readiness', pod: key, ready, ip: pod.ip ?? '' },
    touched: [],
  });
}
