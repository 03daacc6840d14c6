/**
 * Above a big cluster's tables: what is shown and a filter for the rest.
 * The filter is shared by every table tab (typing "p13" then switching from
 * Neighbours to Routes keeps looking at p13).
 */
import { useStore } from '../state/store.ts';
import type { Shown } from './focus.ts';

interface Props {
  readonly shown: Shown<unknown>;
  /** The sections' plural noun: "network namespaces", "nodes". */
  readonly noun: string;
}

// One formatter: toLocaleString builds its Intl machinery again at every call (every step).
const thousands = new Intl.NumberFormat('en-US');
const count = (n: number) => thousands.format(n);

export function FocusBar({ shown, noun }: Props) {
  const filter = useStore((s) => s.tableFilter);
  const setFilter = useStore((s) => s.setTableFilter);
  const n = shown.items.length;
  const note =
    shown.mode === 'filter'
      ? `${count(n + shown.more)} of ${count(shown.total)} ${noun} match${shown.more ? `; the first ${n} are shown` : ''}`
      : `${count(n)} of ${count(shown.total)} ${noun} in play at this step; filter to find others`;
  return (
    <div className="focus-bar">
      <input
        type="search"
        value={filter}
        placeholder="Filter: pod, node, IP or MAC"
        aria-label={`Filter the ${noun}`}
        onChange={(e) => setFilter(e.target.value)}
      />
      <span className="focus-note">{note}</span>
    </div>
  );
}
