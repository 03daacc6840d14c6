/** `ip neigh show` in every network namespace: who this netns has resolved (ARP), and how sure it is. */
import { memo } from 'react';
import type { Neighbor, Netns, TableRef } from '@kubewire/sim-core';
import { usePreviousSnapshot, useTouched } from '../state/selectors.ts';
import { changeOf, removedKeys, touchedByNetns } from './touched.ts';
import { netnsTitle } from './NetnsTitle.tsx';
import { Terminal, type TerminalRow } from './Terminal.tsx';
import { FocusBar } from './FocusBar.tsx';
import { useShownNetns } from './useShown.ts';
import { rowLimit } from './focus.ts';

function neighLine(n: Neighbor) {
  return (
    <>
      <b>{n.ip}</b> <span className="kw">dev</span> {n.dev}
      {n.mac && (
        <>
          {' '}
          <span className="kw">lladdr</span> <span className="mac">{n.mac}</span>
        </>
      )}{' '}
      <span className={`nud nud-${n.state.toLowerCase()}`}>{n.state}</span>
    </>
  );
}

interface TableProps {
  readonly ns: Netns;
  /** The step's neighbour refs in this netns. */
  readonly touched: readonly TableRef[];
  /** This netns before the step, when the step removed entries (shown as ghosts). */
  readonly before?: Netns;
  readonly limit?: number;
}

/** One netns's table; re-renders only when its netns object or its refs change. */
const NeighborTable = memo(function NeighborTable({ ns, touched, before, limit }: TableProps) {
  const ghosts = removedKeys(touched, ns.id).flatMap(
    (ip) => before?.neighbors.filter((n) => n.ip === ip) ?? [],
  );
  const rows: TerminalRow[] = [
    ...ns.neighbors.map((n) => ({
      key: `${n.ip} ${n.dev}`,
      line: neighLine(n),
      change: changeOf(touched, ns.id, n.ip),
    })),
    ...ghosts.map((n) => ({
      key: `gone ${n.ip}`,
      line: neighLine(n),
      change: 'removed' as const,
      ghost: true,
    })),
  ];
  const { title, subtitle } = netnsTitle(ns);
  return (
    <Terminal
      limit={limit}
      testId={`neigh-${ns.id}`}
      title={title}
      subtitle={subtitle}
      command="ip neigh show"
      rows={rows}
      empty="(no neighbours yet)"
    />
  );
});

const everyNetns = () => true;

export function NeighborPanel() {
  const shown = useShownNetns(everyNetns);
  const previous = usePreviousSnapshot();
  const touched = useTouched('neighbor');
  if (!shown) return null;
  const refsOf = touchedByNetns(touched);
  return (
    <div className="terminals">
      {shown.mode !== 'all' && <FocusBar shown={shown} noun="network namespaces" />}
      {shown.items.map((ns) => {
        const refs = refsOf(ns.id);
        const removes = refs.some((t) => t.change === 'removed');
        return (
          <NeighborTable
            key={ns.id}
            ns={ns}
            touched={refs}
            limit={rowLimit(shown)}
            before={removes ? previous?.netnsById(ns.id) : undefined}
          />
        );
      })}
    </div>
  );
}
