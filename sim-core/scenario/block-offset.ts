/**
 * Where a position inside a multi-line string value is in the file, so an
 * error in an embedded document (an iptables-restore file under `iptables: |`)
 * points at its own line and column in the scenario. Exact for block
 * literals (`|`, `|-`, `|+`); any other style points at the value itself.
 */
import { isScalar, type Node } from 'yaml';
import type { DocContext } from './context.ts';

export function offsetInValue(
  ctx: DocContext,
  node: Node | undefined,
  line: number,
  column: number,
): number {
  const start = ctx.offsetOf(node);
  if (!node || !isScalar(node) || node.type !== 'BLOCK_LITERAL') return start;
  const { lineCounter, text } = ctx.reporter;
  const header = lineCounter.linePos(start).line; // the line holding `|`
  const lineStart = lineCounter.lineStarts[header + line - 1];
  if (lineStart === undefined || !text) return start;
  // The block's indentation is that of its first non-empty content line.
  let indent = 0;
  for (let l = header; l < lineCounter.lineStarts.length; l++) {
    const s = lineCounter.lineStarts[l];
    const rest = text.slice(s, text.indexOf('\n', s) === -1 ? undefined : text.indexOf('\n', s));
    if (rest.trim() === '') continue;
    indent = rest.length - rest.trimStart().length;
    break;
  }
  return lineStart + indent + column - 1;
}
