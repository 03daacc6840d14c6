import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { useStore } from './store.ts';

const sameNode = readFileSync(
  new URL('../../public/scenarios/same-node.yaml', import.meta.url),
  'utf8',
);

describe('scenario slice', () => {
  beforeEach(() => useStore.setState(useStore.getInitialState()));

  it('a refused text keeps the last good simulation and the user text', () => {
    expect(useStore.getState().applyText('same-node', sameNode, 5)).toBe(true);
    const good = useStore.getState().sim;
    expect(useStore.getState().step).toBe(5);

    useStore.getState().setDraft('kind: [unclosed');
    expect(useStore.getState().applyDraft()).toBe(false);
    const s = useStore.getState();
    expect(s.sim).toBe(good);
    expect(s.step).toBe(5);
    expect(s.draft).toBe('kind: [unclosed');
    expect(s.errors.length).toBeGreaterThan(0);
    expect(s.errors[0].line).toBeGreaterThan(0);
  });

  it('a good edit becomes the custom scenario and clears the errors', () => {
    useStore.getState().applyText('same-node', sameNode);
    useStore.getState().setDraft(sameNode.replace(/pod-b/g, 'pod-z'));
    expect(useStore.getState().applyDraft()).toBe(true);
    const s = useStore.getState();
    expect(s.scenarioId).toBe('custom');
    expect(s.errors).toEqual([]);
    expect(s.sim?.initial).toBeDefined();
    expect(s.sim?.scenario.pods.map((p) => p.name)).toContain('pod-z');
  });
});
