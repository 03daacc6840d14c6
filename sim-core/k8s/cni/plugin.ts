/**
 * The CNI plugin seam: what differs between flannel, Calico and Cilium on a
 * node. The kubelet (kubelet.ts) creates a pod's sandbox and network
 * namespace and starts its containers; everything between — IPAM, the link
 * into the host, addresses and routes — is the plugin's CNI ADD and DEL, and
 * the host namespace a node has before any pod (the plugin's daemon: flanneld,
 * calico-node, cilium-agent) is the plugin's too.
 *
 * A plugin instance belongs to one simulation: it keeps its per-node IPAM
 * state and the host device of each pod it wired, and mirrors what a panel
 * shows into the World (NodeStatus) so every step stores it.
 */
import type { Netns, NodeStatus, PodStatus } from '../../model.ts';
import type { Rng } from '../../engine/rng.ts';
import type { World } from '../../dataplane/world.ts';
import type { TcHooks } from '../../dataplane/types.ts';
import type { Fact } from '../../narration/facts.ts';
import type { ClusterNode, ClusterSpec } from '../../scenario/types.ts';

export interface CniPlugin {
  /** The CNI config's `type` ("flannel", "calico"), as the kubelet's errors name it. */
  readonly type: string;
  /** The MTU of pods' eth0 (a pod socket's path MTU). */
  readonly podMtu: number;
  /** A node's host network namespace as the plugin's daemon leaves it before any pod runs. */
  hostNetns(node: ClusterNode): Netns;
  /** What the plugin's state adds to a node's status before any pod (calico-ipam's blocks). */
  initialNode?(node: ClusterNode): Partial<Pick<NodeStatus, 'ipamBlocks' | 'bpf' | 'podCIDR'>>;
  /**
   * CNI ADD for a pod whose sandbox namespace exists (lo only): allocate its
   * address, create its link, address it and route it, recording one step per
   * thing done. Sets the pod's IP in the World. On failure the plugin records
   * the error, marks the pod, removes the namespace and answers undefined.
   */
  add(
    world: World,
    rng: Rng,
    node: ClusterNode,
    pod: PodStatus,
    labels?: Readonly<Record<string, string>>,
  ): { readonly ip: string } | undefined;
  /**
   * CNI DEL: remove the pod's link and release its address. Answers the facts
   * of the step the kubelet records for the deletion.
   */
  del(world: World, pod: PodStatus): Fact;
  /** The tc programs the plugin attaches to a device (Cilium's eBPF), if any. */
  tc?(netns: string, dev: string): TcHooks | undefined;
}

export type CniFactory = (cluster: ClusterSpec) => CniPlugin;
