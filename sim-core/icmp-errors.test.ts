/**
 * ICMP errors from a forwarding node (net/ipv4/route.c ip_error, icmp.c):
 * a pod pings an address nothing routes — the node has no route for it
 * (as in the reference nodes, which have no default route) and answers
 * with net unreachable, type 3 code 0, TOS 0xc0, quoting the echo request.
 */
import { describe, expect, it } from 'vitest';
import { captured, scenarioYaml, simulate } from './test/driver.ts';
import { parseIcmp } from './wire/icmp.ts';
import { parseIpv4 } from './wire/ipv4.ts';

describe('ICMP errors', () => {
  it('[ICMP1] a forwarding node without a route answers net unreachable, and ping prints it', () => {
    const sim = simulate(
      scenarioYaml({ pods: [{ name: 'a' }], actions: ['ping: {from: a, to: 203.0.113.7}'] }),
    );
    const errors = captured(sim).filter(
      (f) => f.ip && f.ip.repr.protocol === 1 && parseIcmp(f.ip.payload).repr.type === 3,
    );
    expect(errors).toHaveLength(1);
    const { ip } = errors[0];
    expect(ip!.repr).toMatchObject({
      srcAddr: '10.244.0.1',
      dstAddr: '10.244.0.2',
      dscp: 0x30,
      ttl: 64,
      dontFragment: false,
    });
    const icmp = parseIcmp(ip!.payload).repr;
    expect([icmp.type, icmp.code]).toEqual([3, 0]);
    // The routing decision fails before ip_forward, so the quote is the request as received: TTL 64.
    const quoted = parseIpv4(icmp.data);
    expect(quoted.repr).toMatchObject({ srcAddr: '10.244.0.2', dstAddr: '203.0.113.7', ttl: 64 });
    expect(
      sim.steps.some((s) => s.summary === 'ping: From 10.244.0.1 Destination Net Unreachable'),
    ).toBe(true);
  });
});

describe('ICMP errors for forwarded packets', () => {
  it('[ICMP2] when ARP for a forwarded packet’s next hop fails, the node answers host unreachable', () => {
    // host-gw: node-1 routes 10.244.1.0/24 to node-2, which ARPs on cni0 for 10.244.1.99 — no such pod.
    const sim = simulate(
      scenarioYaml({
        mode: 'host-gw',
        nodes: ['node-1', 'node-2'],
        pods: [{ name: 'a' }, { name: 'b', node: 'node-2' }],
        actions: ['ping: {from: a, to: 10.244.1.99}'],
      }),
    );
    const errors = captured(sim).filter(
      (f) => f.ip?.repr.protocol === 1 && parseIcmp(f.ip.payload).repr.type === 3,
    );
    expect(errors.length).toBeGreaterThanOrEqual(1);
    const icmp = parseIcmp(errors[0].ip!.payload).repr;
    expect([icmp.type, icmp.code]).toEqual([3, 1]);
    // icmp_send picks the source of node-2's route back to 10.244.0.2: via eth0, so 192.168.1.11.
    expect(errors[0].ip!.repr.srcAddr).toBe('192.168.1.11');
    expect(
      sim.steps.some((s) => s.summary === 'ping: From 192.168.1.11 Destination Host Unreachable'),
    ).toBe(true);
  });
});
