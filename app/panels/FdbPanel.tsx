/**
 * `bridge fdb show` per host: which port the bridge sends each MAC to, learned or permanent;
 * beside it the VXLAN device's own fdb (`bridge fdb show dev flannel.1`: which node owns each
 * remote VTEP MAC, the entry an encap step reads); at a step on the node network, the
 * switch's. The row a step looked up or changed is marked.
 */
import { memo } from 'react';
import type { FdbEntry, Netns, TableRef } from '@kubewire/sim-core';
import {
  useCurrentStep,
  usePreviousSnapshot,
  useSnapshot,
  useTouched,
} from '../state/selectors.ts';
import { changeOf, removedKeys, touchedByNetns } from './touched.ts';
import { Terminal, type TerminalRow } from './Terminal.tsx';
import { FocusBar } from './FocusBar.tsx';
import { useShownNetns } from './useShown.ts';
import { rowLimit } from './focus.ts';

function fdbLine(e: FdbEntry, dev: boolean) {
  // iproute2's print_fdb: "dev" only when not filtered by one, then dst, the flags, master, state.
  return (
    <>
      <b className="mac">{e.mac}</b>
      {dev && (
        <>
          {' '}
          <span className="kw">dev</span> {e.port}
        </>
      )}
      {e.dst && (
        <>
          {' '}
          <span className="kw">dst</span> {e.dst}
        </>
      )}{' '}
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

/** The VXLAN devices' entries (flannel.1's, with a remote VTEP) apart from the bridges'. */
const vxlanDevs = (ns: Netns) =>
  new Set(ns.ifaces.filter((f) => f.kind === 'vxlan').map((f) => f.name));

/** One host's FDB; re-renders only when its netns object or its refs change. */
const FdbTable = memo(function FdbTable(props: {
  readonly ns: Netns;
  readonly touched: readonly TableRef[];
  /** The host before the step, when the step removed entries (shown as ghosts). */
  readonly before?: Netns;
  readonly limit?: number;
}) {
  const { ns, touched, before, limit } = props;
  const tunnels = vxlanDevs(ns);
  const ghosts = removedKeys(touched, ns.id).flatMap(
    (mac) => before?.fdb.filter((e) => e.mac === mac && !e.permanent) ?? [],
  );
  // A learned MAC's change, not the permanent self/local rows with the same address; a lookup
  // (the bridge's own address, a VXLAN VTEP) marks the permanent row it found.
  const changeAt = (e: FdbEntry) => {
    const c = changeOf(touched, ns.id, e.mac);
    return e.permanent && c !== 'read' ? undefined : c;
  };
  const rowsOf = (entries: readonly FdbEntry[], dev: boolean): TerminalRow[] =>
    entries.map((e) => ({
      key: rowKey(e),
      line: fdbLine(e, dev),
      change: changeAt(e),
      aside: e.permanent ? undefined : <span className="pill learned">learned</span>,
    }));
  const rows: TerminalRow[] = [
    ...rowsOf(
      ns.fdb.filter((e) => !tunnels.has(e.port)),
      true,
    ),
    ...ghosts.map((e) => ({
      key: `gone ${rowKey(e)}`,
      line: fdbLine(e, true),
      change: 'removed' as const,
      ghost: true,
    })),
  ];
  const bridges = ns.ifaces.filter((f) => f.kind === 'bridge').map((f) => f.name);
  const where = ns.kind === 'network' ? 'the node network' : 'host netns';
  return (
    <>
      <Terminal
        limit={limit}
        testId={`fdb-${ns.id}`}
        title={ns.kind === 'network' ? 'node network switch' : ns.node}
        subtitle={`bridge ${bridges.join(', ') || '—'} · ${where}`}
        command={bridges.length === 1 ? `bridge fdb show br ${bridges[0]}` : 'bridge fdb show'}
        rows={rows}
        empty="(empty)"
      />
      {[...tunnels].map((dev) => (
        <Terminal
          key={dev}
          limit={limit}
          testId={`fdb-${ns.id}-${dev}`}
          title={ns.node}
          subtitle={`${dev} · VXLAN: which node owns each remote VTEP MAC`}
          command={`bridge fdb show dev ${dev}`}
          rows={rowsOf(
            ns.fdb.filter((e) => e.port === dev),
            false,
          )}
          empty="(empty)"
        />
      ))}
    </>
  );
});

const NETWORK = '@network';

const bridgeHosts = (ns: Netns) =>
  ns.kind === 'host' && (ns.fdb.length > 0 || ns.ifaces.some((f) => f.kind === 'bridge'));

export function FdbPanel() {
  const shown = useShownNetns(bridgeHosts);
  const previous = usePreviousSnapshot();
  const snapshot = useSnapshot();
  const step = useCurrentStep();
  const touched = useTouched('fdb');
  if (!shown) return null;
  const refsOf = touchedByNetns(touched);
  // The node network's switch, at a step on it: its MAC table decided where the frame went.
  const network = snapshot?.netnsById(NETWORK);
  const onNetwork =
    network && (step?.place.netns === NETWORK || refsOf(NETWORK).length > 0) ? network : null;
  const table = (ns: Netns) => {
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
  };
  return (
    <div className="terminals">
      {shown.mode !== 'all' && <FocusBar shown={shown} noun="bridges" />}
      {onNetwork && table(onNetwork)}
      {shown.items.map(table)}
      {shown.total === 0 && <p className="panel-empty">No bridges in this cluster.</p>}
    </div>
  );
}
