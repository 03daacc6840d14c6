/** The layer tree flattened with stable paths, the field that owns a byte, and what a rewrite changed. */
import type { Field, Layer } from '@kubewire/sim-core';

export interface FlatField {
  /** "2" for a layer, "2.5" for its sixth field, "2.5.0" for that field's first child. */
  readonly path: string;
  readonly label: string;
  readonly offset: number;
  readonly length: number;
  readonly depth: number;
}

function walk(fields: readonly Field[], prefix: string, depth: number, out: FlatField[]): void {
  fields.forEach((f, i) => {
    const path = `${prefix}.${i}`;
    out.push({ path, label: f.label, offset: f.offset, length: f.length, depth });
    if (f.children) walk(f.children, path, depth + 1, out);
  });
}

export function flattenLayers(layers: readonly Layer[]): FlatField[] {
  const out: FlatField[] = [];
  layers.forEach((layer, i) => {
    out.push({
      path: `${i}`,
      label: layer.title,
      offset: layer.offset,
      length: layer.length,
      depth: 0,
    });
    walk(layer.fields, `${i}`, 1, out);
  });
  return out;
}

/** The most specific field covering a byte: the shortest, then the deepest. */
export function fieldAt(flat: readonly FlatField[], offset: number): FlatField | undefined {
  let best: FlatField | undefined;
  for (const f of flat) {
    if (f.length <= 0 || offset < f.offset || offset >= f.offset + f.length) continue;
    if (!best || f.length < best.length || (f.length === best.length && f.depth > best.depth))
      best = f;
  }
  return best;
}

/**
 * The tree paths (as flattenLayers numbers them) whose value differs between
 * two decodings of the same packet — before and after a NAT rewrite, say:
 * a field whose value or whose children changed, a layer whose title did
 * (Wireshark's titles carry the addresses and ports). A field with no
 * counterpart at the same path in `before` counts as changed.
 */
export function changedPaths(before: readonly Layer[], after: readonly Layer[]): Set<string> {
  const out = new Set<string>();
  const fields = (
    a: readonly Field[] | undefined,
    b: readonly Field[],
    prefix: string,
  ): boolean => {
    let any = false;
    b.forEach((f, i) => {
      const path = `${prefix}.${i}`;
      const old = a?.[i];
      const childChanged = f.children ? fields(old?.children, f.children, path) : false;
      if (!old || old.name !== f.name || old.value !== f.value || childChanged) {
        out.add(path);
        any = true;
      }
    });
    return any;
  };
  after.forEach((layer, i) => {
    const old = before[i];
    const inner = fields(
      old?.protocol === layer.protocol ? old.fields : undefined,
      layer.fields,
      `${i}`,
    );
    if (!old || old.title !== layer.title || inner) out.add(`${i}`);
  });
  return out;
}

/** The byte offsets at which two frames differ (a longer frame's extra bytes included). */
export function changedBytes(before: Uint8Array, after: Uint8Array): Set<number> {
  const out = new Set<number>();
  const n = Math.max(before.length, after.length);
  for (let i = 0; i < n; i++) if (before[i] !== after[i]) out.add(i);
  return out;
}
