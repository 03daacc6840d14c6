/**
 * What a step did to its packet, for the inspector's before and after (Packet
 * Tracer's In and Out Layers): a NAT changed fields in place; a VXLAN encap
 * put four headers around the frame (outer Ethernet, IPv4, UDP, VXLAN: 50
 * bytes), a decap took them off. Pure: (step, decoded before) → marks.
 */
import type { Layer, Step } from '@kubewire/sim-core';
import { changedBytes, changedPaths, flattenLayers } from './fieldIndex.ts';

export interface Rewrite {
  readonly kind: 'nat' | 'encap' | 'decap';
  /** Paths (fieldIndex's numbering) marked in the tree before: changed, or stripped at decap. */
  readonly before: ReadonlySet<string>;
  /** Paths marked in the tree after: changed, or added at encap. */
  readonly after: ReadonlySet<string>;
  /** Byte offsets of the frame after that are new or different. */
  readonly bytes: ReadonlySet<number>;
  /** The frame after minus the frame before, in bytes (+50 at encap). */
  readonly delta: number;
}

/** How many layers, from the outside, belong to the tunnel: up to and including VXLAN. */
export function tunnelLayers(layers: readonly Layer[]): number {
  return layers.findIndex((l) => l.protocol === 'vxlan') + 1;
}

/** Every path in the first `count` layers of a tree. */
function outerPaths(layers: readonly Layer[], count: number): Set<string> {
  const out = new Set<string>();
  for (const f of flattenLayers(layers)) if (Number(f.path.split('.')[0]) < count) out.add(f.path);
  return out;
}

export function rewriteOf(step: Step, before: readonly Layer[]): Rewrite | null {
  if (!step.before || !step.frame || !step.layers) return null;
  const after = step.layers;
  const delta = step.frame.length - step.before.length;
  const added = tunnelLayers(after);
  if (step.kind === 'encap' && added > 0) {
    const innerStart = after[added]?.offset ?? step.frame.length;
    return {
      kind: 'encap',
      before: new Set(),
      after: outerPaths(after, added),
      bytes: new Set(Array.from({ length: innerStart }, (_, i) => i)),
      delta,
    };
  }
  const removed = tunnelLayers(before);
  if (step.kind === 'decap' && removed > 0)
    return {
      kind: 'decap',
      before: outerPaths(before, removed),
      after: new Set(),
      bytes: new Set(),
      delta,
    };
  const changed = changedPaths(before, after);
  return {
    kind: 'nat',
    before: changed,
    after: changed,
    bytes: changedBytes(step.before, step.frame),
    delta,
  };
}
