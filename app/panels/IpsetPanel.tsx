/**
 * `ipset list` per node in kube-proxy's IPVS mode: the sets kube-proxy keeps (KUBE-CLUSTER-IP,
 * KUBE-LOOP-BACK, KUBE-NODE-PORT-TCP …) with their members, which a handful of iptables
 * rules match with `-m set` instead of a rule per Service. The hash seed of each set comes
 * from the cluster's seeded generator; References counts the node's rules that name it.
 */
import { memo, useMemo } from 'react';
import { iptablesSave, ipsetText, type Netns } from '@kubewire/sim-core';
import { usePreviousSnapshot, useSnapshot } from '../state/selectors.ts';
import { useStore } from '../state/store.ts';
import { Terminal, type TerminalRow } from './Terminal.tsx';
import { FocusBar } from './FocusBar.tsx';
import { useShownNetns } from './useShown.ts';
import { rowLimit } from './focus.ts';
import { stepTime } from './useClusterObjects.ts';
import './kubePanels.css';

const IpsetTable = memo(function IpsetTable(props: {
  readonly ns: Netns;
  readonly before?: Netns;
  readonly seed: number;
  readonly nowUs: number;
  readonly limit?: number;
}) {
  const { ns, before, seed, nowUs, limit } = props;
  const { ipsets, netfilter } = ns;
  const rows = useMemo((): TerminalRow[] => {
    const save = netfilter ? iptablesSave(netfilter) : '';
    const text = ipsetText(ns, undefined, seed, save);
    let set = '';
    return text
      .replace(/\n$/, '')
      .split('\n')
      .map((line, i) => {
        if (line.startsWith('Name: ')) set = line.slice(6);
        const member = set && !/^[A-Z][A-Za-z ]+:/.test(line) && line.trim() !== '';
        const had = member && before?.ipsets?.[set]?.members.includes(line);
        const added = member && before?.ipsets !== ipsets && !had;
        return {
          key: member ? `${set} ${line}` : `line ${i}`,
          line,
          change: added ? ('added' as const) : undefined,
          className: line.startsWith('Name: ') ? 'kube-name' : undefined,
        };
      });
    // ns stands for its ipsets and rules here: only those are printed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ipsets, netfilter, before?.ipsets, seed]);
  return (
    <Terminal
      limit={limit}
      testId={`ipset-${ns.id}`}
      title={ns.node}
      subtitle={`host network namespace · at ${stepTime(nowUs)}`}
      command="ipset list"
      rows={rows}
      empty="(no sets: kube-proxy has not synced yet)"
    />
  );
});

const ipvsHost = (ns: Netns) => ns.kind === 'host';

export function IpsetPanel() {
  const shown = useShownNetns(ipvsHost);
  const snapshot = useSnapshot();
  const sim = useStore((s) => s.sim);
  const previous = usePreviousSnapshot();
  if (!shown || !snapshot || !sim) return null;
  const seed = sim.scenario.cluster.seed;
  return (
    <div className="terminals kube-panel">
      {shown.mode !== 'all' && <FocusBar shown={shown} noun="nodes" />}
      {shown.items.map((ns) => (
        <IpsetTable
          key={ns.id}
          ns={ns}
          before={previous?.netnsById(ns.id)}
          seed={seed}
          nowUs={snapshot.timeUs}
          limit={rowLimit(shown)}
        />
      ))}
    </div>
  );
}
