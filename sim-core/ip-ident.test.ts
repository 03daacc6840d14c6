/**
 * [IP2] IP IDs without a connected socket follow Linux's per-destination
 * counters (ip_idents_reserve), as the reference's cross-vxlan-extra capture
 * shows them: each rises by 1 plus less than the jiffies (4 ms) elapsed since
 * its last use, and one counter serves both the kernel's echo replies and
 * the host's own pings toward the same address.
 */
import { describe, expect, it } from 'vitest';
import { captured, scenarioYaml, simulate } from './test/driver.ts';
import { parseIcmp } from './wire/icmp.ts';

const HZ = 250;

describe('IP IDs of packets without a connected socket', () => {
  const sim = simulate(
    scenarioYaml({
      pods: [{ name: 'a' }, { name: 'b' }],
      actions: ['ping: {from: a, to: b, count: 3}', 'ping: {from: b, to: a}'],
    }),
  );
  const icmp = captured(sim)
    .filter((f) => f.ip?.repr.protocol === 1)
    .map((f) => ({
      t: f.step.timeUs,
      src: f.ip!.repr.srcAddr,
      id: f.ip!.repr.identification,
      type: parseIcmp(f.ip!.payload).repr.type,
    }));

  it('[IP2] a ping’s requests rise by 1 plus less than the jiffies elapsed', () => {
    const requests = icmp.filter((p) => p.type === 8 && p.src === '10.244.0.2');
    expect(requests).toHaveLength(3);
    for (let i = 1; i < requests.length; i++) {
      const gap = (requests[i].id - requests[i - 1].id + 0x10000) & 0xffff;
      const jiffies =
        Math.floor((requests[i].t * HZ) / 1e6) - Math.floor((requests[i - 1].t * HZ) / 1e6);
      expect(gap).toBeGreaterThanOrEqual(1);
      expect(gap).toBeLessThanOrEqual(jiffies);
    }
  });

  it('[IP2] B’s echo replies to A and B’s own ping to A come from one counter', () => {
    const fromB = icmp.filter((p) => p.src === '10.244.0.3');
    expect(fromB.map((p) => p.type)).toEqual([0, 0, 0, 8]);
    for (let i = 1; i < fromB.length; i++) {
      const gap = (fromB[i].id - fromB[i - 1].id + 0x10000) & 0xffff;
      expect(gap).toBeGreaterThanOrEqual(1);
      expect(gap).toBeLessThan(0x8000); // rising, not a fresh random value
    }
  });

  it('stepping back shows the counter as it was', () => {
    const action = sim.steps.findIndex((s) => s.kind === 'action');
    const key = '10.244.0.3 10.244.0.2 1';
    expect(sim.stateAt(action).netns['node-1/default/a'].ipIdents?.[key]).toBeUndefined();
    const sent = sim.steps.findIndex(
      (s) => s.captured && s.summary.startsWith('Echo (ping) request'),
    );
    expect(sim.stateAt(sent).netns['node-1/default/a'].ipIdents?.[key]?.id).toBe(icmp[0].id);
    expect(
      sim.stateAt(sim.steps.length - 1).netns['node-1/default/a'].ipIdents?.[key]?.id,
    ).not.toBe(icmp[0].id);
  });
});
