/**
 * `kubectl get services -A -o wide` at the current step: every Service the API server
 * stores, its type, ClusterIP, ports and selector, as kubectl prints them. The Service
 * whose EndpointSlice the step wrote is marked.
 */
import { useMemo } from 'react';
import { kubectlGet } from '@kubewire/sim-core';
import { useCurrentStep } from '../state/selectors.ts';
import { Terminal, type TerminalRow } from './Terminal.tsx';
import { agesOf, listOrder, objectKey, tableLines } from './kubeRows.ts';
import { stepTime, useClusterObjects } from './useClusterObjects.ts';
import './kubePanels.css';

export function ServicesPanel() {
  const objs = useClusterObjects();
  const step = useCurrentStep();
  const facts = step?.facts;
  const named = facts?.type === 'eps.write' ? facts.service : undefined;
  // Printed again only when the list or an AGE cell changes, not at every step.
  const list = objs?.services;
  const ages = objs ? agesOf(objs.services, objs.nowUs) : '';
  const rows = useMemo((): TerminalRow[] => {
    if (!objs) return [];
    const { out } = kubectlGet(objs, 'services', { wide: true, namespace: undefined });
    if (!out) return [];
    const keys = listOrder(objs.services.map((s) => s.object)).map(objectKey);
    return tableLines(out, keys, (k) => (k === named ? 'read' : undefined)).map((l) => ({
      key: l.key,
      line: l.text,
      change: l.change,
      mark: l.change ? 'endpoints written' : undefined,
      className: l.kind === 'header' ? 'kube-header' : undefined,
    }));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- objs matters only through list and ages
  }, [list, ages, named]);
  if (!objs) return null;
  return (
    <div className="terminals kube-panel">
      <Terminal
        wide
        testId="services"
        title="Services"
        subtitle={`API server · at ${stepTime(objs.nowUs)}`}
        command="kubectl get services -A -o wide"
        rows={rows}
        empty="No resources found"
      />
    </div>
  );
}
