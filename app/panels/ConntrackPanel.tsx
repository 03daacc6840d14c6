/**
 * `conntrack -L` per host at the step's time: one line per tracked flow, its original
 * tuple (what the client sent) and its reply tuple (what conntrack expects back, and
 * rewrites the reply from: a DNAT shows as a reply from the pod, not the Service).
 */
import { memo, useMemo } from 'react';
import type { Netns, TableRef } from '@kubewire/sim-core';
import { usePreviousSnapshot, useSnapshot, useTouched } from '../state/selectors.ts';
import { useStore } from '../state/store.ts';
import { touchedByNetns } from './touched.ts';
import { Terminal } from './Terminal.tsx';
import { FocusBar } from './FocusBar.tsx';
import { useShownNetns } from './useShown.ts';
import { rowLimit } from './focus.ts';
import { conntrackRows, hookPacket, type CtAt } from './conntrackRows.ts';

const FLAG = /^\[[A-Z_]+\]$/;

/** One entry's line: the state in bold, the flags as keywords, the reply tuple set apart. */
function ctLine(text: string) {
  const reply = text.indexOf(' src=', text.indexOf('src=') + 1);
  const word = (w: string, i: number) =>
    FLAG.test(w) ? (
      <span key={i} className="kw ct-flag">
        {w}
      </span>
    ) : /^[A-Z_]+$/.test(w) ? (
      <b key={i}>{w}</b>
    ) : (
      w
    );
  const words = (part: string) => part.split(/( +)/).map((w, i) => (w.trim() ? word(w, i) : w));
  if (reply < 0) return <>{words(text)}</>;
  return (
    <>
      {words(text.slice(0, reply))} <span className="ct-reply">{words(text.slice(reply + 1))}</span>
    </>
  );
}

const ConntrackTable = memo(function ConntrackTable(props: {
  readonly ns: Netns;
  readonly timeUs: number;
  /** This host at the step before, and that step's time; absent at the first step. */
  readonly was?: Netns;
  readonly wasUs?: number;
  readonly refs: readonly TableRef[];
  readonly packet: ReturnType<typeof hookPacket>;
  readonly limit?: number;
}) {
  const { ns, timeUs, was, wasUs, refs, packet, limit } = props;
  const rows = useMemo(() => {
    const now: CtAt = { table: ns.conntrack, timeUs };
    const before: CtAt | undefined =
      wasUs === undefined ? undefined : { table: was?.conntrack, timeUs: wasUs };
    return conntrackRows(ns.id, now, before, refs, packet).map((r) => ({
      key: r.key,
      line: ctLine(r.text),
      change: r.change,
      ghost: r.ghost,
    }));
  }, [ns.id, ns.conntrack, timeUs, was?.conntrack, wasUs, refs, packet]);
  return (
    <Terminal
      limit={limit}
      testId={`conntrack-${ns.id}`}
      title={ns.node}
      subtitle="host network namespace"
      command="conntrack -L"
      rows={rows}
      empty="(no flows tracked yet)"
    />
  );
});

const trackingHost = (ns: Netns) => ns.kind === 'host' && (!!ns.conntrack || !!ns.netfilter);

const NONE: readonly TableRef[] = [];
const NO_PACKET: ReturnType<typeof hookPacket> = [];

export function ConntrackPanel() {
  const shown = useShownNetns(trackingHost);
  const snapshot = useSnapshot();
  const previous = usePreviousSnapshot();
  const touched = useTouched('conntrack');
  const sim = useStore((s) => s.sim);
  const index = useStore((s) => s.step);
  const step = sim?.steps[index];
  const packet = useMemo(() => (sim ? hookPacket(sim, index) : NO_PACKET), [sim, index]);
  if (!shown || !snapshot) return null;
  if (shown.total === 0) {
    return (
      <p className="panel-empty" data-testid="conntrack-empty">
        No node tracks connections yet: conntrack keeps an entry per flow once netfilter sees one (a
        node with iptables rules; a scenario loads them with <code>iptables: |</code> on a node).
      </p>
    );
  }
  const refsOf = touchedByNetns(touched);
  return (
    <div className="terminals conntrack">
      {shown.mode !== 'all' && <FocusBar shown={shown} noun="nodes" />}
      {shown.items.map((ns) => {
        const refs = refsOf(ns.id);
        return (
          <ConntrackTable
            key={ns.id}
            ns={ns}
            timeUs={snapshot.timeUs}
            was={previous?.netnsById(ns.id)}
            wasUs={previous?.timeUs}
            refs={refs.length ? refs : NONE}
            packet={step?.place.netns === ns.id ? packet : NO_PACKET}
            limit={rowLimit(shown)}
          />
        );
      })}
    </div>
  );
}
