/** `bridge fdb show` per host: which port the bridge sends each MAC to, learned or permanent. */
import { memo } from 'react';
import type { FdbEntry, Netns, TableRef } from '@kubewire/sim-core';
import { usePreviousSnapshot, useTouched } from '../state/selectors.ts';
import { changeOf, removedKeys, touchedByNetns } from './touched.ts';
import { Terminal, type TerminalRow } from './Terminal.tsx';
import { FocusBar } from './FocusBar.tsx';
import { useShownNetns } from './useShown.ts';
import { rowLimit } from './focus.ts';

function fdbLine(e: FdbEntry) {
  return (
    <>
      <b className="mac">{e.mac}</b> <span className="kw">dev</span> {e.port}{' '}
      {e.flag === 'master' ? (
        <>
          <span className="kw">master</span> {e.bridge}
        </>
      ) : (
        <span className="kw">self</span>
      )}
      {e.permanent && <span className="kw"> permanent</span>}
    </>
  );
}

const rowKey = (e: FdbEntry) => `${e.mac} ${e.port} ${e.flag}`;

/** One host's FDB; re-renders only when its netns object or its refs change. */
const FdbTable = memo(function FdbTable(props: {
  readonly ns: Netns;
  readonly touched: readonly TableRef[];
  /** The host before the step, when the step removed entries (shown as ghosts). */
  readonly before?: Netns;
  readonly limit?: number;
}) {
  const { ns, touched, before, limit } = props;
  const ghosts = removedKeys(touched, ns.id).flatMap(
    (mac) => before?.fdb.filter((e) => e.mac === mac && !e.permanent) ?? [],
  );
  const rows: TerminalRow[] = [
    ...ns.fdb.map((e) => ({
      key: rowKey(e),
      line: fdbLine(e),
      // A learned MAC's row, not the permanent self/local ones with the same address.
      change: e.permanent ? undefined : changeOf(touched, ns.id, e.mac),
      aside: e.permanent ? undefined : <span className="pill learned">learned</span>,
    })),
    ...ghosts.map((e) => ({
      key: `gone ${rowKey(e)}`,
      line: fdbLine(e),
      change: 'removed' as const,
      ghost: true,
    })),
  ];
  const bridges = ns.ifaces.filter((f) => f.kind === 'bridge').map((f) => f.name);
  return (
    <Terminal
      limit={limit}
      testId={`fdb-${ns.id}`}
      title={ns.node}
      subtitle={`bridge ${bridges.join(', ') || '—'} · host netns`}
      command={bridges.length === 1 ? `bridge fdb show br ${bridges[0]}` : 'bridge fdb show'}
      rows={rows}
      empty="(empty)"
    />
  );
});

const bridgeHosts = (ns: Netns) =>
  ns.kind === 'host' && (ns.fdb.length > 0 || ns.ifaces.some((f) => f.kind === 'bridge'));

export function FdbPanel() {
  const shown = useShownNetns(bridgeHosts);
  const previous = usePreviousSnapshot();
  const touched = useTouched('fdb');
  if (!shown) return null;
  const refsOf = touchedByNetns(touched);
  return (
    <div className="terminals">
      {shown.mode !== 'all' && <FocusBar shown={shown} noun="bridges" />}
      {shown.items.map((ns) => {
        const refs = refsOf(ns.id);
        const removes = refs.some((t) => t.change === 'removed');
        return (
          <FdbTable
            key={ns.id}
            ns={ns}
            touched={refs}
            limit={rowLimit(shown)}
            before={removes ? previous?.netnsById(ns.id) : undefined}
          />
        );
      })}
      {shown.total === 0 && <p className="panel-empty">No bridges in this cluster.</p>}
    </div>
  );
}
