/**
 * [ARP3] Neighbour timers (neigh_timer_handler): a DELAY entry nothing
 * confirms becomes PROBE after delay_first_probe_time (5 s) and is checked
 * with a unicast ARP request to the MAC it already has — the reference's
 * n2 → n1 request "about 5 s after first contact" — whose reply makes it
 * REACHABLE. Timers are background: they fire while later actions play.
 */
import { describe, expect, it } from 'vitest';
import { captured, scenarioYaml, simulate } from './test/driver.ts';

describe('neighbour timers', () => {
  const sim = simulate(
    scenarioYaml({
      pods: [{ name: 'a' }, { name: 'b' }, { name: 'c' }, { name: 'd' }],
      actions: ['ping: {from: a, to: b}', 'ping: {from: c, to: d, count: 8}'],
    }),
  );

  it('[ARP3] B probes A with a unicast ARP request 5 s after using its STALE entry', () => {
    const arps = captured(sim).filter((f) => f.arp && f.arp.targetProtocolAddr === '10.244.0.2');
    const probe = arps.find((f) => f.arp!.operation === 1 && f.eth.dst !== 'ff:ff:ff:ff:ff:ff');
    expect(probe).toBeDefined();
    expect(probe!.eth.dst).toBe('0a:58:0a:f4:00:02'); // unicast to the MAC B already knows
    expect(probe!.arp!.sourceProtocolAddr).toBe('10.244.0.3');
    expect(probe!.arp!.targetHardwareAddr).toBe('00:00:00:00:00:00');
    // B's echo reply used the STALE entry (→ DELAY); the probe follows 5 s later.
    const reply = sim.steps.find((s) => s.captured && s.summary.startsWith('Echo (ping) reply'))!;
    expect(probe!.step.timeUs - reply.timeUs).toBeGreaterThanOrEqual(5_000_000);
    expect(probe!.step.timeUs - reply.timeUs).toBeLessThan(5_100_000);
  });

  it('[ARP3] the answer makes the entry REACHABLE, and stepping back shows DELAY then PROBE', () => {
    const probeAt = sim.steps.findIndex(
      (s) => s.captured && s.frame && s.summary === 'Who has 10.244.0.2? Tell 10.244.0.3',
    );
    const entryAt = (i: number) =>
      sim.stateAt(i).netns['node-1/default/b'].neighbors.find((n) => n.ip === '10.244.0.2')!.state;
    expect(entryAt(probeAt - 1)).toBe('DELAY');
    expect(entryAt(probeAt)).toBe('PROBE');
    expect(entryAt(sim.steps.length - 1)).toBe('REACHABLE');
  });
});

describe('neighbour confirmation by TCP', () => {
  it('[ARP3] a DELAY entry TCP confirmed becomes REACHABLE without a probe', () => {
    const sim = simulate(
      scenarioYaml({
        pods: [{ name: 'a' }, { name: 'b', ports: [8080] }, { name: 'c' }, { name: 'd' }],
        actions: [
          'connect: {from: a, to: b, port: 8080, data: "x", close: true}',
          'ping: {from: c, to: d, count: 8}',
        ],
      }),
    );
    const probes = captured(sim).filter(
      (f) =>
        f.arp?.operation === 1 &&
        f.arp.targetProtocolAddr === '10.244.0.2' &&
        f.eth.dst !== 'ff:ff:ff:ff:ff:ff',
    );
    expect(probes).toEqual([]);
    expect(sim.steps.some((s) => s.summary === '10.244.0.2 DELAY → REACHABLE (confirmed)')).toBe(
      true,
    );
  });
});
