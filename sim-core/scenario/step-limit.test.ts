import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { createSimulation } from '../simulation.ts';

const text = readFileSync(
  new URL('../../public/scenarios/same-node.yaml', import.meta.url),
  'utf8',
);

/** createSimulation from a fresh module graph whose step limit is `steps`. */
async function withStepLimit(steps: number) {
  vi.resetModules();
  vi.doMock('./limits.ts', async (original) => {
    const real = await original<typeof import('./limits.ts')>();
    return { ...real, SCENARIO_LIMITS: { ...real.SCENARIO_LIMITS, steps } };
  });
  const { createSimulation: create } = await import('../simulation.ts');
  vi.doUnmock('./limits.ts');
  return create;
}

describe('the step limit', () => {
  it('[LIM8] a trace that passes the step limit is refused at the action playing, with the limit, and no partial trace', async () => {
    const full = createSimulation(text);
    if (!full.ok) throw new Error('same-node.yaml must simulate');
    const n = full.sim.steps.length;
    const limit = n - 10;
    // The step that would pass the limit belongs to this action; find its line in the YAML ourselves.
    const action = full.sim.steps[limit].action;
    const lines = text.split('\n');
    const actionLines = lines
      .map((l, i) => ({ i, m: /^\s+- (\w+):/.exec(l) }))
      .filter((x) => x.m && lines.slice(0, x.i).some((l) => /^\s+actions:/.test(l)));
    const expected = {
      line: actionLines[action].i + 1,
      column: lines[actionLines[action].i].indexOf('- ') + 3,
    };

    const create = await withStepLimit(limit);
    const r = create(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect('sim' in r).toBe(false);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject(expected);
    expect(r.errors[0].message).toContain(`the trace reached ${limit} steps, Kubewire's limit`);
    expect(r.errors[0].message).toContain(`action ${action + 1} (${actionLines[action].m![1]})`);

    // A trace of exactly the limit is allowed, and is the same trace.
    const exact = (await withStepLimit(n))(text);
    expect(exact.ok && exact.sim.steps.map((s) => s.summary)).toEqual(
      full.sim.steps.map((s) => s.summary),
    );
  });
});
