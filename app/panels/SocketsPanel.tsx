/**
 * `ss -tan` per network namespace (and `ss -uan` where it has UDP sockets, such as a
 * node's VXLAN port): state, queues, local and peer address, and who holds the socket.
 * A socket the step opened, moved or closed is marked by diffing with the step before.
 */
import { memo, type ReactNode } from 'react';
import type { Netns, Socket, TableRef } from '@kubewire/sim-core';
import { ssLines } from '@kubewire/sim-core';
import { usePreviousSnapshot, useTouched } from '../state/selectors.ts';
import { changeOf, touchedByNetns } from './touched.ts';
import { netnsTitle } from './NetnsTitle.tsx';
import { Terminal, type TerminalRow } from './Terminal.tsx';
import { FocusBar } from './FocusBar.tsx';
import { useShownNetns } from './useShown.ts';
import { rowLimit } from './focus.ts';

const peer = (s: Socket) => `${s.peerAddr ?? '0.0.0.0'}:${s.peerPort || '*'}`;
const socketKey = (s: Socket) => `${s.protocol} ${s.localAddr}:${s.localPort || '*'} ${peer(s)}`;

/** ss lists listeners first (the listening hash is dumped before the established one). */
const listenFirst = (list: readonly Socket[]) => [
  ...list.filter((s) => s.state === 'LISTEN'),
  ...list.filter((s) => s.state !== 'LISTEN'),
];

/** `ss -uan`'s columns, each as wide as its widest cell (ss's layout when not on a terminal). */
function udpLines(list: readonly Socket[]): string[] {
  const rows = [
    ['State', 'Recv-Q', 'Send-Q', 'Local Address:Port', 'Peer Address:Port'],
    ...list.map((s) => [
      s.state,
      String(s.recvQ ?? 0),
      String(s.sendQ ?? 0),
      `${s.localAddr}:${s.localPort}`,
      peer(s),
    ]),
  ];
  const width = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) =>
    r
      .map((cell, i) => cell.padEnd(width[i]))
      .join(' ')
      .trimEnd(),
  );
}

function changeOfSocket(
  s: Socket,
  refs: readonly TableRef[],
  netns: string,
  before?: readonly Socket[],
): TableRef['change'] | undefined {
  const key = socketKey(s);
  const ref = changeOf(refs, netns, key);
  if (ref || !before) return ref;
  const old = before.find((b) => socketKey(b) === key);
  return !old ? 'added' : old !== s ? 'updated' : undefined;
}

const owner = (s: Socket): ReactNode =>
  s.owner ? <span className="pill owner">{s.owner}</span> : undefined;

function socketRows(ns: Netns, refs: readonly TableRef[], was?: Netns): TerminalRow[] {
  const before = was ? (was.sockets ?? []) : undefined;
  const rows: TerminalRow[] = [];
  const section = (proto: 'tcp' | 'udp', lines: string[], list: readonly Socket[]) => {
    rows.push({ key: `${proto} header`, line: lines[0], className: 'ss-header', pinned: true });
    list.forEach((s, i) =>
      rows.push({
        key: socketKey(s),
        line: lines[i + 1],
        change: changeOfSocket(s, refs, ns.id, before),
        aside: owner(s),
      }),
    );
    const gone = (before ?? []).filter(
      (b) => b.protocol === proto && !list.some((s) => socketKey(s) === socketKey(b)),
    );
    for (const s of gone) {
      const line = proto === 'tcp' ? ssLines({ ...ns, sockets: [s] })[1] : udpLines([s])[1];
      rows.push({ key: `gone ${socketKey(s)}`, line, change: 'removed', ghost: true });
    }
  };
  const tcp = listenFirst((ns.sockets ?? []).filter((s) => s.protocol === 'tcp'));
  // ss pads its last (Process) column even when empty: trailing blanks would only widen the card.
  section(
    'tcp',
    ssLines(ns).map((l) => l.trimEnd()),
    tcp,
  );
  const udp = (ns.sockets ?? []).filter((s) => s.protocol === 'udp');
  if (udp.length || before?.some((s) => s.protocol === 'udp')) {
    rows.push({ key: 'udp prompt', line: '$ ss -uan', className: 'ss-prompt', pinned: true });
    section('udp', udpLines(udp), udp);
  }
  return rows;
}

const SocketTable = memo(function SocketTable(props: {
  readonly ns: Netns;
  readonly refs: readonly TableRef[];
  /** This netns at the step before, when its sockets differ. */
  readonly was?: Netns;
  readonly limit?: number;
}) {
  const { ns, refs, was, limit } = props;
  const { title, subtitle } = netnsTitle(ns);
  return (
    <Terminal
      wide
      limit={limit}
      testId={`ss-${ns.id}`}
      title={title}
      subtitle={subtitle}
      command="ss -tan"
      rows={socketRows(ns, refs, was)}
    />
  );
});

const everyNetns = () => true;

export function SocketsPanel() {
  const shown = useShownNetns(everyNetns);
  const previous = usePreviousSnapshot();
  const touched = useTouched('socket');
  if (!shown) return null;
  const refsOf = touchedByNetns(touched);
  return (
    <div className="terminals sockets">
      {shown.mode !== 'all' && <FocusBar shown={shown} noun="network namespaces" />}
      {shown.items.map((ns) => {
        const was = previous?.netnsById(ns.id);
        return (
          <SocketTable
            key={ns.id}
            ns={ns}
            refs={refsOf(ns.id)}
            was={was && was.sockets !== ns.sockets ? was : undefined}
            limit={rowLimit(shown)}
          />
        );
      })}
    </div>
  );
}
