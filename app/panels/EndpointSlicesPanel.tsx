/**
 * EndpointSlices at the current step: `kubectl get endpointslices -A`, then each slice as
 * `kubectl describe endpointslice` prints it — its ports, and per endpoint the address,
 * Ready, the pod it targets and the node. kubectl describe prints only the Ready
 * condition; serving and terminating (in the object, `-o yaml`) are shown beside it.
 * The slice the step's EndpointSlice controller wrote is marked, with the endpoints it
 * gained and lost.
 */
import { memo, useMemo } from 'react';
import { kubectlGet, type EndpointSlice, type Endpoint } from '@kubewire/sim-core';
import { useCurrentStep, usePreviousSnapshot } from '../state/selectors.ts';
import { useStore } from '../state/store.ts';
import { Terminal, type TerminalRow } from './Terminal.tsx';
import {
  agesOf,
  describeLines,
  listOrder,
  objectKey,
  sliceWrite,
  tableLines,
  type Change,
  type SliceWrite,
} from './kubeRows.ts';
import { stepTime, useClusterObjects } from './useClusterObjects.ts';
import { FOCUS_FROM, ROW_LIMIT } from './focus.ts';
import './kubePanels.css';

const MARK: Partial<Record<Change, string>> = {
  added: 'created',
  updated: 'updated',
  removed: 'deleted',
};

function Conditions({ e }: { readonly e: Endpoint }) {
  const c = e.conditions;
  const pill = (name: string, on: boolean) => (
    <span className={`pill cond ${on ? 'on' : 'off'}`} data-cond={name}>
      {name} {String(on)}
    </span>
  );
  return (
    <span className="eps-conds" aria-label="conditions">
      {pill('ready', c.ready)}
      {pill('serving', c.serving)}
      {pill('terminating', c.terminating)}
    </span>
  );
}

const SliceCard = memo(function SliceCard(props: {
  readonly slice: EndpointSlice;
  readonly before?: EndpointSlice;
  readonly write?: Change;
  readonly limit?: number;
  readonly ghost?: boolean;
}) {
  const { slice, before, write, limit, ghost } = props;
  const rows = useMemo(
    (): TerminalRow[] =>
      describeLines(slice, before, write).map((l) => ({
        key: l.key,
        line: l.text,
        change: l.change,
        ghost: l.ghost || (ghost && l.kind === 'header'),
        mark: l.kind === 'header' && l.change ? MARK[l.change] : undefined,
        aside: l.endpoint ? <Conditions e={l.endpoint} /> : undefined,
        className: l.kind === 'header' ? 'kube-name' : undefined,
      })),
    [slice, before, write, ghost],
  );
  const key = objectKey(slice);
  const service = slice.metadata.labels?.['kubernetes.io/service-name'];
  return (
    <Terminal
      testId={`eps-${key}`}
      title={slice.metadata.name}
      subtitle={`EndpointSlice · ${slice.endpoints.length} endpoint${slice.endpoints.length === 1 ? '' : 's'}${service ? ` · Service ${service}` : ''}`}
      command={`kubectl describe endpointslice ${slice.metadata.name} -n ${slice.metadata.namespace}`}
      rows={rows}
      limit={limit}
    />
  );
});

export function EndpointSlicesPanel() {
  const objs = useClusterObjects();
  const step = useCurrentStep();
  const previous = usePreviousSnapshot();
  const filter = useStore((s) => s.tableFilter)
    .trim()
    .toLowerCase();
  const write: SliceWrite | undefined = step ? sliceWrite(step.facts) : undefined;
  const list = objs?.endpointSlices;
  const ages = objs ? agesOf(objs.endpointSlices, objs.nowUs) : '';
  const slices = useMemo(() => listOrder(list?.map((s) => s.object) ?? []), [list]);
  const beforeOf = useMemo(() => {
    const m = new Map((previous?.api.endpointSlices ?? []).map((s) => [objectKey(s), s]));
    return (key: string) => m.get(key);
  }, [previous]);
  const rows = useMemo((): TerminalRow[] => {
    if (!objs) return [];
    const { out } = kubectlGet(objs, 'endpointslices', { wide: true, namespace: undefined });
    if (!out) return [];
    return tableLines(out, slices.map(objectKey), (k) =>
      k === write?.key ? write.change : undefined,
    ).map((l) => ({
      key: l.key,
      line: l.text,
      change: l.change,
      mark: l.change ? MARK[l.change] : undefined,
      className: l.kind === 'header' ? 'kube-header' : undefined,
    }));
    // Printed again only when the list or an AGE cell changes, not at every step.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- objs matters only through list and ages
  }, [list, ages, slices, write]);
  if (!objs) return null;
  // A deleted slice is gone from the step's list: shown struck through from the step before.
  const deleted = write?.change === 'removed' ? beforeOf(write.key) : undefined;
  const many = slices.length > FOCUS_FROM;
  const shown = slices.filter((s) =>
    !many
      ? true
      : filter
        ? objectKey(s).toLowerCase().includes(filter)
        : objectKey(s) === write?.key,
  );
  return (
    <div className="terminals kube-panel">
      <Terminal
        wide
        testId="endpointslices"
        title="EndpointSlices"
        subtitle={`API server · at ${stepTime(objs.nowUs)}`}
        command="kubectl get endpointslices -A"
        rows={rows}
        empty="No resources found"
        limit={many ? ROW_LIMIT : undefined}
      />
      {many && !filter && !write && (
        <p className="panel-empty">
          {slices.length} slices: filter the tables to describe one, or step to a write.
        </p>
      )}
      {shown.map((s) => {
        const key = objectKey(s);
        const mine = key === write?.key ? write.change : undefined;
        const big = s.endpoints.length > 24;
        return (
          <SliceCard
            key={key}
            slice={s}
            before={mine ? beforeOf(key) : undefined}
            write={mine}
            limit={big ? 60 : undefined}
          />
        );
      })}
      {deleted && <SliceCard key="deleted" slice={deleted} write="removed" ghost />}
    </div>
  );
}
