import { describe, expect, it } from 'vitest';
import { formatHash, parseHash, parseStep } from './urlHash.ts';

describe('URL hash', () => {
  it('round-trips scenario and step', () => {
    expect(parseHash(formatHash('same-node', 7))).toEqual({ scenario: 'same-node', step: '7' });
  });

  it('[CHAL9] round-trips challenge mode, off unless asked for', () => {
    expect(parseHash(formatHash('cross-node-vxlan', 20, true))).toEqual({
      scenario: 'cross-node-vxlan',
      step: '20',
      challenge: true,
    });
    expect(formatHash('same-node', 7, false)).toBe('#scenario=same-node&step=7');
  });

  it('reads a hash with missing parts', () => {
    expect(parseHash('')).toEqual({ scenario: undefined, step: undefined });
    expect(parseHash('#step=3')).toEqual({ scenario: undefined, step: '3' });
  });

  it('accepts steps in range and explains the rest', () => {
    expect(parseStep('0', 10)).toBe(0);
    expect(parseStep('9', 10)).toBe(9);
    expect(parseStep(undefined, 10)).toBe(0);
    expect(parseStep('10', 10)).toMatch(/past the last step \(9\)/);
    expect(parseStep('-1', 10)).toMatch(/not a number/);
    expect(parseStep('abc', 10)).toMatch(/not a number/);
  });
});
