import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSimulation } from '@kubewire/sim-core';
import { netnsTitle } from './NetnsTitle.tsx';
import { orderedNetns, tableNetns } from './netnsOrder.ts';
import { focusNetns } from './focus.ts';

const nodeport = readFileSync(
  new URL('../../public/scenarios/service-nodeport.yaml', import.meta.url),
  'utf8',
);

describe('the laptop outside the cluster in the table panels', () => {
  const r = createSimulation(nodeport);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  const sim = r.sim;
  const end = sim.stateAt(sim.steps.length - 1);

  it('is listed after every node and pod, and the node network switch is not', () => {
    const ids = orderedNetns(end).map((ns) => ns.id);
    expect(ids[0]).toBe('node-1');
    expect(ids.at(-1)).toBe('laptop');
    expect(tableNetns(end).some((ns) => ns.kind === 'network')).toBe(false);
    // Both web pods run on node-2 (the Local policy's point): after node-2's host netns.
    expect(ids.slice(1, 3)).toEqual(['node-2', expect.stringMatching(/^node-2\/default\/web-/)]);
  });

  it('is titled by its name as a machine outside the cluster, not as a pod', () => {
    const laptop = end.netnsById('laptop')!;
    expect(netnsTitle(laptop)).toEqual({
      title: 'laptop',
      subtitle: 'outside the cluster · on the node network',
    });
    expect(netnsTitle(end.netnsById('node-1')!).subtitle).toBe('host network namespace');
  });

  it('is in focus while its connection runs (the action names it as `from`)', () => {
    const i = sim.steps.findIndex((s) => s.action === 0 && s.place.netns !== 'laptop');
    expect(i).toBeGreaterThan(0);
    expect(focusNetns(sim, sim.stateAt(i), i).has('laptop')).toBe(true);
  });
});
