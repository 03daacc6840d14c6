/**
 * A pod's card over the topology, opened by clicking the pod (or a DNS
 * lookup's "resolv.conf"): where it runs, its address and phase, its
 * dnsPolicy, and its /etc/resolv.conf exactly as the kubelet forms it and
 * containerd writes it into the sandbox (sim-core/k8s/resolv-conf.ts, the
 * same text the pod's resolver reads in the trace).
 */
import { useEffect, useMemo, useRef } from 'react';
import { formatResolvConf, podResolvConf } from '@kubewire/sim-core';
import { useStore } from '../state/store.ts';
import { useSnapshot } from '../state/selectors.ts';
import './podCard.css';

export function PodCard() {
  const key = useStore((s) => s.podCard);
  const close = useStore((s) => s.openPodCard);
  const sim = useStore((s) => s.sim);
  const snapshot = useSnapshot();
  const ref = useRef<HTMLElement>(null);
  const spec = useMemo(
    () => sim?.scenario.pods.find((p) => `${p.namespace}/${p.name}` === key),
    [sim, key],
  );
  const resolv = useMemo(
    () => (sim && spec ? formatResolvConf(podResolvConf(spec, sim.scenario.cluster)) : ''),
    [sim, spec],
  );
  const opened = !!key && !!spec;
  useEffect(() => {
    if (opened) ref.current?.focus();
  }, [opened, key]);
  if (!sim || !key || !spec) return null;
  const status = snapshot?.pods.find((p) => p.namespace === spec.namespace && p.name === spec.name);
  const policy = spec.dnsPolicy ?? 'ClusterFirst';
  return (
    <section
      className="pod-card"
      aria-label={`Pod ${key}`}
      data-testid="pod-card"
      tabIndex={-1}
      ref={ref}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          close(null);
        }
      }}
    >
      <header>
        <h3>
          <span className="muted">{spec.namespace}/</span>
          {spec.name}
        </h3>
        <button
          type="button"
          className="pod-card-close"
          aria-label="Close the pod card"
          title="Close (Esc)"
          onClick={() => close(null)}
        >
          ×
        </button>
      </header>
      <dl>
        <dt>Node</dt>
        <dd>{status?.node ?? spec.nodeName}</dd>
        <dt>IP</dt>
        <dd>{status?.ip ?? (status ? 'none yet' : 'no sandbox yet')}</dd>
        <dt>Phase</dt>
        <dd>{status?.phase ?? '—'}</dd>
        <dt>dnsPolicy</dt>
        <dd>
          {policy}
          {spec.dnsConfig ? ' + dnsConfig' : ''}
        </dd>
      </dl>
      <div className="pod-card-file">
        <div className="pod-card-path">
          <code>/etc/resolv.conf</code>
          <span className="muted"> as the kubelet writes it</span>
        </div>
        <pre data-testid="resolv-conf">{resolv || '(empty)\n'}</pre>
      </div>
    </section>
  );
}
