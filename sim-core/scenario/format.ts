/**
 * Diagnostics in the compiler style editors and CI logs understand:
 * `file.yaml:12:7: error: message`, one per line, so a terminal can jump
 * straight to the spot.
 */
import type { Diagnostic } from './types.ts';

export function formatDiagnostic(d: Diagnostic, fileName: string): string {
  // Messages are single-line by construction; fold any stray newline so one
  // diagnostic never spans two lines of output.
  const message = d.message.replace(/\s*\n\s*/g, ' ');
  return `${fileName}:${d.line}:${d.column}: ${d.severity ?? 'error'}: ${message}`;
}

/** One line per diagnostic, in the order given (loadScenario sorts by position). */
export function formatDiagnostics(errors: readonly Diagnostic[], fileName: string): string {
  return errors.map((d) => formatDiagnostic(d, fileName)).join('\n');
}
