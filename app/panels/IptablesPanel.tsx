/**
 * iptables per host, as `iptables -t nat -L -v -n` (or `iptables-save -c`) prints it at
 * the current step: the rules the step's packet matched, the counters that moved, the
 * chains it walked. Stepping back shows the counters as they were.
 */
import { memo, useEffect, useMemo, useRef } from 'react';
import type { NetfilterState, Netns, TableName, TableRef } from '@kubewire/sim-core';
import { usePreviousSnapshot, useTouched } from '../state/selectors.ts';
import { useStore } from '../state/store.ts';
import type { IptablesView } from '../state/uiSlice.ts';
import { touchedByNetns } from './touched.ts';
import { Terminal, type TerminalRow } from './Terminal.tsx';
import { FocusBar } from './FocusBar.tsx';
import { useShownNetns } from './useShown.ts';
import { rowLimit } from './focus.ts';
import { listLines, matchedPath, saveLines, type IptLine } from './iptablesRows.ts';
import { IptablesPath } from './IptablesPath.tsx';
import { SysctlNote } from './SysctlNote.tsx';
import { IptablesToolbar, useIptablesTable } from './IptablesToolbar.tsx';

const WALKED = { hook: 'entered', jump: 'jumped to' } as const;

function lineOf(l: IptLine) {
  if (!l.counter) return l.text;
  const [from, to] = l.counter;
  return (
    <>
      {l.text.slice(0, from)}
      <span
        className={l.counted ? 'ipt-count counted' : 'ipt-count'}
        title={l.counted ? 'counted at this step' : undefined}
      >
        {l.text.slice(from, to)}
      </span>
      {l.text.slice(to)}
    </>
  );
}

function rowOf(l: IptLine): TerminalRow {
  const walked = l.walked && WALKED[l.walked];
  return {
    key: l.key,
    line: lineOf(l),
    change: l.matched ? 'read' : l.counted && l.kind === 'rule' ? 'updated' : undefined,
    mark: l.matched ? 'matched' : l.kind === 'rule' && l.counted ? 'counted' : walked,
    className: `ipt-${l.kind}${l.walked ? ` walked walked-${l.walked}` : ''}`,
    pinned: l.kind !== 'rule' && !!l.walked,
  };
}

const keyOf = (r: TableRef) => r.key;

const IptablesTable = memo(function IptablesTable(props: {
  readonly ns: Netns;
  readonly before?: NetfilterState;
  readonly table: TableName;
  readonly view: IptablesView;
  readonly refs: readonly TableRef[];
  readonly limit?: number;
}) {
  const { ns, before, table, view, refs, limit } = props;
  const state = ns.netfilter;
  const rows = useMemo(() => {
    if (!state) return [];
    const matched = new Set(refs.map(keyOf));
    const lines = (view === 'save' ? saveLines : listLines)(state, table, before, matched);
    return lines.map(rowOf);
  }, [state, before, table, view, refs]);
  const path = useMemo(
    () => (state ? matchedPath(state, table, refs.map(keyOf)) : []),
    [state, table, refs],
  );
  const chains = state?.tables[table];
  const testId = `iptables-${ns.id}`;
  const card = () => document.querySelector<HTMLElement>(`[data-testid="${CSS.escape(testId)}"]`);
  return (
    <Terminal
      wide={view === 'list'}
      limit={limit}
      testId={testId}
      title={ns.kind === 'host' ? ns.node : ns.id}
      subtitle={chains ? `${table} table · host network namespace` : `no ${table} table here`}
      note={
        <>
          <SysctlNote ns={ns} />
          <IptablesPath path={path} card={card} />
        </>
      }
      command={view === 'save' ? `iptables-save -c -t ${table}` : `iptables -t ${table} -L -v -n`}
      rows={chains ? rows : []}
      empty={`(this host has no ${table} table)`}
    />
  );
});

const hasRules = (ns: Netns) => !!ns.netfilter && Object.keys(ns.netfilter.tables).length > 0;

const NONE: readonly TableRef[] = [];

export function IptablesPanel() {
  const shown = useShownNetns(hasRules);
  const previous = usePreviousSnapshot();
  const touched = useTouched('iptables');
  const view = useStore((s) => s.iptablesView);
  const choice = useIptablesTable(shown?.items ?? [], touched, previous);
  const list = useRef<HTMLDivElement>(null);
  // Another table or printer: its matched rows into view, as a new step brings them (PanelTabs).
  useEffect(() => {
    list.current?.querySelector('.change-read')?.scrollIntoView?.({ block: 'nearest' });
    const body = list.current?.closest('.panel-body');
    if (body) body.scrollLeft = 0;
  }, [view, choice?.table]);
  if (!shown) return null;
  if (shown.total === 0) {
    return (
      <p className="panel-empty" data-testid="iptables-empty">
        No iptables rules are loaded on this cluster&apos;s nodes, so packets pass netfilter
        untouched. A scenario loads rules on a node with <code>iptables: |</code> (an
        iptables-restore file) in its Cluster document.
      </p>
    );
  }
  const refsOf = touchedByNetns(touched);
  return (
    <div className={`terminals ipt-${view}`} ref={list}>
      {shown.mode !== 'all' && <FocusBar shown={shown} noun="nodes with iptables rules" />}
      {choice && <IptablesToolbar choice={choice} />}
      {choice &&
        shown.items.map((ns) => {
          // The rules the packet matched (lookups); moved counters are derived from the snapshots.
          const refs = refsOf(ns.id).filter(
            (r) => r.change === 'read' && r.key.startsWith(`${choice.table}/`),
          );
          return (
            <IptablesTable
              key={ns.id}
              ns={ns}
              before={previous?.netnsById(ns.id)?.netfilter}
              table={choice.table}
              view={view}
              refs={refs.length ? refs : NONE}
              limit={rowLimit(shown)}
            />
          );
        })}
      {shown.items.length === 0 && (
        <p className="panel-empty">
          No node in play at this step has iptables rules; filter to find one.
        </p>
      )}
    </div>
  );
}
