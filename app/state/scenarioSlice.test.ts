import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { toTransfer } from '@kubewire/sim-core';
import { useStore } from './store.ts';
import { CANCELLED_NOTICE } from './scenarioSlice.ts';
import { simulate } from './simulateHere.ts';
import type { WorkerReply, WorkerRequest } from './sim.worker.ts';

const scenario = (name: string) =>
  readFileSync(new URL(`../../public/scenarios/${name}`, import.meta.url), 'utf8');
const sameNode = scenario('same-node.yaml');
const crossNode = scenario('cross-node-vxlan.yaml');

describe('scenario slice', () => {
  beforeEach(() => useStore.setState(useStore.getInitialState()));

  it('a refused text keeps the last good simulation and the user text', async () => {
    expect(await useStore.getState().applyText('same-node', sameNode, 5)).toBe(true);
    const good = useStore.getState().sim;
    expect(useStore.getState().step).toBe(5);

    useStore.getState().setDraft('kind: [unclosed');
    expect(await useStore.getState().applyDraft()).toBe(false);
    const s = useStore.getState();
    expect(s.sim).toBe(good);
    expect(s.step).toBe(5);
    expect(s.draft).toBe('kind: [unclosed');
    expect(s.errors.length).toBeGreaterThan(0);
    expect(s.errors[0].line).toBeGreaterThan(0);
  });

  it('a good edit becomes the custom scenario and clears the errors', async () => {
    await useStore.getState().applyText('same-node', sameNode);
    useStore.getState().setDraft(sameNode.replace(/pod-b/g, 'pod-z'));
    expect(await useStore.getState().applyDraft()).toBe(true);
    const s = useStore.getState();
    expect(s.scenarioId).toBe('custom');
    expect(s.errors).toEqual([]);
    expect(s.sim?.initial).toBeDefined();
    expect(s.sim?.scenario.pods.map((p) => p.name)).toContain('pod-z');
    expect(s.simulating).toBeNull();
  });
});

/**
 * A stand-in for the browser's Worker (node has none): it runs sim.worker.ts's
 * protocol a task later, posting progress and the payload after a structured
 * clone, as postMessage does. terminate() stops it before it answers.
 */
class FakeWorker extends EventTarget {
  static spawned = 0;
  static terminated = 0;
  private stopped = false;
  constructor() {
    super();
    FakeWorker.spawned++;
  }
  postMessage({ id, text }: WorkerRequest): void {
    setTimeout(() => {
      if (this.stopped) return;
      const reply = (data: WorkerReply) =>
        this.dispatchEvent(new MessageEvent('message', { data: structuredClone(data) }));
      const progress: WorkerReply[] = [];
      const r = simulate(text, (p) => progress.push({ id, type: 'progress', progress: p }));
      for (const p of progress.slice(-2)) reply(p);
      if (!r.ok) return reply({ id, type: 'errors', errors: r.errors, warnings: r.warnings });
      reply({ id, type: 'done', payload: toTransfer(r.sim), warnings: r.warnings });
    }, 0);
  }
  terminate(): void {
    this.stopped = true;
    FakeWorker.terminated++;
  }
}

describe('scenario slice with the simulation in a worker', () => {
  beforeEach(() => {
    useStore.setState(useStore.getInitialState());
    vi.stubGlobal('Worker', FakeWorker);
  });
  afterEach(() => vi.unstubAllGlobals());

  it('shows progress while it runs, then the trace; the worker is reused', async () => {
    const spawned = FakeWorker.spawned;
    const first = useStore.getState().applyText('same-node', sameNode, 3);
    expect(useStore.getState().simulating?.id).toBe('same-node');
    expect(useStore.getState().sim).toBeNull();
    expect(await first).toBe(true);
    const s = useStore.getState();
    expect(s.simulating).toBeNull();
    expect(s.step).toBe(3);
    // The trace that crossed the clone is the one this thread would have made.
    const here = simulate(sameNode);
    expect(here.ok && s.sim?.exportPcap()).toEqual(here.ok && here.sim.exportPcap());
    expect(await useStore.getState().applyText('cross-node-vxlan', crossNode)).toBe(true);
    expect(FakeWorker.spawned - spawned).toBeLessThanOrEqual(1);
  });

  it('Cancel keeps the shown simulation and the draft, with a notice', async () => {
    await useStore.getState().applyText('same-node', sameNode);
    const shown = useStore.getState().sim;
    const edit = sameNode.replace(/pod-b/g, 'pod-z');
    useStore.getState().setDraft(edit);
    const terminated = FakeWorker.terminated;
    const applying = useStore.getState().applyDraft();
    expect(useStore.getState().simulating).not.toBeNull();
    useStore.getState().cancelSimulation();
    expect(await applying).toBe(false);
    const s = useStore.getState();
    expect(FakeWorker.terminated).toBe(terminated + 1);
    expect(s.sim).toBe(shown);
    expect(s.scenarioId).toBe('same-node');
    expect(s.draft).toBe(edit);
    expect(s.simulating).toBeNull();
    expect(s.notice).toBe(
      `${CANCELLED_NOTICE}. The previous scenario is still shown; your edits are kept.`,
    );
    // The next run gets a fresh worker and clears the stale notice.
    expect(await useStore.getState().applyDraft()).toBe(true);
    expect(useStore.getState().scenarioId).toBe('custom');
    expect(useStore.getState().notice).toBeNull();
  });

  it('a newer apply supersedes the older one: its result is never shown', async () => {
    const older = useStore.getState().runText('cross-node-vxlan', crossNode);
    const newer = useStore.getState().runText('same-node', sameNode);
    expect(await older).toBe('superseded');
    expect(await newer).toBe('ok');
    const s = useStore.getState();
    expect(s.scenarioId).toBe('same-node');
    expect(s.sim?.scenario.pods.map((p) => p.name)).toEqual(['pod-a', 'pod-b']);
    expect(s.notice).toBeNull();
  });

  it('text typed into the editor while the simulation runs is kept', async () => {
    await useStore.getState().applyText('same-node', sameNode);
    const edit = sameNode.replace(/pod-b/g, 'pod-z');
    useStore.getState().setDraft(edit);
    const applying = useStore.getState().applyDraft();
    const typing = edit + '# more\n';
    useStore.getState().setDraft(typing);
    expect(await applying).toBe(true);
    const s = useStore.getState();
    expect(s.sourceText).toBe(edit);
    expect(s.draft).toBe(typing);
  });

  it('a refused text through the worker lists its located errors', async () => {
    await useStore.getState().applyText('same-node', sameNode);
    expect(await useStore.getState().runText('custom', 'kind: [unclosed', 0, 'bad.yaml')).toBe(
      'refused',
    );
    const s = useStore.getState();
    expect(s.scenarioId).toBe('same-node');
    expect(s.refused?.source).toBe('bad.yaml');
    expect(s.errors[0].line).toBe(1);
  });
});
