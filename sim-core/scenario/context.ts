/**
 * Where diagnostics are collected. One Reporter per load (so every error in
 * every document ends up in one list), one DocContext per YAML document (so
 * each diagnostic knows which document it came from and can be located by
 * byte offset through the shared LineCounter).
 */
import type { Document, LineCounter, Node, Pair } from 'yaml';
import type { Diagnostic, SourcePos } from './types.ts';

export class Reporter {
  readonly errors: Diagnostic[] = [];
  // The same node may be read twice (e.g. an alias met on two paths); say it once.
  private readonly seen = new Set<string>();

  constructor(
    readonly lineCounter: LineCounter,
    /** The file's text, for locating errors inside a block scalar (an iptables-restore file). */
    readonly text = '',
  ) {}

  /** 1-based line/column of a byte offset into the file. */
  posAt(offset: number): SourcePos {
    const { line, col } = this.lineCounter.linePos(offset);
    return { line, column: col };
  }

  add(offset: number, raw: string, path?: string, document?: number): void {
    const message = shortened(raw);
    const key = `${offset}\0${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const pos = this.posAt(offset);
    this.errors.push({
      ...pos,
      message,
      ...(path ? { path } : {}),
      ...(document !== undefined ? { document } : {}),
    });
  }

  /** Errors ordered by position; ties keep the order they were found in. */
  sorted(): Diagnostic[] {
    return [...this.errors].sort((a, b) => a.line - b.line || a.column - b.column);
  }
}

/** Longer runs than this in a message (a 10,000-character name echoed back) are cut. */
const LONGEST_ECHO = 80;

/** A message with every overlong word cut to its start and its length: the error stays one readable line. */
export function shortened(message: string): string {
  return message.replace(
    new RegExp(`[^\\s"'(),]{${LONGEST_ECHO + 1},}`, 'g'),
    (run) => `${run.slice(0, 40)}… (${run.length} characters)`,
  );
}

/** Something that can be pointed at: a YAML node, a pair (its key), or an offset. */
export type Locatable = Node | Pair | number | null | undefined;

export class DocContext {
  constructor(
    readonly reporter: Reporter,
    readonly index: number,
    /** Offset used when nothing more precise is known (the document's start). */
    readonly fallbackOffset: number,
    /** The parsed document, needed to resolve aliases (`*anchor`). */
    readonly doc?: Document,
  ) {}

  offsetOf(at: Locatable): number {
    if (typeof at === 'number') return at;
    if (at && 'range' in at && at.range) return at.range[0];
    if (at && 'key' in at) return this.offsetOf(at.key as Node | null);
    return this.fallbackOffset;
  }

  pos(at: Locatable): SourcePos {
    return this.reporter.posAt(this.offsetOf(at));
  }

  error(at: Locatable, path: string, message: string): void {
    this.reporter.add(this.offsetOf(at), message, path, this.index);
  }
}
