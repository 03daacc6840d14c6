/**
 * A Snapshot's three ways to the same namespaces: the flat `netns` record, `netnsById`
 * and `netnsList`. The app's hot paths use the last two so a step on a big cluster does
 * not build the record; they must show the very objects the record holds, in its order.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../simulation.ts';
import { bigScenario } from '../bench/big-scenario.ts';

const result = createSimulation(bigScenario(3, 2, 2));
if (!result.ok) throw new Error(result.errors[0]?.message);
const sim = result.sim;

describe('Snapshot views of the namespaces', () => {
  it('netnsList and netnsById give the objects of the netns record, in its order', () => {
    for (const i of [0, Math.floor(sim.steps.length / 2), sim.steps.length - 1]) {
      const snap = sim.stateAt(i);
      const record = Object.values(snap.netns);
      // Three nodes with two pods each: a host per node from the start, the pods once created.
      expect(record.filter((n) => n.kind === 'host')).toHaveLength(3);
      if (i === sim.steps.length - 1)
        expect(record.filter((n) => n.kind === 'pod')).toHaveLength(6);
      expect(snap.netnsList()).toEqual(record);
      snap.netnsList().forEach((n, k) => expect(n).toBe(record[k]));
      for (const n of record) expect(snap.netnsById(n.id)).toBe(n);
      expect(snap.netnsById('no-such-node/default/x')).toBeUndefined();
    }
  });

  it('a namespace the step left alone is the same object in the next snapshot', () => {
    const last = sim.steps.length - 1;
    const [before, now] = [sim.stateAt(last - 1).netnsList(), sim.stateAt(last).netnsList()];
    expect(now.filter((n, k) => n === before[k]).length).toBeGreaterThan(now.length - 3);
  });

  it('a node part keeps its version exactly while its namespaces and pods stay the same objects', () => {
    const parts = [...sim.initial.nodes.map((n) => n.name), '@network'];
    const contents = (i: number, part: string) => {
      const snap = sim.stateAt(i);
      return [
        ...snap.netnsList().filter((n) => n.node === part),
        ...snap.pods.filter((p) => p.node === part),
      ];
    };
    let kept = 0;
    let changed = 0;
    for (let i = 1; i < sim.steps.length; i++)
      for (const part of parts) {
        const same = sim.stateAt(i).partVersion(part) === sim.stateAt(i - 1).partVersion(part);
        const [a, b] = [contents(i - 1, part), contents(i, part)];
        if (same) {
          kept++;
          expect(b).toHaveLength(a.length);
          b.forEach((x, k) => expect(x).toBe(a[k]));
        } else {
          changed++;
          // A new version means something in the part is another object (or gone, or new).
          expect(b.length !== a.length || b.some((x, k) => x !== a[k])).toBe(true);
        }
      }
    // Most steps touch one node or two: most parts keep their version, and some do not.
    expect(kept).toBeGreaterThan(changed);
    expect(changed).toBeGreaterThan(0);
  });
});
