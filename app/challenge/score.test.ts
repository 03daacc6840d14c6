import { describe, expect, it } from 'vitest';
import type { Question } from '@kubewire/sim-core';
import { scoreOf } from './score.ts';

const q = (step: number, device: number, reason: number): Question => ({
  step,
  kind: 'route',
  netns: 'node-1',
  prompt: '',
  devices: ['a', 'b', 'c'],
  device,
  reasons: [],
  reason,
  why: '',
});

describe('challenge score', () => {
  const questions = [q(5, 0, 1), q(9, 2, 0), q(12, 1, 1)];

  it('[CHAL8] a point for the right device and one for the right row; half an answer counts nothing', () => {
    const answers = new Map([
      [5, { device: 0, reason: 0 }],
      [9, { device: 2, reason: 0 }],
      [12, { device: 1 }],
    ]);
    expect(scoreOf(questions, answers, 11)).toMatchObject({
      answered: 2,
      devices: 2,
      reasons: 1,
      passed: 0,
      done: false,
    });
  });

  it('[CHAL8] questions passed without an answer end the round with the rest', () => {
    const answers = new Map([[12, { device: 0, reason: 1 }]]);
    const s = scoreOf(questions, answers, 12);
    expect(s).toMatchObject({ answered: 1, passed: 2, devices: 0, reasons: 1, done: true });
  });
});
