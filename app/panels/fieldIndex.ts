/** The layer tree flattened with stable paths, and the field that owns a byte. */
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
