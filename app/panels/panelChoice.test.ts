import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSimulation, type Fact } from '@kubewire/sim-core';
import { factPanel, shownPanel, stepPanel } from './panelChoice.ts';

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

describe('the kernel table that decided a hop (issue 9 item 2)', () => {
  const text = readFileSync(
    new URL('../../public/scenarios/cross-node-vxlan.yaml', import.meta.url),
    'utf8',
  );
  const result = createSimulation(text);
  if (!result.ok) throw new Error(result.errors[0]?.message);
  const { steps } = result.sim;
  const first = (pred: (s: (typeof steps)[number]) => boolean) => steps.find(pred)!;

  it('an FDB forward names the FDB, an encap flannel.1 fdb row, a route the routes, ARP the neighbours', () => {
    const forward = first((s) => s.kind === 'fdb-forward');
    expect(stepPanel(forward, 'iptables', false)).toBe('fdb');
    // The row that decided it is the step's lookup.
    expect(forward.touched.some((t) => t.table === 'fdb' && t.change === 'read')).toBe(true);
    const encap = first((s) => s.kind === 'encap');
    expect(stepPanel(encap, 'iptables', false)).toBe('fdb');
    // flannel.1's entry for node-2's VTEP MAC, the one the narration cites.
    expect(encap.touched).toContainEqual({
      table: 'fdb',
      netns: 'node-1',
      key: '6e:00:0a:f4:01:00',
      change: 'read',
    });
    expect(
      stepPanel(
        first((s) => s.kind === 'route'),
        'iptables',
        false,
      ),
    ).toBe('routes');
    expect(
      stepPanel(
        first((s) => s.kind === 'arp'),
        'iptables',
        false,
      ),
    ).toBe('neighbors');
    // A frame merely crossing a link names nothing: the pick stays.
    const wire = first((s) => s.kind === 'transmit' && s.facts.type === 'bridge.egress');
    expect(stepPanel(wire, 'iptables', false)).toBeUndefined();
  });

  it('a tab the user picked is not taken away by kernel lookups; a facts table still wins', () => {
    expect(
      stepPanel(
        first((s) => s.kind === 'encap'),
        'iptables',
        true,
      ),
    ).toBeUndefined();
    expect(
      stepPanel(
        first((s) => s.kind === 'fdb-forward'),
        'iptables',
        true,
      ),
    ).toBeUndefined();
  });
});
