import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSimulation, type Simulation } from '@kubewire/sim-core';
import { bigScenario } from '../../sim-core/bench/big-scenario.ts';
import { podSlots, topologyGeometry } from './layout.ts';
import { createLayoutAt } from './layoutAt.ts';
import { podRemovals } from './removals.ts';

function simulate(text: string): Simulation {
  const result = createSimulation(text);
  if (!result.ok) throw new Error(result.errors[0]?.message);
  return result.sim;
}

const scenario = (name: string) =>
  readFileSync(new URL(`../../public/scenarios/${name}.yaml`, import.meta.url), 'utf8');

function layouts(sim: Simulation) {
  const reference = sim.stateAt(sim.steps.length - 1);
  const geometry = topologyGeometry(reference, podSlots(sim.scenario.pods, reference));
  return { geometry, layoutAt: createLayoutAt(geometry, podRemovals(sim)) };
}

describe('layout at a step', () => {
  it('keeps the layout objects of nodes and pods a step did not change', () => {
    const sim = simulate(bigScenario(3, 4, 2));
    const { layoutAt } = layouts(sim);
    const traffic = sim.steps.findIndex((s) => s.action >= 0);
    let kept = 0;
    for (let i = traffic; i < traffic + 20; i++) {
      const before = layoutAt(sim.stateAt(i), i).nodes;
      const after = layoutAt(sim.stateAt(i + 1), i + 1).nodes;
      before.forEach((n, j) => {
        const next = after[j];
        n.pods.forEach((p, k) => {
          const q = next.pods[k];
          if (p.pod === q.pod && p.eth0 === q.eth0 && p.hostVeth === q.hostVeth) expect(q).toBe(p);
        });
        const podsKept = n.pods.every((p, k) => p === next.pods[k]);
        if (podsKept && n.hostNetns === next.hostNetns && n.node === next.node) {
          expect(next).toBe(n);
          kept++;
        }
      });
    }
    // Traffic between two pods leaves most of a 3-node cluster alone.
    expect(kept).toBeGreaterThan(20);
  });

  it('is a function of the step: scrubbing back gives what stepping gave', () => {
    const sim = simulate(scenario('cross-node-vxlan'));
    const { layoutAt } = layouts(sim);
    const shown = (i: number) => JSON.stringify(layoutAt(sim.stateAt(i), i).nodes);
    const at30 = shown(30);
    shown(60);
    shown(5);
    expect(shown(30)).toBe(at30);
  });

  it('stepping skips untouched nodes yet draws what a fresh layout of the step draws', () => {
    const sim = simulate(bigScenario(4, 3, 3));
    const { geometry, layoutAt } = layouts(sim);
    const keys = geometry.nodes.flatMap((g) => [
      ...(g.host ? [g.host.id, ...g.host.ifaces.map((f) => `${g.host!.id}#${f.name}`)] : []),
      ...g.pods.flatMap((p) => [p.netns, `${p.netns}#eth0`]),
    ]);
    const steps = [...Array(sim.steps.length).keys()].filter((i) => i % 7 === 0 || i > 150);
    for (const i of steps.slice(0, 120)) {
      const stepped = layoutAt(sim.stateAt(i), i);
      const fresh = createLayoutAt(geometry, podRemovals(sim))(sim.stateAt(i), i);
      expect(JSON.stringify(stepped.nodes)).toBe(JSON.stringify(fresh.nodes));
      for (const k of keys) expect(stepped.anchors.get(k)).toEqual(fresh.anchors.get(k));
    }
    // The anchors name real places: every pod's eth0 once it has one.
    const end = layoutAt(sim.stateAt(sim.steps.length - 1), sim.steps.length - 1);
    for (const p of end.nodes.flatMap((n) => n.pods))
      expect(end.anchors.get(`${p.netns}#eth0`)).toEqual(p.eth0At);
  });

  it('tells a pod not created yet from a deleted one', () => {
    const sim = simulate(scenario('pod-lifecycle'));
    const { layoutAt } = layouts(sim);
    const removedAt = podRemovals(sim).get('default/batch');
    expect(removedAt).toBeGreaterThan(0);
    const batch = (i: number) =>
      layoutAt(sim.stateAt(i), i)
        .nodes.flatMap((n) => n.pods)
        .find((p) => p.key === 'default/batch');
    expect(batch(0)).toMatchObject({ pod: undefined, deleted: false });
    expect(batch(removedAt! - 1)?.pod).toBeDefined();
    expect(batch(removedAt!)).toMatchObject({ pod: undefined, deleted: true });
    expect(batch(sim.steps.length - 1)).toMatchObject({ deleted: true });
  });

  it('lays a big cluster out in more columns than a small one', () => {
    const small = layouts(simulate(scenario('cross-node-vxlan'))).geometry;
    const big = layouts(simulate(bigScenario(12, 2, 1))).geometry;
    const rows = (g: typeof small) => new Set(g.nodes.map((n) => n.y)).size;
    expect(rows(small)).toBe(1);
    expect(big.nodes.length / rows(big)).toBeGreaterThan(3);
  });
});
