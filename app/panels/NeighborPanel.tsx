/** `ip neigh show` in every network namespace: who this netns has resolved (ARP), and how sure it is. */
import type { Neighbor } from '@kubewire/sim-core';
import { usePreviousSnapshot, useSnapshot, useTouched } from '../state/selectors.ts';
import { orderedNetns } from './netnsOrder.ts';
import { changeOf, removedKeys } from './touched.ts';
import { netnsTitle } from './NetnsTitle.tsx';
import { Terminal, type TerminalRow } from './Terminal.tsx';

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

export function NeighborPanel() {
  const snapshot = useSnapshot();
  const previous = usePreviousSnapshot();
  const touched = useTouched('neighbor');
  if (!snapshot) return null;
  return (
    <div className="terminals">
      {orderedNetns(snapshot).map((ns) => {
        const ghosts = removedKeys(touched, ns.id).flatMap(
          (ip) => previous?.netns[ns.id]?.neighbors.filter((n) => n.ip === ip) ?? [],
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
            key={ns.id}
            testId={`neigh-${ns.id}`}
            title={title}
            subtitle={subtitle}
            command="ip neigh show"
            rows={rows}
            empty="(no neighbours yet)"
          />
        );
      })}
    </div>
  );
}
