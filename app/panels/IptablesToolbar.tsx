/**
 * Above the iptables tables: which table (only those some host has) and which printer.
 * The table follows the packet: at a step whose packet walks the nat table, nat is shown,
 * unless the user picked another at this very step.
 */
import type { Netns, Snapshot, TableName, TableRef } from '@kubewire/sim-core';
import { TABLE_NAMES } from '@kubewire/sim-core';
import { useStore } from '../state/store.ts';
import type { IptablesView } from '../state/uiSlice.ts';

/** The order a student meets them in: kube-proxy's nat first. */
const ORDER: readonly TableName[] = ['nat', 'filter', 'mangle', 'raw'];

export interface TableChoice {
  readonly table: TableName;
  readonly tables: readonly TableName[];
  /** Tables the step's packet walked (matched a rule or moved a counter) on a shown host. */
  readonly walked: readonly TableName[];
}

const isTable = (t: string): t is TableName => (TABLE_NAMES as readonly string[]).includes(t);

function walkedTables(
  hosts: readonly Netns[],
  refs: readonly TableRef[],
  before: Snapshot | null,
): TableName[] {
  const ids = new Set(hosts.map((ns) => ns.id));
  const walked = new Set(
    refs.filter((r) => ids.has(r.netns)).map((r) => r.key.slice(0, r.key.indexOf('/'))),
  );
  for (const ns of hosts) {
    const was = before?.netnsById(ns.id)?.netfilter;
    if (!was || was === ns.netfilter) continue;
    for (const t of ORDER) if (ns.netfilter?.tables[t] !== was.tables[t]) walked.add(t);
  }
  return ORDER.filter((t) => walked.has(t));
}

/** The table to show at this step; null when no shown host has any. */
export function useIptablesTable(
  hosts: readonly Netns[],
  refs: readonly TableRef[],
  before: Snapshot | null,
): TableChoice | null {
  const pick = useStore((s) => s.iptablesPick);
  const step = useStore((s) => s.step);
  const tables = ORDER.filter((t) => hosts.some((ns) => ns.netfilter?.tables[t]));
  if (!tables.length) return null;
  const walked = walkedTables(hosts, refs, before).filter((t) => tables.includes(t));
  const picked = pick && isTable(pick.table) && tables.includes(pick.table) ? pick.table : null;
  const table =
    (pick?.step === step ? picked : null) ??
    walked[0] ??
    picked ??
    (tables.includes('nat') ? 'nat' : tables[0]);
  return { table, tables, walked };
}

const VIEWS: readonly { id: IptablesView; label: string; title: string }[] = [
  { id: 'list', label: '-L -v -n', title: 'iptables -L -v -n: chains, rules and their counters' },
  {
    id: 'save',
    label: 'iptables-save',
    title: 'iptables-save -c: the rules as kube-proxy writes them',
  },
];

// A click does not take focus, so ← → keep stepping the timeline.
const keepFocus = (e: React.MouseEvent) => e.preventDefault();

export function IptablesToolbar({ choice }: { readonly choice: TableChoice }) {
  const pickTable = useStore((s) => s.pickIptablesTable);
  const view = useStore((s) => s.iptablesView);
  const setView = useStore((s) => s.setIptablesView);
  return (
    <div className="ipt-toolbar">
      <div className="segmented" role="group" aria-label="iptables table">
        {choice.tables.map((t) => (
          <button
            key={t}
            type="button"
            aria-pressed={t === choice.table}
            onMouseDown={keepFocus}
            onClick={() => pickTable(t)}
          >
            {t}
            {choice.walked.includes(t) && (
              <>
                <span className="tab-dot" aria-hidden="true" />
                <span className="visually-hidden"> (walked at this step)</span>
              </>
            )}
          </button>
        ))}
      </div>
      <div className="segmented" role="group" aria-label="Output format">
        {VIEWS.map((v) => (
          <button
            key={v.id}
            type="button"
            className="mono"
            title={v.title}
            aria-pressed={v.id === view}
            onMouseDown={keepFocus}
            onClick={() => setView(v.id)}
          >
            {v.label}
          </button>
        ))}
      </div>
    </div>
  );
}
