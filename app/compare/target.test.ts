/**
 * Compare mode's targets and the URL's compare= value (CMP6, CMP8): what the
 * header offers a scenario, the short forms a person types, and the located
 * reasons a value is refused.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatModeTarget, isModeError, loadScenario } from '@kubewire/sim-core';
import type { LoadedScenario } from '@kubewire/sim-core';
import { formatHash, parseHash } from '../state/urlHash.ts';
import { offeredTargets, parseCompare, refusal, targetLabel } from './target.ts';

function load(name: string): LoadedScenario {
  const text = readFileSync(new URL(`../../public/scenarios/${name}`, import.meta.url), 'utf8');
  const r = loadScenario(text);
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.scenario;
}

const vxlan = load('cross-node-vxlan.yaml');
const clusterip = load('service-clusterip.yaml');
const parsed = (v: string, s = vxlan) => {
  const t = parseCompare(v, s);
  return isModeError(t) ? `${t.column}: ${t.message}` : formatModeTarget(t);
};

describe('compare targets (CMP6, CMP8)', () => {
  it('[CMP6] offers every other CNI mode, and kube-proxy ipvs only with a Service of its own', () => {
    const labels = offeredTargets(vxlan).map(targetLabel);
    expect(labels).toEqual([
      'flannel host-gw',
      'calico ipip',
      'calico bgp',
      'calico vxlan',
      'cilium vxlan',
      'cilium native',
    ]);
    expect(offeredTargets(clusterip).map(targetLabel)).toContain('kube-proxy ipvs');
  });

  it('[CMP8] reads the long form and the short forms a person types', () => {
    expect(parsed('cni:flannel/host-gw')).toBe('cni:flannel/host-gw');
    expect(parsed('host-gw')).toBe('cni:flannel/host-gw');
    expect(parsed('calico')).toBe('cni:calico/ipip');
    expect(parsed('calico/vxlan')).toBe('cni:calico/vxlan');
    expect(parsed('ipvs')).toBe('kube-proxy:ipvs');
  });

  it('[CMP8] a bad value says what is wrong and where, in the value as written', () => {
    expect(parsed('calico/ipsec')).toBe('8: calico mode "ipsec" is not one of ipip, bgp, vxlan');
    expect(parsed('udp')).toMatch(/^1: "udp" is not a mode of flannel \(vxlan, host-gw\)/);
    expect(parsed('cni:flanel')).toMatch(/^5: cni plugin "flanel"/);
    expect(refusal({ layer: 'cni', plugin: 'flannel', mode: 'vxlan' }, vxlan)).toBe(
      'the scenario already runs flannel vxlan',
    );
    expect(refusal({ layer: 'kube-proxy', mode: 'ipvs' }, vxlan)).toMatch(/has no Service/);
    expect(refusal({ layer: 'kube-proxy', mode: 'ipvs' }, clusterip)).toBeUndefined();
  });

  it('[CMP8] the hash round-trips the comparison and the other side’s step, readable', () => {
    const hash = formatHash('cross-node-vxlan', 22, false, {
      target: 'cni:flannel/host-gw',
      cstep: 20,
    });
    expect(hash).toBe('#scenario=cross-node-vxlan&step=22&compare=cni:flannel/host-gw&cstep=20');
    expect(parseHash(hash)).toEqual({
      scenario: 'cross-node-vxlan',
      step: '22',
      compare: 'cni:flannel/host-gw',
      cstep: '20',
    });
  });
});
