import { describe, expect, it } from 'vitest';
import type { Fact } from '@kubewire/sim-core';
import { factPanel, shownPanel } from './panelChoice.ts';

const fact = (f: object) => f as Fact;
const all = () => true;

describe('the tab a step shows', () => {
  it('names the table that decided the hop', () => {
    expect(factPanel(fact({ type: 'eps.write' }), 'iptables')).toBe('endpointslices');
    expect(factPanel(fact({ type: 'ipvs.schedule' }), 'ipvs')).toBe('ipvs');
    expect(factPanel(fact({ type: 'nf.nat' }), 'iptables')).toBe('iptables');
    expect(factPanel(fact({ type: 'nf.table' }), 'iptables')).toBe('iptables');
    expect(factPanel(fact({ type: 'kube-proxy.sync' }), 'ipvs')).toBe('ipvs');
    expect(factPanel(fact({ type: 'arp.reply' }), 'iptables')).toBeUndefined();
  });

  it('follows the step unless the pick was made at this step or is pinned', () => {
    const pick = { panel: 'services' as const, step: 3, pinned: false };
    expect(shownPanel(pick, 3, 'iptables', all, 'neighbors')).toBe('services');
    expect(shownPanel(pick, 4, 'iptables', all, 'neighbors')).toBe('iptables');
    expect(shownPanel(pick, 5, undefined, all, 'neighbors')).toBe('services');
    expect(shownPanel({ ...pick, pinned: true }, 4, 'iptables', all, 'neighbors')).toBe('services');
    // A named tab the cluster does not have is not followed; a hidden pick falls back.
    expect(shownPanel(pick, 4, 'ipvs', (p) => p !== 'ipvs', 'neighbors')).toBe('services');
    expect(shownPanel(pick, 4, undefined, (p) => p !== 'services', 'neighbors')).toBe('neighbors');
  });
});
