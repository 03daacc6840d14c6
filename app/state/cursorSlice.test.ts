import { beforeEach, describe, expect, it } from 'vitest';
import type { Simulation, Step } from '@kubewire/sim-core';
import { useStore } from './store.ts';

const step = (index: number, moves: boolean): Step => ({
  index,
  timeUs: index,
  kind: moves ? 'transmit' : 'arp',
  place: { node: 'n', netns: 'n' },
  from: moves ? { node: 'n', netns: 'n/p' } : undefined,
  summary: '',
  facts: { type: 'action.start', n: 1, kind: 'delete', pod: 'default/x', what: 'test' },
  touched: [],
  action: 0,
});

const sim = { steps: [step(0, false), step(1, true), step(2, true)] } as unknown as Simulation;

describe('cursor', () => {
  beforeEach(() => useStore.setState({ ...useStore.getInitialState(), sim }));

  it('animates a manual step forward once, and lands', () => {
    useStore.getState().stepForward();
    expect(useStore.getState()).toMatchObject({ step: 1, progress: 0, playing: false });
    useStore.getState().advance(650);
    expect(useStore.getState().progress).toBeCloseTo(0.5);
    useStore.getState().advance(10_000);
    expect(useStore.getState()).toMatchObject({ step: 1, progress: 1 });
  });

  it('plays through to the last step and stops', () => {
    useStore.getState().play();
    expect(useStore.getState()).toMatchObject({ step: 1, playing: true });
    for (let i = 0; i < 200; i++) useStore.getState().advance(50);
    expect(useStore.getState()).toMatchObject({ step: 2, progress: 1, playing: false });
  });

  it('speed scales the pace', () => {
    useStore.getState().setSpeed(4);
    useStore.getState().stepForward();
    useStore.getState().advance(1300 / 8);
    expect(useStore.getState().progress).toBeCloseTo(0.5);
  });

  it('stepping back and seeking land at once and clamp', () => {
    useStore.getState().seek(99);
    expect(useStore.getState()).toMatchObject({ step: 2, progress: 1 });
    useStore.getState().stepBack();
    useStore.getState().stepBack();
    useStore.getState().stepBack();
    expect(useStore.getState()).toMatchObject({ step: 0, progress: 1 });
  });
});
