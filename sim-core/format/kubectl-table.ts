/**
 * kubectl's human-readable table printer (cli-runtime printers.HumanReadablePrinter,
 * printTable): the header is the column names upper-cased, `-A` puts a
 * NAMESPACE column first, `-o wide` adds the Priority 1 columns, and the
 * rows are aligned by the tab writer (minwidth 6, padding 3). Objects come
 * in the API server's list order: by namespace, then name (etcd's key order).
 */
import type { Columns } from './kubectl-printers.ts';
import { KUBECTL_GET, tabwrite } from './tabwriter.ts';

export interface TableRow {
  readonly namespace: string;
  readonly cells: readonly string[];
}

export interface TableOptions {
  readonly wide: boolean;
  /** -A / --all-namespaces: the NAMESPACE column. */
  readonly withNamespace: boolean;
}

const byKey = (a: TableRow, b: TableRow) =>
  a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : a.cells[0] < b.cells[0] ? -1 : 1;

/** The table as kubectl get prints it (each line newline-terminated). */
export function printTable(
  columns: Columns,
  rows: readonly TableRow[],
  opts: TableOptions,
): string {
  const names = opts.wide ? columns.names : columns.names.slice(0, columns.normal);
  const header = names.map((n) => n.toUpperCase());
  const lines = [opts.withNamespace ? ['NAMESPACE', ...header] : header];
  for (const r of [...rows].sort(byKey))
    lines.push(opts.withNamespace ? [r.namespace, ...r.cells] : [...r.cells]);
  return tabwrite(lines.map((l) => `${l.join('\t')}\n`).join(''), KUBECTL_GET);
}

/** What kubectl writes to stderr for an empty list. */
export function noResourcesFound(namespace: string | undefined): string {
  return namespace === undefined
    ? 'No resources found'
    : `No resources found in ${namespace} namespace.`;
}
