/**
 * A table shown as the command that prints it: a titled card, a `$ ip neigh`
 * prompt, one output line per row. Rows the current step touched carry a
 * mark ("added", "updated", "read", "removed") and a highlight.
 */
import { useState, type ReactNode } from 'react';
import type { TableRef } from '@kubewire/sim-core';

export type Change = TableRef['change'];

export interface TerminalRow {
  readonly key: string;
  readonly line: ReactNode;
  readonly change?: Change;
  /** A row that the current step removed, shown struck through. */
  readonly ghost?: boolean;
  readonly aside?: ReactNode;
  /** The mark's text instead of the change's ("matched" for an iptables rule). */
  readonly mark?: string;
  /** Extra classes: a chain heading, a column header. */
  readonly className?: string;
  /** Kept when a long table is cut short, like a touched row (a touched chain's heading). */
  readonly pinned?: boolean;
}

interface Props {
  readonly title: ReactNode;
  readonly subtitle?: ReactNode;
  readonly command: string;
  readonly rows: readonly TerminalRow[];
  readonly empty?: string;
  readonly testId?: string;
  /**
   * Show at most this many rows (the touched ones always among them) and a button for the
   * rest: a big cluster's host has a row per node in its tables.
   */
  readonly limit?: number;
  /**
   * Lines as the tool prints them, in columns: no wrapping; the panel scrolls sideways
   * (iptables -L is 150 characters wide) and the marks stay in sight at its right edge.
   */
  readonly wide?: boolean;
  /** Between the header and the prompt: a note about this host (a sysctl that matters). */
  readonly note?: ReactNode;
}

const more = (n: number) => `${n} more row${n === 1 ? '' : 's'}`;

/** The touched rows, then the first others, up to `limit`; in the table's order. */
function firstRows(rows: readonly TerminalRow[], limit: number): readonly TerminalRow[] {
  const keep = new Set(rows.filter((r) => r.change || r.pinned).map((r) => r.key));
  for (const r of rows) {
    if (keep.size >= limit) break;
    keep.add(r.key);
  }
  return rows.filter((r) => keep.has(r.key));
}

const MARK: Record<Change, string> = {
  added: 'added',
  updated: 'updated',
  read: 'lookup',
  removed: 'removed',
};

const markOf = (r: TerminalRow) => r.mark ?? (r.change ? MARK[r.change] : undefined);

export function Terminal(props: Props) {
  const { title, subtitle, command, rows, empty = '', testId, limit, wide, note } = props;
  const [all, setAll] = useState(false);
  const touched = rows.some((r) => r.change);
  const cut = limit !== undefined && rows.length > limit;
  const shown = cut && !all ? firstRows(rows, limit) : rows;
  const classes = `terminal${touched ? ' touched' : ''}${wide ? ' wide' : ''}`;
  return (
    <section className={classes} data-testid={testId}>
      <header>
        <h3>{title}</h3>
        {subtitle && <span className="terminal-sub">{subtitle}</span>}
      </header>
      {note}
      <div className="terminal-body">
        <div className="prompt">
          <span className="muted">$</span> {command}
        </div>
        {rows.length === 0 && empty && <div className="terminal-empty">{empty}</div>}
        <div className="terminal-rows" role="list">
          {shown.map((r) => (
            <div
              key={r.key}
              role="listitem"
              className={`terminal-row${r.change ? ` change-${r.change}` : ''}${r.ghost ? ' ghost' : ''}${r.className ? ` ${r.className}` : ''}`}
              data-key={r.key}
            >
              <span className="line">{r.line}</span>
              {r.aside}
              {markOf(r) && <span className={`mark mark-${r.change ?? 'note'}`}>{markOf(r)}</span>}
            </div>
          ))}
        </div>
      </div>
      {cut && (
        <button
          type="button"
          className="terminal-more"
          aria-expanded={all}
          // A click does not take focus, so ← → keep stepping the timeline.
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => setAll(!all)}
        >
          {all ? 'Show fewer rows' : more(rows.length - shown.length)}
        </button>
      )}
    </section>
  );
}
