/**
 * A table shown as the command that prints it: a titled card, a `$ ip neigh`
 * prompt, one output line per row. Rows the current step touched carry a
 * mark ("added", "updated", "read", "removed") and a highlight.
 */
import type { ReactNode } from 'react';
import type { TableRef } from '@kubewire/sim-core';

export type Change = TableRef['change'];

export interface TerminalRow {
  readonly key: string;
  readonly line: ReactNode;
  readonly change?: Change;
  /** A row that the current step removed, shown struck through. */
  readonly ghost?: boolean;
  readonly aside?: ReactNode;
}

interface Props {
  readonly title: ReactNode;
  readonly subtitle?: ReactNode;
  readonly command: string;
  readonly rows: readonly TerminalRow[];
  readonly empty?: string;
  readonly testId?: string;
}

const MARK: Record<Change, string> = {
  added: 'added',
  updated: 'updated',
  read: 'lookup',
  removed: 'removed',
};

export function Terminal({ title, subtitle, command, rows, empty = '', testId }: Props) {
  const touched = rows.some((r) => r.change);
  return (
    <section className={`terminal${touched ? ' touched' : ''}`} data-testid={testId}>
      <header>
        <h3>{title}</h3>
        {subtitle && <span className="terminal-sub">{subtitle}</span>}
      </header>
      <div className="terminal-body" role="list">
        <div className="prompt">
          <span className="muted">$</span> {command}
        </div>
        {rows.length === 0 && empty && <div className="terminal-empty">{empty}</div>}
        {rows.map((r) => (
          <div
            key={r.key}
            role="listitem"
            className={`terminal-row${r.change ? ` change-${r.change}` : ''}${r.ghost ? ' ghost' : ''}`}
            data-key={r.key}
          >
            <span className="line">{r.line}</span>
            {r.aside}
            {r.change && <span className={`mark mark-${r.change}`}>{MARK[r.change]}</span>}
          </div>
        ))}
      </div>
    </section>
  );
}
