/**
 * The CLI's diagnostics (line:column, 1-based) as CodeMirror's (document
 * offsets): each covers the word it points at, so the squiggle sits under
 * the offending key or value, and says its place as `kubewire validate` does.
 */
import type { Text } from '@codemirror/state';
import type { Diagnostic as CmDiagnostic } from '@codemirror/lint';
import type { Diagnostic } from '@kubewire/sim-core';

/** The document offset of a 1-based line:column, clamped into the document and the line. */
export function offsetOf(doc: Text, line: number, column: number): number {
  const l = doc.line(Math.min(Math.max(1, Math.trunc(line) || 1), doc.lines));
  return Math.min(l.from + Math.max(0, (Math.trunc(column) || 1) - 1), l.to);
}

/** The run of non-blank characters from `from`, at most to the end of its line (at least one character when there is one). */
function wordEnd(doc: Text, from: number): number {
  const line = doc.lineAt(from);
  const rest = doc.sliceString(from, Math.min(line.to, from + 200));
  const m = /^\S+/.exec(rest);
  return from + (m ? m[0].length : Math.min(1, line.to - from));
}

export const place = (d: Diagnostic) => `${d.line}:${d.column}`;

export function toCmDiagnostics(
  doc: Text,
  errors: readonly Diagnostic[],
  warnings: readonly Diagnostic[],
): CmDiagnostic[] {
  const out: CmDiagnostic[] = [];
  const add = (d: Diagnostic, severity: 'error' | 'warning') => {
    const from = offsetOf(doc, d.line, d.column);
    out.push({
      from,
      to: wordEnd(doc, from),
      severity,
      source: 'kubewire validate',
      message: `${place(d)} ${d.message}${d.path ? ` (${d.path})` : ''}`,
    });
  };
  for (const d of errors) add(d, d.severity === 'warning' ? 'warning' : 'error');
  for (const d of warnings) add(d, 'warning');
  // CodeMirror wants them in document order.
  return out.sort((a, b) => a.from - b.from || a.to - b.to);
}
