/**
 * The tables beside the topology, one tab each, always at the current step.
 * A tab whose table the step touched carries a dot, so the eye knows where
 * to look; inside, the touched rows are scrolled into view.
 */
import { useEffect, useRef, type KeyboardEvent } from 'react';
import type { TableRef } from '@kubewire/sim-core';
import { useStore } from '../state/store.ts';
import { useCurrentStep } from '../state/selectors.ts';
import type { PanelId } from '../state/uiSlice.ts';
import { NeighborPanel } from './NeighborPanel.tsx';
import { FdbPanel } from './FdbPanel.tsx';
import { RoutesPanel } from './RoutesPanel.tsx';
import { IpamPanel } from './IpamPanel.tsx';
import { InspectorPanel } from './InspectorPanel.tsx';

const TABS: readonly { id: PanelId; label: string; table?: TableRef['table'] }[] = [
  { id: 'neighbors', label: 'Neighbours', table: 'neighbor' },
  { id: 'fdb', label: 'Bridge FDB', table: 'fdb' },
  { id: 'routes', label: 'Routes', table: 'route' },
  { id: 'ipam', label: 'IPAM', table: 'ipam' },
  { id: 'inspector', label: 'Packet' },
];

const BODIES: Record<PanelId, () => React.ReactNode> = {
  neighbors: NeighborPanel,
  fdb: FdbPanel,
  routes: RoutesPanel,
  ipam: IpamPanel,
  inspector: InspectorPanel,
};

export function PanelTabs() {
  const panel = useStore((s) => s.panel);
  const selectPanel = useStore((s) => s.selectPanel);
  const step = useCurrentStep();
  const body = useRef<HTMLDivElement>(null);
  const Body = BODIES[panel];

  useEffect(() => {
    const row = body.current?.querySelector(
      '.change-added, .change-updated, .change-removed, .change-read',
    );
    row?.scrollIntoView?.({ block: 'nearest' });
  }, [step, panel]);

  const touchedTab = (t: (typeof TABS)[number]) =>
    t.table ? step?.touched.some((r) => r.table === t.table && r.change !== 'read') : !!step?.frame;

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    e.preventDefault();
    e.stopPropagation();
    const i = TABS.findIndex((t) => t.id === panel);
    const next = TABS[(i + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length];
    selectPanel(next.id);
    document.getElementById(`tab-${next.id}`)?.focus();
  };

  return (
    <section className="panels" aria-label="Tables">
      <div className="tabs" role="tablist" aria-label="Tables" onKeyDown={onKeyDown}>
        {TABS.map((t) => (
          <button
            key={t.id}
            id={`tab-${t.id}`}
            type="button"
            role="tab"
            aria-selected={panel === t.id}
            aria-controls="panel-body"
            tabIndex={panel === t.id ? 0 : -1}
            className={touchedTab(t) ? 'touched' : undefined}
            // A click selects without taking focus, so ← → keep stepping the timeline.
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => selectPanel(t.id)}
          >
            {t.label}
            {touchedTab(t) && <span className="tab-dot" aria-label="(changed at this step)" />}
          </button>
        ))}
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
        <Body />
      </div>
    </section>
  );
}
