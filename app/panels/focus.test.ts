import { describe, expect, it } from 'vitest';
import { createSimulation } from '@kubewire/sim-core';
import { bigScenario } from '../../sim-core/bench/big-scenario.ts';
import { FILTER_CAP, FOCUS_FROM, focusNetns, pickShown } from './focus.ts';

const items = (n: number) => Array.from({ length: n }, (_, i) => `ns-${i}`);
const inFocus = (s: string) => s === 'ns-3' || s === 'ns-40';
const matches = (s: string, q: string) => s.includes(q);

describe('which sections a table panel shows', () => {
  it('a small cluster: all of them, whatever the filter', () => {
    expect(pickShown(items(FOCUS_FROM), 'ns-1', inFocus, matches)).toMatchObject({
      mode: 'all',
      items: items(FOCUS_FROM),
    });
  });

  it('a big cluster: those in focus, or the first matches of the filter', () => {
    expect(pickShown(items(100), '', inFocus, matches)).toMatchObject({
      mode: 'focus',
      items: ['ns-3', 'ns-40'],
      total: 100,
    });
    expect(pickShown(items(100), ' NS-4', inFocus, matches).items).toEqual([
      'ns-4',
      ...items(10).map((_, i) => `ns-4${i}`),
    ]);
    const many = pickShown(items(100), 'ns', inFocus, matches);
    expect(many).toMatchObject({ mode: 'filter', more: 100 - FILTER_CAP });
    expect(many.items).toHaveLength(FILTER_CAP);
  });

  it("a ping's focus: its step's netns and both pods with their hosts", () => {
    const result = createSimulation(bigScenario(10, 20, 1)); // ping p0 (node-1) → p13 (node-4)
    if (!result.ok) throw new Error('scenario');
    const sim = result.sim;
    const i = sim.steps.findIndex((s) => s.action === 0 && s.kind === 'transmit');
    const focus = focusNetns(sim, sim.stateAt(i), i);
    for (const id of ['node-1/default/p0', 'node-1', 'node-4/default/p13', 'node-4'])
      expect(focus).toContain(id);
    expect(focus.size).toBeLessThan(10);
  });
});
