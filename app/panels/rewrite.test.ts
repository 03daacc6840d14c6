/**
 * The inspector's In and Out Layers at a VXLAN encap and decap: RFC 7348 §5
 * puts an outer Ethernet, IPv4, UDP and VXLAN header (14 + 20 + 8 + 8 = 50
 * bytes) around the whole inner frame; the reference captures (linux-reference
 * §2) show the same packet as 98 bytes on the pod's side and 148 on the node
 * network. A NAT step keeps its in-place field diff.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSimulation, decodeFrame, type Step } from '@kubewire/sim-core';
import { fixtureFrames } from '../../sim-core/test/fixtures/index.ts';
import { rewriteOf, tunnelLayers } from './rewrite.ts';

function steps(file: string): readonly Step[] {
  const text = readFileSync(new URL(`../../public/scenarios/${file}`, import.meta.url), 'utf8');
  const result = createSimulation(text);
  if (!result.ok) throw new Error(result.errors[0]?.message);
  return result.sim.steps;
}

const vxlan = steps('cross-node-vxlan.yaml');
const reference = {
  inner: fixtureFrames('cross-vxlan-cni0')[2].length,
  outer: fixtureFrames('cross-vxlan')[2].length,
};
const markedLayers = (marks: ReadonlySet<string>) =>
  [...marks].filter((p) => !p.includes('.')).map(Number);

describe('before and after at a tunnel step', () => {
  it('[VX6] encap: the four outer headers are added, 50 bytes, the inner frame untouched', () => {
    const step = vxlan.find((s) => s.kind === 'encap')!;
    const rw = rewriteOf(step, decodeFrame(step.before!))!;
    expect(rw.kind).toBe('encap');
    expect(rw.delta).toBe(reference.outer - reference.inner);
    expect(markedLayers(rw.after).map((i) => step.layers![i].protocol)).toEqual([
      'eth',
      'ipv4',
      'udp',
      'vxlan',
    ]);
    // Every field of the outer headers is new; none of the inner frame's is.
    expect([...rw.after].every((p) => Number(p.split('.')[0]) < 4)).toBe(true);
    expect([...rw.after].some((p) => p.startsWith('2.'))).toBe(true);
    expect(rw.before.size).toBe(0);
    expect([...rw.bytes].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('[VX7] decap: the same four headers are stripped, nothing in the inner frame changes', () => {
    const step = vxlan.find((s) => s.kind === 'decap')!;
    const before = decodeFrame(step.before!);
    const rw = rewriteOf(step, before)!;
    expect(rw.kind).toBe('decap');
    expect(rw.delta).toBe(reference.inner - reference.outer);
    expect(tunnelLayers(before)).toBe(4);
    expect(markedLayers(rw.before).map((i) => before[i].protocol)).toEqual([
      'eth',
      'ipv4',
      'udp',
      'vxlan',
    ]);
    expect(rw.after.size).toBe(0);
    expect(rw.bytes.size).toBe(0);
  });

  it('a DNAT stays an in-place rewrite: same length, the changed fields on both sides', () => {
    const step = steps('service-clusterip.yaml').find((s) => s.before && s.kind !== 'decap')!;
    const rw = rewriteOf(step, decodeFrame(step.before!))!;
    expect(rw.kind).toBe('nat');
    expect(rw.delta).toBe(0);
    expect(rw.before).toBe(rw.after);
    expect(rw.after.size).toBeGreaterThan(0);
  });
});
