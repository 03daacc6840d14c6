/** `ip route show` per network namespace; a route the step looked up is marked. */
import type { Route } from '@kubewire/sim-core';
import { useSnapshot, useTouched } from '../state/selectors.ts';
import { orderedNetns } from './netnsOrder.ts';
import { changeOf } from './touched.ts';
import { netnsTitle } from './NetnsTitle.tsx';
import { Terminal } from './Terminal.tsx';

function routeLine(r: Route) {
  const opt = (kw: string, value: string | undefined) =>
    value && (
      <>
        {' '}
        <span className="kw">{kw}</span> {value}
      </>
    );
  return (
    <>
      <b>{r.dst}</b>
      {opt('via', r.via)}
      {opt('dev', r.dev)}
      {opt('proto', r.proto)}
      {opt('scope', r.scope)}
      {opt('src', r.src)}
      {r.onlink && <span className="kw"> onlink</span>}
    </>
  );
}

export function RoutesPanel() {
  const snapshot = useSnapshot();
  const touched = useTouched('route');
  if (!snapshot) return null;
  return (
    <div className="terminals">
      {orderedNetns(snapshot).map((ns) => {
        const { title, subtitle } = netnsTitle(ns);
        return (
          <Terminal
            key={ns.id}
            testId={`route-${ns.id}`}
            title={title}
            subtitle={subtitle}
            command="ip route show"
            rows={ns.routes.map((r) => ({
              key: `${r.dst} ${r.dev}`,
              line: routeLine(r),
              change: changeOf(touched, ns.id, r.dst),
            }))}
            empty="(no routes)"
          />
        );
      })}
    </div>
  );
}
