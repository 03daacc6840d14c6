/**
 * A pod's card over the topology, opened by clicking the pod (or a DNS
 * lookup's "resolv.conf"): where it runs, its address, its veth pair, its
 * containers' states and restarts, its Ready condition, its dnsPolicy and its
 * /etc/resolv.conf exactly as the kubelet forms it and containerd writes it
 * into the sandbox (sim-core/k8s/resolv-conf.ts, the same text the pod's
 * resolver reads in the trace) — and the faults a student can inflict on it,
 * each written into the scenario at the current step (state/faults.ts).
 */
import { useMemo } from 'react';
import { formatResolvConf, podResolvConf, type PodStatus, type Snapshot } from '@kubewire/sim-core';
import { useStore } from '../state/store.ts';
import { useSnapshot } from '../state/selectors.ts';
import {
  addFault,
  crashFault,
  deleteFault,
  scaleFault,
  unreadyFault,
  type Fault,
} from '../state/faults.ts';
import { useClusterObjects } from '../panels/useClusterObjects.ts';
import { CardShell, FaultButton } from './CardShell.tsx';

/** "eth0 ↔ veth1a2b3c4d" and the host side's bridge: the pod's cable, as `ip link` names it. */
function vethOf(snapshot: Snapshot | null, pod: PodStatus | undefined): string {
  const eth0 = pod && snapshot?.netnsById(pod.netns)?.ifaces.find((f) => f.kind === 'veth');
  if (!eth0?.peer) return '—';
  const host = snapshot
    ?.netnsById(eth0.peer.netns)
    ?.ifaces.find((f) => f.name === eth0.peer?.iface);
  return `${eth0.name} ↔ ${eth0.peer.iface}${host?.master ? ` (on ${host.master})` : ''}`;
}

/** The Ready condition as `kubectl get pod -o wide` shows it in READY, and why. */
function readiness(pod: PodStatus | undefined): string {
  if (!pod) return '—';
  const up = pod.containers.filter((c) => c.state === 'running').length;
  const n = pod.containers.length;
  const ready = pod.phase === 'Running' && !pod.unready && up === n;
  const why = pod.deletion ? ' (Terminating)' : pod.unready ? ' (readiness probe failing)' : '';
  return `${ready ? 'True' : 'False'} · ${ready ? n : pod.unready ? 0 : up}/${n}${why}`;
}

export function PodCard() {
  const key = useStore((s) => s.podCard);
  const close = useStore((s) => s.openPodCard);
  const sim = useStore((s) => s.sim);
  const busy = useStore((s) => s.simulating !== null);
  const snapshot = useSnapshot();
  const objects = useClusterObjects();
  const spec = useMemo(
    () => sim?.scenario.pods.find((p) => `${p.namespace}/${p.name}` === key),
    [sim, key],
  );
  const resolv = useMemo(
    () => (sim && spec ? formatResolvConf(podResolvConf(spec, sim.scenario.cluster)) : ''),
    [sim, spec],
  );
  if (!sim || !key || !spec) return null;
  // The Deployment whose ReplicaSet made the pod ("<rs>-" and five generated characters).
  const deployment = sim.scenario.deployments.find(
    (d) =>
      d.namespace === spec.namespace &&
      spec.name.length === d.replicaSet.length + 6 &&
      spec.name.startsWith(`${d.replicaSet}-`),
  );
  const replicas = deployment
    ? (objects?.deployments.find(
        (d) => d.namespace === deployment.namespace && d.name === deployment.name,
      )?.replicas ?? deployment.replicas)
    : 0;
  const status = snapshot?.pods.find((p) => p.namespace === spec.namespace && p.name === spec.name);
  const policy = spec.dnsPolicy ?? 'ClusterFirst';
  const press = (fault: Fault) => () => void addFault(fault);
  const gone = !status || !!status.deletion;
  const why = gone ? 'The pod is not running at this step' : undefined;
  return (
    <CardShell
      label={`Pod ${key}`}
      testId="pod-card"
      noun="the pod card"
      onClose={() => close(null)}
      title={
        <>
          <span className="muted">{spec.namespace}/</span>
          {spec.name}
        </>
      }
    >
      <dl>
        <dt>Node</dt>
        <dd>{status?.node ?? spec.nodeName}</dd>
        <dt>IP</dt>
        <dd>{status?.ip ?? (status ? 'none yet' : 'no sandbox yet')}</dd>
        <dt>Phase</dt>
        <dd>{status?.phase ?? '—'}</dd>
        <dt>Ready</dt>
        <dd data-testid="pod-ready">{readiness(status)}</dd>
        <dt>veth</dt>
        <dd>{vethOf(snapshot, status)}</dd>
        <dt>dnsPolicy</dt>
        <dd>
          {policy}
          {spec.dnsConfig ? ' + dnsConfig' : ''}
        </dd>
      </dl>
      <table className="pod-card-containers" aria-label="Containers">
        <thead>
          <tr>
            <th scope="col">Container</th>
            <th scope="col">State</th>
            <th scope="col">Restarts</th>
          </tr>
        </thead>
        <tbody>
          {(status?.containers ?? spec.containers.map((c) => ({ name: c.name }))).map((c) => (
            <tr key={c.name}>
              <td>{c.name}</td>
              <td>{'state' in c ? c.state : '—'}</td>
              <td>{'restartCount' in c ? c.restartCount : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="fault-buttons" role="group" aria-label="Faults">
        {spec.containers.map((c) => (
          <FaultButton
            key={c.name}
            disabled={busy || gone}
            title={
              why ??
              `Adds "crash: {pod: ${spec.name}, container: ${c.name}}" after this step's action`
            }
            onPress={press(crashFault(spec.namespace, spec.name, c.name))}
          >
            Crash {c.name}
          </FaultButton>
        ))}
        <FaultButton
          disabled={busy || gone}
          title={why ?? `Adds "delete: {pod: ${spec.name}}" after this step's action`}
          onPress={press(deleteFault(spec.namespace, spec.name))}
        >
          Delete pod
        </FaultButton>
        <FaultButton
          disabled={busy || gone}
          title={
            why ??
            `Adds "ready: {pod: ${spec.name}, ready: ${!!status?.unready}}" after this step's action`
          }
          onPress={press(unreadyFault(spec.namespace, spec.name, !!status?.unready))}
        >
          {status?.unready ? 'Pass readiness' : 'Fail readiness'}
        </FaultButton>
        {deployment &&
          [replicas + 1, replicas - 1]
            .filter((n) => n >= 0)
            .map((n) => (
              <FaultButton
                key={n}
                disabled={busy}
                title={`Adds "scale: {deployment: ${deployment.name}, replicas: ${n}}" after this step's action (kubectl scale deployment ${deployment.name} --replicas=${n})`}
                onPress={press(scaleFault(deployment.namespace, deployment.name, n))}
              >
                Scale {deployment.name} to {n}
              </FaultButton>
            ))}
      </div>
      <div className="pod-card-file">
        <div className="pod-card-path">
          <code>/etc/resolv.conf</code>
          <span className="muted"> as the kubelet writes it</span>
        </div>
        <pre data-testid="resolv-conf">{resolv || '(empty)\n'}</pre>
      </div>
    </CardShell>
  );
}
