/**
 * Go's text/tabwriter (elastic tabstops), which kubectl prints its tables and
 * descriptions through. Text is cut into cells at tabs; a line's last cell
 * (not tab-terminated) is never padded. A *column block* is a run of
 * consecutive lines that all have a tab-terminated cell at the same index:
 * every cell of the block is padded to the block's widest cell plus
 * `padding`, but never narrower than `minwidth`. A line with fewer cells ends
 * the blocks to its right, so a heading without a tab ("Endpoints:") splits
 * the alignment above it from the alignment below it, as in
 * `kubectl describe`.
 *
 * kubectl's settings: `get` uses minwidth 6, padding 3 (printers.GetNewTabWriter,
 * liggitt/tabwriter with RememberWidths, which only matters across flushes);
 * `describe` uses minwidth 0, padding 2 (describe.tabbedString).
 */

export interface TabwriterOptions {
  readonly minwidth: number;
  readonly padding: number;
}

/** kubectl get's table writer. */
export const KUBECTL_GET: TabwriterOptions = { minwidth: 6, padding: 3 };
/** kubectl describe's writer. */
export const KUBECTL_DESCRIBE: TabwriterOptions = { minwidth: 0, padding: 2 };

/** Width as tabwriter counts it: UTF-8 runes. */
const runes = (s: string) => [...s].length;

/** Aligns tab-separated text as Go's tabwriter does after Flush. */
export function tabwrite(text: string, opts: TabwriterOptions): string {
  const lines = text.split('\n').map((l) => l.split('\t'));
  const widths: number[] = [];
  const out: string[] = [];

  const writeLines = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const cells = lines[i];
      let s = '';
      for (let j = 0; j < cells.length; j++) {
        s += cells[j];
        if (j < widths.length) s += ' '.repeat(Math.max(0, widths[j] - runes(cells[j])));
      }
      out.push(s);
    }
  };

  /** format() of text/tabwriter: the blocks of column `widths.length` within [line0, line1). */
  const format = (line0: number, line1: number) => {
    const column = widths.length;
    for (let i = line0; i < line1; i++) {
      if (column >= lines[i].length - 1) continue;
      writeLines(line0, i);
      line0 = i;
      let width = opts.minwidth;
      for (; i < line1 && column < lines[i].length - 1; i++)
        width = Math.max(width, runes(lines[i][column]) + opts.padding);
      widths.push(width);
      format(line0, i);
      widths.pop();
      // Like Go, the loop's i++ then skips the line that ended the block: it has no cell here.
      line0 = i;
    }
    writeLines(line0, line1);
  };

  format(0, lines.length);
  return out.join('\n');
}
