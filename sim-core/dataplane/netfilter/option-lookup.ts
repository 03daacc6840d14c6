/**
 * Which loaded extension an option like "--dport" belongs to. libxtables
 * merges each newly loaded extension's options in front of the older ones
 * (xtables_merge_options: base options, then the new, then the old), so the
 * most recently loaded match or target wins; getopt_long also accepts any
 * unambiguous prefix ("--to-dest" for "--to-destination").
 */
import type { Extension } from './extension.ts';

/** An extension loaded into the rule being parsed, with its in-progress state. */
export interface Loaded {
  readonly kind: 'match' | 'target';
  readonly ext: Extension<unknown, unknown>;
  readonly draft: unknown;
  readonly used: Set<string>;
}

export type Lookup =
  | { readonly found: Loaded; readonly option: string }
  | { readonly ambiguous: readonly string[] }
  | undefined;

export function lookupOption(
  name: string,
  loaded: readonly Loaded[],
  base: readonly string[],
): Lookup {
  if (base.includes(name)) return undefined;
  for (let i = loaded.length - 1; i >= 0; i--) {
    if (Object.hasOwn(loaded[i].ext.options, name)) return { found: loaded[i], option: name };
  }
  const candidates = new Map<string, { found: Loaded; option: string } | 'base'>();
  for (const b of base) if (b.startsWith(name)) candidates.set(b, 'base');
  for (let i = loaded.length - 1; i >= 0; i--) {
    for (const opt of Object.keys(loaded[i].ext.options)) {
      if (opt.startsWith(name) && !candidates.has(opt)) {
        candidates.set(opt, { found: loaded[i], option: opt });
      }
    }
  }
  if (candidates.size > 1) return { ambiguous: [...candidates.keys()] };
  const only = [...candidates.values()][0];
  return only === undefined || only === 'base' ? undefined : only;
}

/** The full base option a prefix stands for, if it stands for exactly one. */
export function expandBase(name: string, base: readonly string[]): string | undefined {
  if (base.includes(name)) return name;
  const hits = base.filter((b) => b.startsWith(name));
  return hits.length === 1 ? hits[0] : undefined;
}
