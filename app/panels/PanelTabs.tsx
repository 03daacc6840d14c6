/**
 * The tables beside the topology, one tab each, always at the current step.
 * A tab whose table the step touched carries a dot, so the eye knows where
 * to look; inside, the touched rows are scrolled into view.
 */
import { Suspense, useEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import type { Simulation, Step, TableRef } from '@kubewire/sim-core';
import { useStore } from '../state/store.ts';
import { useCurrentStep, usePreviousSnapshot, useSnapshot } from '../state/selectors.ts';
import type { PanelId } from '../state/uiSlice.ts';
import { NeighborPanel } from './NeighborPanel.tsx';
import { FdbPanel } from './FdbPanel.tsx';
import { RoutesPanel } from './RoutesPanel.tsx';
import {
  BpfPanel,
  ConntrackPanel,
  DnsPanel,
  EndpointSlicesPanel,
  IngressPanel,
  InspectorPanel,
  IpamPanel,
  IpsetPanel,
  IptablesPanel,
  IpvsPanel,
  preloadPanels,
  ScalingPanel,
  ServicesPanel,
  SocketsPanel,
} from './lazyPanels.ts';
import { BirdPanel } from './BirdPanel.tsx';
import {
  factPanel,
  optionalPanels,
  shownPanel,
  stepPanel,
  type OptionalPanel,
} from './panelChoice.ts';
import './panelTabs.css';
import { movedTables, type KernelTable } from './moved.ts';
import { StripEnds } from './StripEnds.tsx';

const TABS: readonly {
  id: PanelId;
  label: string;
  table?: TableRef['table'];
  /** A tab over several tables (Cilium's BPF maps). */
  tables?: readonly TableRef['table'][];
}[] = [
  { id: 'neighbors', label: 'Neighbours', table: 'neighbor' },
  { id: 'fdb', label: 'Bridge FDB', table: 'fdb' },
  { id: 'routes', label: 'Routes', table: 'route' },
  { id: 'iptables', label: 'iptables', table: 'iptables' },
  { id: 'conntrack', label: 'conntrack', table: 'conntrack' },
  { id: 'sockets', label: 'Sockets', table: 'socket' },
  { id: 'ipam', label: 'IPAM', table: 'ipam' },
  { id: 'bird', label: 'BIRD' },
  { id: 'bpf', label: 'BPF maps', tables: ['bpf-endpoint', 'bpf-ipcache', 'bpf-lb'] },
  { id: 'services', label: 'Services' },
  { id: 'endpointslices', label: 'EndpointSlices' },
  { id: 'ipvs', label: 'IPVS' },
  { id: 'ipsets', label: 'ipsets' },
  { id: 'ingress', label: 'Ingress' },
  { id: 'dns', label: 'DNS' },
  { id: 'scaling', label: 'Scaling' },
  { id: 'inspector', label: 'Packet' },
];

const OPTIONAL: ReadonlySet<PanelId> = new Set<OptionalPanel>([
  'bird',
  'bpf',
  'services',
  'endpointslices',
  'ipvs',
  'ipsets',
  'ingress',
  'dns',
]);

const BODIES: Record<PanelId, React.ComponentType> = {
  neighbors: NeighborPanel,
  fdb: FdbPanel,
  routes: RoutesPanel,
  iptables: IptablesPanel,
  conntrack: ConntrackPanel,
  sockets: SocketsPanel,
  ipam: IpamPanel,
  bird: BirdPanel,
  bpf: BpfPanel,
  services: ServicesPanel,
  endpointslices: EndpointSlicesPanel,
  ipvs: IpvsPanel,
  ipsets: IpsetPanel,
  ingress: IngressPanel,
  dns: DnsPanel,
  scaling: ScalingPanel,
  inspector: InspectorPanel,
};

/** The tabs a simulation shows, in order (presenter mode's keys 1–9 pick them by place). */
export function shownTabs(sim: Simulation | null): typeof TABS {
  const optional = sim ? optionalPanels(sim) : new Set<PanelId>();
  return TABS.filter((t) => !OPTIONAL.has(t.id) || optional.has(t.id as OptionalPanel));
}

const isKernel = (t: TableRef['table']): t is KernelTable =>
  t === 'iptables' || t === 'conntrack' || t === 'socket';

/**
 * A tab's mark: its table changed at this step (a dot), or the step only looked a row up in
 * it (a ring) — the FDB entry a bridge forwarded by, the route, the neighbour. Rule matches
 * are lookups, yet the step that walks the rules is the one to look at, so iptables refs
 * count as changes whatever their change; the kernel tables also count when their state
 * moved without a ref (a counter, a confirm).
 */
function tabMark(
  tab: (typeof TABS)[number],
  step: Step | undefined,
  moved: ReadonlySet<KernelTable>,
): 'changed' | 'read' | null {
  const { table, tables } = tab;
  if (tab.id === 'inspector') return step?.frame ? 'changed' : null;
  if (!table && !tables)
    return step && factPanel(step.facts, undefined) === tab.id ? 'changed' : null;
  const refs =
    step?.touched.filter((r) => (tables ? tables.includes(r.table) : r.table === table)) ?? [];
  if (refs.some((r) => r.change !== 'read' || r.table === 'iptables')) return 'changed';
  if (table && isKernel(table) && moved.has(table)) return 'changed';
  return refs.length ? 'read' : null;
}

const MARK_LABEL = { changed: '(changed at this step)', read: '(looked up at this step)' };

export function PanelTabs() {
  const picked = useStore((s) => s.panel);
  const pickedAt = useStore((s) => s.panelStep);
  const pinned = useStore((s) => s.panelPinned);
  const pinPanel = useStore((s) => s.pinPanel);
  const index = useStore((s) => s.step);
  const sim = useStore((s) => s.sim);
  const selectPanel = useStore((s) => s.selectPanel);
  const step = useCurrentStep();
  const tabs = useMemo(() => shownTabs(sim), [sim]);
  const mode = sim?.scenario.cluster.kubeProxy.mode;
  const panel = shownPanel(
    { panel: picked, step: pickedAt, pinned },
    index,
    // The kernel table that decided the hop is followed until the user picks a tab.
    step && stepPanel(step, mode, pickedAt >= 0),
    (p) => tabs.some((t) => t.id === p),
    tabs[0].id,
  );
  const snapshot = useSnapshot();
  const previous = usePreviousSnapshot();
  const moved = useMemo(() => {
    const ids = step
      ? [
          step.place.netns,
          ...(step.from ? [step.from.netns] : []),
          ...step.touched.map((t) => t.netns),
        ]
      : [];
    return movedTables(previous, snapshot, ids);
  }, [previous, snapshot, step]);
  const body = useRef<HTMLDivElement>(null);
  const strip = useRef<HTMLDivElement>(null);
  const Body = BODIES[panel];

  useEffect(() => {
    const row = body.current?.querySelector(
      '.change-added, .change-updated, .change-removed, .change-read',
    );
    // Only when there is a row to show: scrolling (or reading or writing scrollLeft) forces a
    // layout of the whole page in the middle of the step, ~5 ms at 1,000 pods.
    if (!row?.scrollIntoView || !body.current) return;
    // A windowed list (the iptables tree) scrolls itself to its row; the panel shows the list.
    const card = row.closest('.vrows')?.closest('.terminal');
    if (card) card.scrollIntoView({ block: 'start' });
    else row.scrollIntoView({ block: 'nearest' });
    // A wide table's rows start at its left edge: keep the panel there, not at the row's border.
    body.current.scrollLeft = 0;
  }, [step, panel]);

  // The lazy tabs load while the first simulation runs, long before a step needs them.
  useEffect(preloadPanels, []);

  const markOf = (t: (typeof TABS)[number]) => tabMark(t, step, moved);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    e.preventDefault();
    e.stopPropagation();
    const i = tabs.findIndex((t) => t.id === panel);
    const next = tabs[(i + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
    selectPanel(next.id);
    document.getElementById(`tab-${next.id}`)?.focus();
  };

  return (
    <section className="panels" aria-label="Tables">
      <div className="tab-strip">
        <div className="tabs" role="tablist" aria-label="Tables" onKeyDown={onKeyDown} ref={strip}>
          {tabs.map((t) => (
            <button
              key={t.id}
              id={`tab-${t.id}`}
              type="button"
              role="tab"
              aria-selected={panel === t.id}
              aria-controls="panel-body"
              tabIndex={panel === t.id ? 0 : -1}
              className={markOf(t) === 'changed' ? 'touched' : markOf(t) ? 'looked-up' : undefined}
              // A click selects without taking focus, so ← → keep stepping the timeline.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => selectPanel(t.id)}
            >
              {t.label}
              {markOf(t) && (
                <span
                  className={markOf(t) === 'read' ? 'tab-dot read' : 'tab-dot'}
                  aria-label={MARK_LABEL[markOf(t)!]}
                />
              )}
            </button>
          ))}
        </div>
        <StripEnds strip={strip} selected={`tab-${panel}`} />
        <button
          type="button"
          className={`tab-pin${pinned ? ' pinned' : ''}`}
          aria-pressed={pinned}
          title={
            pinned
              ? 'The tab stays put; click to let it follow the table each step names'
              : 'Pin this tab: it stays put instead of following the table each step names'
          }
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => {
            if (!pinned) selectPanel(panel);
            pinPanel(!pinned);
          }}
        >
          <svg viewBox="0 0 16 16" width="15" height="15" aria-hidden="true">
            <path d="M6 1.5h4l-.6 4.2 2.6 2.3v1.5H8.7V15h-1.4V9.5H4V8l2.6-2.3z" />
          </svg>
          <span className="visually-hidden">Pin the tab</span>
        </button>
      </div>
      <div
        className="panel-body"
        id="panel-body"
        role="tabpanel"
        aria-labelledby={`tab-${panel}`}
        // A scrolling tab panel is a tab stop, as the ARIA tabs pattern suggests.
        tabIndex={0}
        ref={body}
      >
        <Suspense fallback={<p className="panel-loading">Loading the table…</p>}>
          <Body />
        </Suspense>
      </div>
    </section>
  );
}
