/**
 * Where diagnostics are collected. One Reporter per load (so every error in
 * every document ends up in one list), one DocContext per YAML document (so
 * each diagnostic knows which document it came from and can be located by
 * byte offset through the shared LineCounter).
 */
import { isScalar } from 'yaml';
import type { Document, LineCounter, Node, Pair, YAMLMap } from 'yaml';
import type { Diagnostic, IgnoredField, SourcePos } from './types.ts';

/** A mapping of a Kubernetes object, and which of its keys something read. */
interface Tracked {
  readonly ctx: DocContext;
  readonly path: string;
  readonly pairs: readonly (readonly [string, Pair])[];
  readonly read: Set<string>;
}

export class Reporter {
  readonly errors: Diagnostic[] = [];
  readonly warnings: Diagnostic[] = [];
  private readonly tracked = new Map<YAMLMap, Tracked>();
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

  /** A warning: said where it applies, never a reason to refuse the file. */
  warn(offset: number, raw: string, path?: string, document?: number): void {
    const message = shortened(raw);
    const key = `w${offset}\0${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.warnings.push({
      ...this.posAt(offset),
      message,
      severity: 'warning',
      ...(path ? { path } : {}),
      ...(document !== undefined ? { document } : {}),
    });
  }

  /** Errors ordered by position; ties keep the order they were found in. */
  sorted(): Diagnostic[] {
    return [...this.errors].sort(byPosition);
  }

  sortedWarnings(): Diagnostic[] {
    return [...this.warnings].sort(byPosition);
  }

  /**
   * The keys read so far of a Kubernetes object's mapping: one set per
   * mapping, however many times it is read.
   */
  track(ctx: DocContext, node: YAMLMap, path: string, pairs: Map<string, Pair>): Set<string> {
    let t = this.tracked.get(node);
    if (!t) {
      t = { ctx, path, pairs: [...pairs], read: new Set() };
      this.tracked.set(node, t);
    }
    return t.read;
  }

  /** Fields of Kubernetes objects that nothing read, with a value (an empty one loses nothing). */
  ignored(): IgnoredField[] {
    const out: IgnoredField[] = [];
    for (const t of this.tracked.values()) {
      for (const [key, pair] of t.pairs) {
        if (t.read.has(key) || isEmptyValue(pair.value)) continue;
        const path = t.path ? `${t.path}.${key}` : key;
        out.push({ ...t.ctx.pos(pair.key as Node), path, document: t.ctx.index });
      }
    }
    return out.sort(byPosition);
  }
}

function byPosition(a: SourcePos, b: SourcePos): number {
  return a.line - b.line || a.column - b.column;
}

/** null, ~, {} and []: nothing to ignore. */
function isEmptyValue(v: unknown): boolean {
  if (v == null) return true;
  if (isScalar(v)) return v.value === null;
  const items = (v as { items?: unknown[] }).items;
  return Array.isArray(items) && items.length === 0;
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
  /**
   * True for Kubernetes objects (set once the kind is known): unknown fields
   * are warnings and unread ones are listed as ignored. Kubewire's own kinds
   * (Cluster, Scenario) stay strict.
   */
  lenient = false;

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

  warn(at: Locatable, path: string, message: string): void {
    this.reporter.warn(this.offsetOf(at), message, path, this.index);
  }
}
