import { describe, expect, it } from 'vitest';
import { growingCluster, rulesPerPacket } from './scalingModel.ts';

/**
 * kube-proxy's iptables mode writes one KUBE-SERVICES rule per Service port, tested in
 * order (the scaling problem KEP-3453 and the IPVS proxy's design doc describe); IPVS mode
 * matches ClusterIPs with one `-m set --match-set KUBE-CLUSTER-IP dst,dst` rule.
 */
describe('rules a first packet tests in nat PREROUTING', () => {
  const small = growingCluster(10);
  const big = growingCluster(100);
  it('iptables: grows by about half of KUBE-SERVICES for each Service added', () => {
    const a = rulesPerPacket(small.services, small.endpointSlices, 'iptables');
    const b = rulesPerPacket(big.services, big.endpointSlices, 'iptables');
    // 90 more Services: on average 45 more KUBE-SERVICES rules tested; the SVC/SEP part is the same.
    expect(b.rules - a.rules).toBeCloseTo(45, 0);
    expect(a.lookups).toBe(0);
  });
  it('IPVS: the same few rules and lookups whatever the number of Services', () => {
    const a = rulesPerPacket(small.services, small.endpointSlices, 'ipvs');
    const b = rulesPerPacket(big.services, big.endpointSlices, 'ipvs');
    expect(b.rules).toBe(a.rules);
    expect(b.lookups).toBe(a.lookups);
    expect(a.rules).toBeLessThan(10);
  });
});
