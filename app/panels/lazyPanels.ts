/**
 * The tabs a first view rarely opens, each its own chunk: the page's first JS
 * carries only the neighbour, FDB and route tables. `preloadPanels` fetches the
 * rest once the page has painted, so a later click finds them loaded.
 */
import { lazy, type ComponentType } from 'react';

type Loader = () => Promise<ComponentType>;

const loaders: Loader[] = [];

function lazyPanel(load: Loader) {
  loaders.push(load);
  return lazy(() => load().then((c) => ({ default: c })));
}

export const IptablesPanel = lazyPanel(() =>
  import('./IptablesPanel.tsx').then((m) => m.IptablesPanel),
);
export const ConntrackPanel = lazyPanel(() =>
  import('./ConntrackPanel.tsx').then((m) => m.ConntrackPanel),
);
export const SocketsPanel = lazyPanel(() =>
  import('./SocketsPanel.tsx').then((m) => m.SocketsPanel),
);
export const IpamPanel = lazyPanel(() => import('./IpamPanel.tsx').then((m) => m.IpamPanel));
export const InspectorPanel = lazyPanel(() =>
  import('./InspectorPanel.tsx').then((m) => m.InspectorPanel),
);
export const ServicesPanel = lazyPanel(() =>
  import('./ServicesPanel.tsx').then((m) => m.ServicesPanel),
);
export const EndpointSlicesPanel = lazyPanel(() =>
  import('./EndpointSlicesPanel.tsx').then((m) => m.EndpointSlicesPanel),
);
export const IpvsPanel = lazyPanel(() => import('./IpvsPanel.tsx').then((m) => m.IpvsPanel));
export const IpsetPanel = lazyPanel(() => import('./IpsetPanel.tsx').then((m) => m.IpsetPanel));
export const IngressPanel = lazyPanel(() =>
  import('./IngressPanel.tsx').then((m) => m.IngressPanel),
);
export const BpfPanel = lazyPanel(() => import('./BpfPanel.tsx').then((m) => m.BpfPanel));
export const DnsPanel = lazyPanel(() => import('./DnsPanel.tsx').then((m) => m.DnsPanel));
export const ScalingPanel = lazyPanel(() =>
  import('./scaling/ScalingPanel.tsx').then((m) => m.ScalingPanel),
);

let preloaded = false;

/** Fetch every lazy tab's chunk (once), when the browser is idle. */
export function preloadPanels(): void {
  if (preloaded) return;
  preloaded = true;
  const run = () => void Promise.all(loaders.map((l) => l().catch(() => undefined)));
  if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: 2000 });
  else setTimeout(run, 200);
}
