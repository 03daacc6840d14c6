/**
 * IPVS per node in kube-proxy's IPVS mode, as `ipvsadm -Ln` prints it at the step (or
 * `--stats`, or `-Lnc` for the connection table): a virtual server per Service port, its
 * real servers (the endpoints), the scheduler. At a step where IPVS schedules a new
 * connection, the virtual server it came to and the real server picked are marked.
 */
import { memo, useMemo } from 'react';
import { ipvsadmText, type Netns } from '@kubewire/sim-core';
import { useCurrentStep, useSnapshot } from '../state/selectors.ts';
import { useStore } from '../state/store.ts';
import type { IpvsView } from '../state/uiSlice.ts';
import { Terminal, type TerminalRow } from './Terminal.tsx';
import { FocusBar } from './FocusBar.tsx';
import { useShownNetns } from './useShown.ts';
import { rowLimit } from './focus.ts';
import { ipvsadmLines, ipvsConnLines, ipvsPick, type IpvsPick } from './ipvsRows.ts';
import { stepTime } from './useClusterObjects.ts';
import './kubePanels.css';

const COMMAND: Record<IpvsView, string> = {
  list: 'ipvsadm -Ln',
  stats: 'ipvsadm -Ln --stats',
  connections: 'ipvsadm -Lnc',
};

const VIEWS: readonly { id: IpvsView; label: string; title: string }[] = [
  { id: 'list', label: '-Ln', title: 'Virtual servers, real servers, scheduler and weights' },
  { id: 'stats', label: '--stats', title: 'Connections, packets and bytes per server' },
  { id: 'connections', label: '-Lnc', title: "IPVS's connection table" },
];

const IpvsTable = memo(function IpvsTable(props: {
  readonly ns: Netns;
  readonly view: IpvsView;
  readonly nowUs: number;
  readonly pick?: IpvsPick;
  readonly limit?: number;
}) {
  const { ns, view, nowUs, pick, limit } = props;
  // The connection table's expiry counts down with the step's time; the lists do not.
  const clock = view === 'connections' ? nowUs : 0;
  const rows = useMemo((): TerminalRow[] => {
    const text = ipvsadmText(ns, undefined, view, clock);
    const lines = view === 'connections' ? ipvsConnLines(text, pick) : ipvsadmLines(text, pick);
    return lines.map((l) => ({
      key: l.key,
      line: l.text,
      change: l.change,
      mark: l.mark,
      className: `ipvs-${l.kind}`,
    }));
  }, [ns, view, clock, pick]);
  return (
    <Terminal
      wide
      limit={limit}
      testId={`ipvs-${ns.id}`}
      title={ns.node}
      subtitle={`host network namespace · at ${stepTime(nowUs)}`}
      command={COMMAND[view]}
      rows={rows}
    />
  );
});

const ipvsHost = (ns: Netns) => ns.kind === 'host';

export function IpvsPanel() {
  const shown = useShownNetns(ipvsHost);
  const snapshot = useSnapshot();
  const step = useCurrentStep();
  const view = useStore((s) => s.ipvsView);
  const setView = useStore((s) => s.setIpvsView);
  const pick = useMemo(() => (step ? ipvsPick(step.facts) : undefined), [step]);
  if (!shown || !snapshot) return null;
  return (
    <div className="terminals kube-panel">
      <div className="ipt-toolbar">
        <div className="segmented" role="group" aria-label="ipvsadm output">
          {VIEWS.map((v) => (
            <button
              key={v.id}
              type="button"
              className="mono"
              title={v.title}
              aria-pressed={v.id === view}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => setView(v.id)}
            >
              {v.label}
            </button>
          ))}
        </div>
      </div>
      {shown.mode !== 'all' && <FocusBar shown={shown} noun="nodes" />}
      {shown.items.map((ns) => (
        <IpvsTable
          key={ns.id}
          ns={ns}
          view={view}
          nowUs={snapshot.timeUs}
          pick={step?.place.netns === ns.id ? pick : undefined}
          limit={rowLimit(shown)}
        />
      ))}
    </div>
  );
}
