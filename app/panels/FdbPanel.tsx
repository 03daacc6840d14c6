/** `bridge fdb show` per host: which port the bridge sends each MAC to, learned or permanent. */
import type { FdbEntry } from '@kubewire/sim-core';
import { usePreviousSnapshot, useSnapshot, useTouched } from '../state/selectors.ts';
import { orderedNetns } from './netnsOrder.ts';
import { changeOf, removedKeys } from './touched.ts';
import { Terminal, type TerminalRow } from './Terminal.tsx';

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

export function FdbPanel() {
  const snapshot = useSnapshot();
  const previous = usePreviousSnapshot();
  const touched = useTouched('fdb');
  if (!snapshot) return null;
  const hosts = orderedNetns(snapshot).filter(
    (ns) => ns.kind === 'host' && (ns.fdb.length || ns.ifaces.some((f) => f.kind === 'bridge')),
  );
  return (
    <div className="terminals">
      {hosts.map((ns) => {
        const ghosts = removedKeys(touched, ns.id).flatMap(
          (mac) => previous?.netns[ns.id]?.fdb.filter((e) => e.mac === mac && !e.permanent) ?? [],
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
            key={ns.id}
            testId={`fdb-${ns.id}`}
            title={ns.node}
            subtitle={`bridge ${bridges.join(', ') || '—'} · host netns`}
            command={bridges.length === 1 ? `bridge fdb show br ${bridges[0]}` : 'bridge fdb show'}
            rows={rows}
            empty="(empty)"
          />
        );
      })}
      {hosts.length === 0 && <p className="panel-empty">No bridges in this cluster.</p>}
    </div>
  );
}
