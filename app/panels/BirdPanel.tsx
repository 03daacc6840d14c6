/**
 * calico-node's BIRD per node: its BGP sessions (`birdcl show protocols`)
 * and the routes it holds (`birdcl show route`) — the blocks it announces
 * (static1's blackholes), the ones it learned from each mesh peer, and what
 * kernel1 and direct1 see. Derived from sim-core's birdView at the step; a
 * route the step added is marked.
 */
import { memo, useMemo } from 'react';
import {
  birdProtocolsText,
  birdRouteText,
  birdView,
  type BirdView,
  type NodeStatus,
  type TableRef,
} from '@kubewire/sim-core';
import { useStore } from '../state/store.ts';
import { useSnapshot, useTouched } from '../state/selectors.ts';
import { Terminal } from './Terminal.tsx';
import { FocusBar } from './FocusBar.tsx';
import { useShownNodes } from './useShown.ts';
import { rowLimit } from './focus.ts';

type Ok = Extract<BirdView, { ok: true }>;

const BirdTables = memo(function BirdTables(props: {
  readonly node: string;
  readonly view: Ok;
  readonly refs: readonly TableRef[];
  readonly limit?: number;
}) {
  const { node, view, refs, limit } = props;
  const [, header, ...protocols] = birdProtocolsText(view.protocols);
  const [, ...routes] = birdRouteText(view.routes);
  const changed = (net: string) => refs.find((r) => r.key === net || `${r.key}/32` === net)?.change;
  return (
    <>
      <Terminal
        wide
        testId={`bird-protocols-${node}`}
        title={node}
        subtitle="calico-node · BIRD, node-to-node mesh"
        command="birdcl show protocols"
        rows={[
          { key: 'header', line: header, className: 'ss-header' },
          ...protocols.map((line, i) => ({ key: view.protocols[i].name, line })),
        ]}
      />
      <Terminal
        wide
        limit={limit}
        testId={`bird-route-${node}`}
        title={node}
        subtitle="the blocks BIRD announces (static1) and learns (Mesh_…)"
        command="birdcl show route"
        rows={routes.map((line, i) => ({
          key: view.routes[i].net + view.routes[i].protocol,
          line,
          change: changed(view.routes[i].net),
        }))}
        empty="(no routes)"
      />
    </>
  );
});

export function BirdPanel() {
  const shown = useShownNodes();
  const sim = useStore((s) => s.sim);
  const index = useStore((s) => s.step);
  const snapshot = useSnapshot();
  const touched = useTouched('route');
  const views = useMemo(() => {
    if (!sim || !snapshot || !shown) return [];
    const steps = sim.steps.slice(0, index + 1);
    return shown.items.map((n: NodeStatus) => ({
      node: n.name,
      view: birdView(sim.scenario.cluster, snapshot, n.name, steps),
    }));
  }, [sim, snapshot, shown, index]);
  if (!shown) return null;
  return (
    <div className="terminals">
      {shown.mode !== 'all' && <FocusBar shown={shown} noun="nodes" />}
      {views.map(({ node, view }) =>
        view.ok ? (
          <BirdTables
            key={node}
            node={node}
            view={view}
            refs={touched.filter((t) => t.netns === node)}
            limit={rowLimit(shown)}
          />
        ) : (
          <p key={node} className="panel-note">
            {view.why}
          </p>
        ),
      )}
    </div>
  );
}
