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
import type { CniPlugin } from './cni/plugin.ts';
import { containerId } from './identity.ts';
import { LOOPBACK } from './node.ts';

export interface KubeletContext {
  readonly world: World;
  readonly rng: Rng;
  readonly cluster: ClusterSpec;
  /** The cluster's CNI plugin, with its IPAM state and the pods it wired. */
  readonly cni: CniPlugin;
}

export const podKey = (p: { namespace: string; name: string }) => `${p.namespace}/${p.name}`;
export const podNetnsId = (node: string, p: { namespace: string; name: string }) =>
  `${node}/${p.namespace}/${p.name}`;

function short(id: string): string {
  return id.slice(0, 13);
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

  const added = ctx.cni.add(world, rng, node, pod, spec.labels);
  if (!added) return;
  const running = containers.map((c) => ({ ...c, state: 'running' as const }));
  world.setPod({ ...pod, ip: added.ip, phase: 'Running', containers: running });
  // Each container's process listens on the TCP ports it declares (0.0.0.0:PORT).
  world.updateNetns(netnsId, (n) => listenSockets(n, running));
  const names = spec.containers.map((c) => c.name);
  world.record({
    kind: 'container',
    place: here,
    summary: `${key} Running: ${names.join(', ')}`,
    facts: { type: 'kubelet.running', pod: key, containers: names, ip: added.ip },
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
  const facts = ctx.cni.del(world, pod);
  world.removePod(key);
  world.record({
    kind: 'setup',
    place: { node: pod.node, netns: pod.node },
    summary: pod.ip ? `${key} deleted: ${pod.ip} released` : `${key} deleted`,
    facts,
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
