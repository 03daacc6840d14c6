/**
 * iptables per host, as `iptables -t nat -L -v -n` (or `iptables-save -c`) prints it at
 * the current step, each table a tree of chains (IptablesTree): the rules the step's packet
 * matched and those it was tested against and missed, the counters that moved, the chains
 * it walked. Stepping back shows the counters as they were.
 */
import { useMemo } from 'react';
import { getChain, type Netns, type Step, type TableName, type TableRef } from '@kubewire/sim-core';
import { useCurrentStep, usePreviousSnapshot, useTouched } from '../state/selectors.ts';
import { useStore } from '../state/store.ts';
import { touchedByNetns } from './touched.ts';
import { FocusBar } from './FocusBar.tsx';
import { useShownNetns } from './useShown.ts';
import { IptablesToolbar, useIptablesTable } from './IptablesToolbar.tsx';
import { IptablesTree } from './IptablesTree.tsx';
import { walkTable, type TableWalk } from './iptablesWalk.ts';

/** The walk of the step's packet through `table` where the step happens, from its facts. */
function stepWalk(
  step: Step | undefined,
  ns: Netns | undefined,
  table: TableName,
): TableWalk | undefined {
  const f = step?.facts;
  if (!f || !ns?.netfilter || (f.type !== 'nf.nat' && f.type !== 'nf.table')) return undefined;
  const walked = f.type === 'nf.nat' ? 'nat' : f.table;
  if (walked !== table) return undefined;
  const t = ns.netfilter.tables[table];
  if (!t) return undefined;
  return walkTable(f.hook, f.hits, (c) => getChain(t, c));
}

const hasRules = (ns: Netns) => !!ns.netfilter && Object.keys(ns.netfilter.tables).length > 0;

const NONE: readonly TableRef[] = [];

export function IptablesPanel() {
  const shown = useShownNetns(hasRules);
  const previous = usePreviousSnapshot();
  const touched = useTouched('iptables');
  const view = useStore((s) => s.iptablesView);
  const choice = useIptablesTable(shown?.items ?? [], touched, previous);
  const step = useCurrentStep();
  const here = shown?.items.find((ns) => ns.id === step?.place.netns);
  const table = choice?.table;
  const walk = useMemo(
    () => (table ? stepWalk(step, here, table) : undefined),
    [step, here, table],
  );
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
    <div className={`terminals ipt-${view}`}>
      {shown.mode !== 'all' && <FocusBar shown={shown} noun="nodes with iptables rules" />}
      {choice && <IptablesToolbar choice={choice} />}
      {choice &&
        shown.items.map((ns) => {
          // The rules the packet matched (lookups); moved counters are derived from the snapshots.
          const refs = refsOf(ns.id).filter(
            (r) => r.change === 'read' && r.key.startsWith(`${choice.table}/`),
          );
          return (
            <IptablesTree
              key={`${ns.id} ${choice.table}`}
              ns={ns}
              before={previous?.netnsById(ns.id)?.netfilter}
              table={choice.table}
              view={view}
              refs={refs.length ? refs : NONE}
              walk={ns === here ? walk : undefined}
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
