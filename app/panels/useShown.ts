/**
 * The sections a table panel shows at the current step (see focus.ts).
 * Re-renders with the step, the simulation and the filter.
 */
import { useMemo } from 'react';
import type { Netns, NodeStatus } from '@kubewire/sim-core';
import { useStore } from '../state/store.ts';
import { useSnapshot } from '../state/selectors.ts';
import { focusNetns, pickShown, type Shown } from './focus.ts';
import { orderedNetns, tableNetns } from './netnsOrder.ts';

const selectFilter = (s: { tableFilter: string }) => s.tableFilter;

/** The netns ids in focus: the step's and its action's pods'. */
function useFocus(): ReadonlySet<string> {
  const sim = useStore((s) => s.sim);
  const step = useStore((s) => s.step);
  const snapshot = useSnapshot();
  return useMemo(
    () => (sim && snapshot ? focusNetns(sim, snapshot, step) : new Set<string>()),
    [sim, snapshot, step],
  );
}

const netnsMatches = (ns: Netns, query: string) =>
  ns.id.toLowerCase().includes(query) ||
  ns.ifaces.some((f) => f.ip?.includes(query) || f.mac.includes(query));

/** Host and pod netns that `include` accepts, in reading order; `include` must be a constant. */
export function useShownNetns(include: (ns: Netns) => boolean): Shown<Netns> | null {
  const snapshot = useSnapshot();
  const focus = useFocus();
  const filter = useStore(selectFilter);
  return useMemo(() => {
    if (!snapshot) return null;
    const shown = pickShown(
      tableNetns(snapshot).filter(include),
      filter,
      (ns) => focus.has(ns.id),
      netnsMatches,
    );
    return { ...shown, items: orderedNetns(snapshot, shown.items) };
  }, [snapshot, focus, filter, include]);
}

const nodeMatches = (node: NodeStatus, query: string) =>
  node.name.toLowerCase().includes(query) ||
  node.ip.includes(query) ||
  node.podCIDR.includes(query) ||
  node.ipam.some((f) => f.path.includes(query));

/** Nodes in order; in focus, those of the netns in focus. */
export function useShownNodes(): Shown<NodeStatus> | null {
  const snapshot = useSnapshot();
  const focus = useFocus();
  const filter = useStore(selectFilter);
  return useMemo(() => {
    if (!snapshot) return null;
    // IPAM refs name the node itself; other refs a netns on it.
    const nodes = new Set([...focus].map((id) => snapshot.netnsById(id)?.node ?? id.split('/')[0]));
    return pickShown(snapshot.nodes, filter, (n) => nodes.has(n.name), nodeMatches);
  }, [snapshot, focus, filter]);
}
