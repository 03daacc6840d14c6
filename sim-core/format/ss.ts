/**
 * `ss -tan` (iproute2 6.1, misc/ss.c) for one network namespace: its TCP
 * sockets, listeners first (the kernel's listening hash is dumped before the
 * established one, which holds SYN-RECV and TIME-WAIT too).
 *
 * The layout is ss's own when its output is not a terminal (a pipe, a
 * file): every column as wide as its widest cell, header included, plus its
 * one-space left delimiter; addresses right-aligned against their ':' and
 * ports left-aligned after it, so `Peer Address:Port` closes up when no port
 * is longer than the header's "Port". The Process column is empty without
 * -p but still padded. On a terminal ss would also spread the spare screen
 * width over the columns. Checked against real output in
 * test/fixtures/ss-tan-*.txt.
 */
import type { Netns, Socket } from '../model.ts';

interface Column {
  readonly header: string;
  readonly align: 'left' | 'right';
  /** Printed before the cell when the line has started (ss's ldelim). */
  readonly delim: string;
}

// ss's columns[] with Netid disabled (only TCP is listed); the last, "Ext", is always empty here.
const COLUMNS: readonly Column[] = [
  { header: 'State', align: 'left', delim: ' ' },
  { header: 'Recv-Q', align: 'left', delim: ' ' },
  { header: 'Send-Q', align: 'left', delim: ' ' },
  { header: 'Local Address:', align: 'right', delim: ' ' },
  { header: 'Port', align: 'left', delim: '' },
  { header: 'Peer Address:', align: 'right', delim: ' ' },
  { header: 'Port', align: 'left', delim: '' },
  { header: 'Process', align: 'left', delim: '' },
  { header: '', align: 'left', delim: '' },
];

/** The queues as ss prints them: printf("%-6d"). */
const queue = (n: number | undefined) => String(n ?? 0).padEnd(6);
/** Port 0 (a listener's peer) is "*". */
const port = (p: number | undefined) => (p ? String(p) : '*');

function cells(s: Socket): string[] {
  return [
    s.state,
    queue(s.recvQ),
    queue(s.sendQ),
    `${s.localAddr}:`,
    port(s.localPort),
    `${s.peerAddr ?? '0.0.0.0'}:`,
    port(s.peerPort),
    '',
    '',
  ];
}

/** render_calc_width without a terminal: the widest cell, plus the delimiter after the first column. */
function widths(rows: readonly string[][]): number[] {
  return COLUMNS.map((c, i) => {
    const max = Math.max(...rows.map((r) => r[i].length));
    return i > 0 && max > 0 ? max + c.delim.length : max;
  });
}

/** render(): each cell after its delimiter, padded to the column's width on its alignment side. */
function line(row: readonly string[], width: readonly number[]): string {
  let out = '';
  row.forEach((cell, i) => {
    const c = COLUMNS[i];
    const delim = i > 0 ? c.delim : '';
    const pad = Math.max(0, width[i] - delim.length - cell.length);
    out += c.align === 'right' ? delim + ' '.repeat(pad) + cell : delim + cell + ' '.repeat(pad);
  });
  return out;
}

/** `ss -tan` output lines, header first. */
export function ssLines(ns: Netns): string[] {
  const tcp = (ns.sockets ?? []).filter((s) => s.protocol === 'tcp');
  const ordered = [
    ...tcp.filter((s) => s.state === 'LISTEN'),
    ...tcp.filter((s) => s.state !== 'LISTEN'),
  ];
  // The header line has no Ext cell (print_header stops before the last column).
  const rows = [COLUMNS.map((c) => c.header), ...ordered.map(cells)];
  const width = widths(rows);
  return rows.map((r) => line(r, width));
}

/** `ss -tan` output, as one string (no final newline). */
export function formatSs(ns: Netns): string {
  return ssLines(ns).join('\n');
}
