/** `ip route show` per network namespace; a route the step looked up is marked. */
import { memo } from 'react';
import type { Netns, Route, TableRef } from '@kubewire/sim-core';
import { useTouched } from '../state/selectors.ts';
import { changeOf, touchedByNetns } from './touched.ts';
import { netnsTitle } from './NetnsTitle.tsx';
import { Terminal } from './Terminal.tsx';
import { FocusBar } from './FocusBar.tsx';
import { useShownNetns } from './useShown.ts';
import { rowLimit } from './focus.ts';

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

/** One netns's routes; re-renders only when its netns object or its refs change. */
const RouteTable = memo(function RouteTable(props: {
  readonly ns: Netns;
  readonly touched: readonly TableRef[];
  readonly limit?: number;
}) {
  const { ns, touched, limit } = props;
  const { title, subtitle } = netnsTitle(ns);
  return (
    <Terminal
      limit={limit}
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
});

const everyNetns = () => true;

export function RoutesPanel() {
  const shown = useShownNetns(everyNetns);
  const touched = useTouched('route');
  if (!shown) return null;
  const refsOf = touchedByNetns(touched);
  return (
    <div className="terminals">
      {shown.mode !== 'all' && <FocusBar shown={shown} noun="network namespaces" />}
      {shown.items.map((ns) => (
        <RouteTable key={ns.id} ns={ns} touched={refsOf(ns.id)} limit={rowLimit(shown)} />
      ))}
    </div>
  );
}
