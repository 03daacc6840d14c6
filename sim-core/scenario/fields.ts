/**
 * Typed, located reads from a YAML mapping. Every read either returns a value
 * of the expected type or records a diagnostic pointing at the offending node
 * (the value for bad values, the key for unknown fields, the enclosing map for
 * missing ones) and returns undefined, so callers just carry on and every
 * error in the file gets reported in one pass.
 */
import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Node, Pair, YAMLMap } from 'yaml';
import type { DocContext, Locatable } from './context.ts';
import { closest, didYouMean } from './suggest.ts';

/**
 * Follow an alias (`*anchor`) to the node it names. Anchors are scoped to one
 * document, so `*web` after a `---` names nothing: reported, read as empty.
 */
export function deref(ctx: DocContext, node: unknown, path: string): Node | null | undefined {
  if (!isAlias(node)) return (node as Node | null) ?? null;
  const target = ctx.doc ? (node.resolve(ctx.doc) as Node | undefined) : undefined;
  if (target === undefined) {
    const msg = `*${node.source} refers to no anchor &${node.source} in this document (anchors do not reach across ---)`;
    ctx.error(node, path, msg);
    return undefined;
  }
  return target;
}

/** What a node is, in words, for "must be X, not Y" messages. */
export function describe(node: Node | null): string {
  if (node === null) return 'empty';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return 'empty';
    if (typeof v === 'number' || typeof v === 'bigint')
      return `a number (${typeof node.source === 'string' && node.source ? node.source : String(v)})`;
    if (typeof v === 'boolean') return `true/false (${String(v)})`;
    if (typeof v === 'string') return `a string ("${v}")`;
  }
  return 'something else';
}

export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base ? `${base}.${key}` : key;
}

/** Null and `~` mean "not set", as in Kubernetes. */
function isEmpty(node: Node | null | undefined): boolean {
  return node == null || (isScalar(node) && node.value === null);
}

export interface IntOptions {
  readonly min?: number;
  readonly max?: number;
  /** Message for a whole number outside [min, max]. */
  readonly range?: (value: number) => string;
}

/** A YAML mapping read as an object with a known set of fields. */
export class Fields {
  private readonly pairs = new Map<string, Pair>();
  /** Fields an unknown key was taken for a typo of: not also reported as missing. */
  private readonly suggested = new Set<string>();
  /** Lenient objects only: the keys something read (the rest are listed as ignored). */
  private readonly read: Set<string> | undefined;

  /**
   * @param allowed field names accepted here, or 'any' for free-form maps
   *   (labels); anything else is reported as unknown at its key.
   * @param what how the enclosing object is named in messages ("a node").
   */
  constructor(
    readonly ctx: DocContext,
    readonly node: YAMLMap,
    readonly path: string,
    allowed: readonly string[] | 'any',
    what: string,
  ) {
    for (const pair of node.items as Pair[]) {
      const key = pair.key as Node | null;
      if (!isScalar(key) || typeof key.value !== 'string') {
        ctx.error(key, path, `field names in ${what} must be plain words, not ${describe(key)}`);
        continue;
      }
      if (allowed !== 'any' && !allowed.includes(key.value)) {
        const guess = closest(key.value, allowed);
        if (ctx.lenient) {
          // A Kubernetes object: never refused for a field, but a typo of one we read is said (MAN6).
          const msg =
            guess === undefined
              ? `unknown field '${key.value}' in ${what}: Kubewire does not know it and ignores it`
              : `unknown field '${key.value}' in ${what}; did you mean '${guess}'? It is ignored`;
          ctx.warn(key, joinPath(path, key.value), msg);
          continue;
        }
        if (guess !== undefined) this.suggested.add(guess);
        const msg = `unknown field '${key.value}' in ${what}${didYouMean(key.value, allowed)}`;
        ctx.error(key, joinPath(path, key.value), msg);
        continue;
      }
      this.pairs.set(key.value, pair);
    }
    if (ctx.lenient) this.read = ctx.reporter.track(ctx, node, path, this.pairs);
  }

  /** Field names present (and allowed), in the order written. */
  keys(): string[] {
    for (const k of this.pairs.keys()) this.read?.add(k);
    return [...this.pairs.keys()];
  }

  p(key: string): string {
    return joinPath(this.path, key);
  }

  keyNode(key: string): Node | undefined {
    return this.pairs.get(key)?.key as Node | undefined;
  }

  /** The value node; undefined when the field is absent or empty. */
  value(key: string): Node | undefined {
    this.read?.add(key);
    const pair = this.pairs.get(key);
    const v = pair ? deref(this.ctx, pair.value, this.p(key)) : null;
    return isEmpty(v) ? undefined : (v as Node);
  }

  /** Best place to point at for this field: its value, else its key, else the map. */
  at(key: string): Locatable {
    return this.value(key) ?? this.keyNode(key) ?? this.node;
  }

  has(key: string): boolean {
    return this.value(key) !== undefined;
  }

  /** Report a required field that is absent or empty. */
  missing(key: string, message: string): void {
    if (this.suggested.has(key)) return;
    this.ctx.error(this.keyNode(key) ?? this.node, this.p(key), message);
  }

  private wrongType(key: string, expected: string): void {
    const v = this.value(key) ?? null;
    let hint = '';
    if (expected === 'a string' && isScalar(v) && v.value !== null) {
      hint = `; put it in quotes: "${String(v.source ?? v.value)}"`;
    }
    this.ctx.error(
      v ?? this.at(key),
      this.p(key),
      `${this.p(key)} must be ${expected}, not ${describe(v)}${hint}`,
    );
  }

  /** A string value; `required` is the message when it is missing. */
  str(key: string, required?: string): string | undefined {
    const v = this.value(key);
    if (v === undefined) {
      if (required) this.missing(key, required);
      return undefined;
    }
    if (!isScalar(v) || typeof v.value !== 'string') {
      this.wrongType(key, 'a string');
      return undefined;
    }
    return v.value;
  }

  /** A whole number within [min, max]. */
  int(key: string, opts: IntOptions = {}, required?: string): number | undefined {
    const v = this.value(key);
    if (v === undefined) {
      if (required) this.missing(key, required);
      return undefined;
    }
    // `1.0` and `1e3` are whole in value but written as floats: refused, as Go's JSON decoder refuses them for an int.
    const written = (v as { source?: unknown } | undefined)?.source;
    if (
      !isScalar(v) ||
      typeof v.value !== 'number' ||
      !Number.isInteger(v.value) ||
      (typeof written === 'string' && /[.eE]/.test(written) && !/^0x/i.test(written))
    ) {
      this.wrongType(key, 'a whole number');
      return undefined;
    }
    const n = v.value;
    const { min = -Infinity, max = Infinity } = opts;
    if (n < min || n > max) {
      const msg = opts.range
        ? opts.range(n)
        : `${this.p(key)} must be between ${min} and ${max}, not ${n}`;
      this.ctx.error(v, this.p(key), msg);
      return undefined;
    }
    return n;
  }

  /** One of a fixed set of strings. */
  oneOf<T extends string>(key: string, values: readonly T[], what: string): T | undefined {
    const s = this.str(key);
    if (s === undefined) return undefined;
    if (!(values as readonly string[]).includes(s)) {
      const msg = `${what} '${s}' is not one of ${values.join(', ')}${didYouMean(s, values)}`;
      this.ctx.error(this.value(key), this.p(key), msg);
      return undefined;
    }
    return s as T;
  }

  /** A nested mapping with its own allowed fields. */
  map(
    key: string,
    allowed: readonly string[] | 'any',
    what: string,
    required?: string,
  ): Fields | undefined {
    const v = this.value(key);
    if (v === undefined) {
      if (required) this.missing(key, required);
      return undefined;
    }
    return asFields(this.ctx, v, this.p(key), allowed, what);
  }

  /** A list; its items are returned with their paths, aliases resolved. */
  list(key: string, required?: string): { node: Node | null; path: string }[] | undefined {
    const v = this.value(key);
    if (v === undefined) {
      if (required) this.missing(key, required);
      return undefined;
    }
    if (!isSeq(v)) {
      this.wrongType(key, 'a list');
      return undefined;
    }
    // An item that is a broken alias was reported by deref: skip it.
    return v.items.flatMap((item, i) => {
      const path = joinPath(this.p(key), i);
      const node = deref(this.ctx, item, path);
      return node === undefined ? [] : [{ node, path }];
    });
  }
}

/** Read `node` as a mapping, or report that it is not one. */
export function asFields(
  ctx: DocContext,
  node: Node | null,
  path: string,
  allowed: readonly string[] | 'any',
  what: string,
): Fields | undefined {
  if (!isMap(node)) {
    const where = path ? `${path} ` : '';
    ctx.error(
      node,
      path,
      `${where || `${what} `}must be a mapping (key: value pairs), not ${describe(node)}`,
    );
    return undefined;
  }
  return new Fields(ctx, node, path, allowed, what);
}

/** A field that is true or false; undefined (and a located error) for anything else. */
export function readBool(body: Fields, key: string): boolean | undefined {
  const v = body.value(key);
  if (v === undefined) return undefined;
  if (isScalar(v) && typeof v.value === 'boolean') return v.value;
  body.ctx.error(v, body.p(key), `${body.p(key)} must be true or false, not ${describe(v)}`);
  return undefined;
}
