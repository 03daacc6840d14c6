/**
 * The VXLAN encap and decap steps carry the packet before and after, so the
 * inspector can show what flannel.1 added or stripped (Packet Tracer's In and
 * Out Layers). The sizes are the reference captures' (linux-reference §2):
 * 98 bytes on the pod's side (cross-vxlan-cni0.pcap), 148 on the node
 * network (cross-vxlan.pcap).
 */
import { describe, expect, it } from 'vitest';
import { publicScenario, simulate } from './test/driver.ts';
import { fixtureFrames } from './test/fixtures/index.ts';
import { parseEthernet } from './wire/ethernet.ts';
import type { Simulation } from './api.ts';
import type { Step } from './model.ts';

const sim = simulate(publicScenario('cross-node-vxlan.yaml'));
const echoRequestRef = {
  inner: fixtureFrames('cross-vxlan-cni0')[2].length,
  outer: fixtureFrames('cross-vxlan')[2].length,
};

/** The next VXLAN packet after step `from` that leaves `netns`'s `iface` (a capture point). */
function leaving(s: Simulation, from: number, netns: string, iface: string): Step {
  const step = s.steps.find(
    (x) =>
      x.index > from &&
      x.seenAt?.some((p) => p.netns === netns && p.iface === iface && p.direction === 'out') &&
      x.layers?.some((l) => l.protocol === 'vxlan'),
  );
  if (!step) throw new Error(`nothing leaves ${netns} ${iface} after ${from}`);
  return step;
}

const same = (a: Uint8Array | undefined, b: Uint8Array | undefined) =>
  !!a && !!b && a.length === b.length && a.every((v, i) => v === b[i]);

describe('VXLAN steps, before and after', () => {
  const encaps = sim.steps.filter((s) => s.kind === 'encap');
  const decaps = sim.steps.filter((s) => s.kind === 'decap');

  it('[VX6] the encap step holds the outer frame as it leaves eth0, the inner frame as before', () => {
    expect(echoRequestRef).toEqual({ inner: 98, outer: 148 });
    const first = encaps[0];
    expect(first.before?.length).toBe(echoRequestRef.inner);
    expect(first.frame?.length).toBe(echoRequestRef.outer);
    // The outer frame is the one node-1's eth0 sends, byte for byte, though ARP for the
    // other node came in between (the outer MACs are eth0's neighbour entry).
    expect(same(first.frame, leaving(sim, first.index, 'node-1', 'eth0').frame)).toBe(true);
    // The inner frame (TTL already 63: node-1 routed it into flannel.1) is the VXLAN payload.
    const outer = first.frame!;
    expect(same(outer.slice(50), first.before)).toBe(true);
    expect(first.layers?.map((l) => l.protocol)).toEqual([
      'eth',
      'ipv4',
      'udp',
      'vxlan',
      'eth',
      'ipv4',
      'icmp',
      'data',
    ]);
    // Every encap in the trace (ICMP and TCP, both directions) is amended the same way.
    for (const e of encaps) {
      expect(e.frame!.length - e.before!.length).toBe(50);
      expect(parseEthernet(e.frame!).repr.dst).not.toBe(parseEthernet(e.before!).repr.dst);
    }
  });

  it('[VX7] the decap step holds the inner frame, the outer frame it arrived in as before', () => {
    const first = decaps[0];
    expect(first.before?.length).toBe(echoRequestRef.outer);
    expect(first.frame?.length).toBe(echoRequestRef.inner);
    expect(same(first.before!.slice(50), first.frame)).toBe(true);
    for (const d of decaps) expect(d.before!.length - d.frame!.length).toBe(50);
  });

  it('[VX8] captures are unchanged: an encap step is on no capture point and in no pcap', () => {
    for (const e of encaps) {
      expect(e.captured).toBeFalsy();
      expect(e.seenAt).toBeUndefined();
    }
    // A decap step is what `tcpdump -i flannel.1` sees: the inner frame, not the outer.
    for (const d of decaps) {
      expect(d.captured).toBeFalsy();
      expect(d.seenAt?.map((p) => p.iface)).toEqual(['flannel.1']);
      expect(d.layers?.some((l) => l.protocol === 'vxlan')).toBe(false);
    }
    // Each VXLAN packet is on node-1's eth0 once per crossing, not again at its encap step.
    const onEth0 = sim.steps.filter((s) =>
      s.seenAt?.some((p) => p.netns === 'node-1' && p.iface === 'eth0' && p.direction === 'out'),
    );
    const vxlanOut = onEth0.filter((s) => s.layers?.some((l) => l.protocol === 'vxlan'));
    expect(vxlanOut.length).toBe(encaps.filter((e) => e.place.netns === 'node-1').length);
  });
});
