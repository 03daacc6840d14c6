/**
 * [ARP4] The packets waiting for ARP are state in the per-step store: at the
 * ARP request the echo request is queued in pod A's netns, after the reply
 * the queue is empty and the packet is on the wire — and stepping back
 * shows the queue again.
 */
import { describe, expect, it } from 'vitest';
import { publicScenario, simulate } from './test/driver.ts';
import { parseIpv4 } from './wire/ipv4.ts';

describe('the ARP queue', () => {
  it('[ARP4] holds the echo request while A asks for B, and stepping back shows it', () => {
    const sim = simulate(publicScenario('same-node.yaml'));
    const ask = sim.steps.findIndex((s) => s.summary === 'Who has 10.244.0.3? Tell 10.244.0.2');
    const sent = sim.steps.findIndex(
      (s) => s.captured && s.summary.startsWith('Echo (ping) request'),
    );
    const queue = (i: number) => sim.stateAt(i).netns['node-1/default/pod-a'].arpQueue ?? [];
    expect(queue(ask)).toHaveLength(1);
    expect(queue(ask)[0]).toMatchObject({ dev: 'eth0', nexthop: '10.244.0.3' });
    expect(parseIpv4(queue(ask)[0].packet).repr).toMatchObject({
      protocol: 1,
      dstAddr: '10.244.0.3',
    });
    expect(queue(sent)).toEqual([]);
    expect(queue(ask)).toHaveLength(1); // stepping back
  });
});
