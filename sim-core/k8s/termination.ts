/**
 * Graceful pod deletion, as the API server and the kubelet do it
 * (pkg/registry/core/pod/strategy.go CheckGracefulDelete,
 * pkg/kubelet/kuberuntime/kuberuntime_container.go killContainer):
 *
 * 1. `kubectl delete pod`: the API server sets metadata.deletionTimestamp and
 *    deletionGracePeriodSeconds (the pod's terminationGracePeriodSeconds,
 *    30 by default). The pod is Terminating; the EndpointSlice controller
 *    and kube-proxy follow through the caller's `podChanged`.
 * 2. The kubelet sees it and kills each container: the preStop hook first,
 *    its time taken out of the grace period (the hook is cut at the grace
 *    period; with a grace period of 0 it is skipped), then SIGTERM with what is left, at least 2 s
 *    (minimumGracePeriodInSeconds). The app exits on SIGTERM (nginx's fast
 *    shutdown), and the kernel closes its sockets: FIN on every established
 *    connection. No modelled process ignores SIGTERM, so SIGKILL at the end
 *    of the grace period never comes.
 * 3. Once every container has exited, the kubelet stops the sandbox (CNI DEL)
 *    and the status manager deletes the pod object; its endpoint leaves the
 *    slice.
 */
import type { PodSpec } from '../scenario/types.ts';
import { DEFAULT_GRACE_PERIOD_SECONDS } from '../scenario/types.ts';
import { withoutListeners } from '../dataplane/tcp-listen.ts';
import { deletePod, podKey, type KubeletContext } from './kubelet.ts';

/** minimumGracePeriodInSeconds in kuberuntime_container.go. */
export const MINIMUM_GRACE_PERIOD_SECONDS = 2;

export interface TerminationHost {
  readonly kubelet: KubeletContext;
  /** An informer's event reaching the kubelet. */
  readonly informerDelayUs: number;
  /** Runs fn later: in the foreground when kubectl waits for the pod, in the background with --wait=false. */
  later(delayUs: number, fn: () => void, wait: boolean): void;
  /** The process of a container exits: the kernel closes its sockets. */
  exitProcess(netns: string, container: string): void;
  /** The pod object changed (deletionTimestamp set, or the pod gone). */
  podChanged(): void;
  /** Pods being terminated ("ns/name"), until their object is gone. */
  readonly terminating: Set<string>;
}

const describeHook = (h: NonNullable<PodSpec['containers'][number]['preStop']>) =>
  h.kind === 'sleep' ? `sleep: {seconds: ${h.seconds}}` : `exec: ${JSON.stringify(h.command)}`;

/** `kubectl delete pod`: step 1, and the kubelet's part scheduled after it. */
export function deletePodGracefully(host: TerminationHost, spec: PodSpec, wait: boolean): void {
  const { world } = host.kubelet;
  const key = podKey(spec);
  const pod = world.pod(key);
  if (!pod || pod.deletion || host.terminating.has(key)) return;
  const grace = spec.terminationGracePeriodSeconds ?? DEFAULT_GRACE_PERIOD_SECONDS;
  host.terminating.add(key);
  world.setPod({ ...pod, deletion: { atUs: world.timeUs, graceSeconds: grace } });
  world.record({
    kind: 'control',
    place: { node: pod.node, netns: pod.netns },
    summary: `${key} Terminating: deletionTimestamp set, grace period ${grace} s`,
    facts: { type: 'pod.deleting', pod: key, grace, ip: pod.ip ?? '', wait },
    touched: [],
  });
  host.podChanged();
  host.later(host.informerDelayUs, () => killContainers(host, spec, grace, wait), wait);
}

function killContainers(host: TerminationHost, spec: PodSpec, grace: number, wait: boolean): void {
  const { world } = host.kubelet;
  const key = podKey(spec);
  const pod = world.pod(key);
  if (!pod) return;
  // Only running containers are stopped (a sandbox that never came up has none).
  const running = spec.containers.filter((c) =>
    pod.containers.some((s) => s.name === c.name && s.state === 'running'),
  );
  const left = new Set(running.map((c) => c.name));
  // The pod worker sees every container gone, stops the sandbox; the status manager deletes the object.
  const gone = () =>
    host.later(
      host.informerDelayUs,
      () => {
        deletePod(host.kubelet, key);
        host.terminating.delete(key);
        host.podChanged();
      },
      wait,
    );
  const exited = (name: string) => {
    left.delete(name);
    if (left.size === 0) gone();
  };
  if (running.length === 0) gone();
  for (const c of running) {
    const hook = grace > 0 ? c.preStop : undefined;
    if (!hook) {
      sigterm(host, key, c.name, grace, 0, exited);
      continue;
    }
    const cut = hook.seconds > grace;
    const seconds = Math.min(hook.seconds, grace);
    world.record({
      kind: 'container',
      place: { node: pod.node, netns: pod.netns },
      summary: `${key}: kubelet runs ${c.name}'s preStop hook (${describeHook(hook)})`,
      facts: {
        type: 'kubelet.prestop',
        pod: key,
        container: c.name,
        hook: describeHook(hook),
        kind: hook.kind,
        seconds: hook.seconds,
        grace,
        cut,
      },
      touched: [],
    });
    host.later(seconds * 1e6, () => sigterm(host, key, c.name, grace, seconds, exited), wait);
  }
}

function sigterm(
  host: TerminationHost,
  key: string,
  container: string,
  grace: number,
  hookSeconds: number,
  exited: (name: string) => void,
): void {
  const { world } = host.kubelet;
  const pod = world.pod(key);
  if (!pod) return;
  const afterPreStop = hookSeconds > 0;
  // killContainer: gracePeriod -= the hook's whole seconds, then at least minimumGracePeriodInSeconds.
  const graceLeft = Math.max(MINIMUM_GRACE_PERIOD_SECONDS, grace - Math.floor(hookSeconds));
  const at = { node: pod.node, netns: pod.netns };
  world.record({
    kind: 'container',
    place: at,
    summary: `${key}: SIGTERM to ${container} (${graceLeft} s before SIGKILL)`,
    facts: { type: 'kubelet.sigterm', pod: key, container, graceLeft, afterPreStop },
    touched: [],
  });
  const now = world.pod(key)!;
  world.setPod({
    ...now,
    containers: now.containers.map((c) =>
      c.name === container ? { ...c, state: 'terminated' as const, exitCode: 0 } : c,
    ),
  });
  if (world.hasNetns(pod.netns))
    world.updateNetns(pod.netns, (n) => withoutListeners(n, container));
  world.record({
    kind: 'container',
    place: at,
    summary: `${key}: ${container} exited (code 0)`,
    facts: { type: 'kubelet.exited', pod: key, container, exitCode: 0, ip: pod.ip ?? '' },
    touched: [],
  });
  // The app exits on SIGTERM; the kernel closes its sockets as the process goes.
  host.exitProcess(pod.netns, container);
  exited(container);
}
