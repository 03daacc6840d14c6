/**
 * Captures of the trace, read back by the real tshark: the pcapng has one
 * interface per device with direction flags; one device's capture is what
 * `tcpdump -i DEV` gives (held against the reference n1 eth0 capture), and
 * shows a TCP connection without the false retransmissions a capture of
 * every device at once shows.
 */
import { describe, expect, it } from 'vitest';
import { scenarioYaml, simulate } from './test/driver.ts';
import { fixtureFrames } from './test/fixtures/index.ts';
import { hasTshark, tsharkFields } from './wire/tshark-helper.ts';

if (!hasTshark)
  console.warn('SKIP capture.test.ts: tshark is not installed (apt-get install tshark)');

const vxlan = () =>
  simulate(
    scenarioYaml({
      mode: 'vxlan',
      nodes: ['node-1', 'node-2'],
      pods: [{ name: 'a' }, { name: 'b', ports: [8080] }],
      actions: ['ping: {from: a, to: b}', 'connect: {from: a, to: b, port: 8080}'],
    }),
  );

describe('captures', () => {
  it('names every device a frame crossed, in trace order', () => {
    const points = vxlan().capturePoints();
    expect(points.slice(0, 5)).toEqual([
      'node-1/default/a/eth0',
      expect.stringMatching(/^node-1\/veth[0-9a-f]{8}$/),
      'node-1/cni0',
      'node-1/flannel.1',
      'node-1/eth0',
    ]);
    expect(points).toContain('@network/port-node-1');
    expect(points.at(-1)).toBe('node-2/default/b/eth0');
  });

  it('the node-1/eth0 capture holds what tcpdump on the reference n1 eth0 held: ARP, ARP, then the VXLAN echo pair', () => {
    const sim = vxlan();
    const ref = fixtureFrames('cross-vxlan');
    const ours = sim.steps.filter((s) =>
      s.seenAt?.some((p) => p.netns === 'node-1' && p.iface === 'eth0'),
    );
    expect(ours.slice(0, 4).map((s) => s.frame!.length)).toEqual(ref.map((f) => f.length));
    expect(Buffer.from(ours[0].frame!).equals(Buffer.from(ref[0]))).toBe(true); // the broadcast ARP request
    expect(
      ours.slice(0, 4).map((s) => s.seenAt!.find((p) => p.iface === 'eth0')!.direction),
    ).toEqual(['out', 'in', 'out', 'in']);
  });

  it.skipIf(!hasTshark)('tshark reads the pcapng: interface names and directions per frame', () => {
    const sim = vxlan();
    const rows = tsharkFields(sim.exportPcapng(), [
      'frame.interface_name',
      'frame.p2p_dir',
      'arp.opcode',
    ])!;
    const total = sim.steps.reduce((n, s) => n + (s.seenAt?.length ?? 0), 0);
    expect(rows.length).toBe(total);
    // Pod a's ARP request: out of its eth0 (p2p_dir 0 = sent), into the host veth (1 = received).
    expect(rows[0]).toEqual(['node-1/default/a/eth0', '0', '1']);
    expect(rows[1][0]).toMatch(/^node-1\/veth/);
    expect(rows[1].slice(1)).toEqual(['1', '1']);
  });

  it.skipIf(!hasTshark)(
    'one device’s capture shows the TCP connection with no retransmission flags',
    () => {
      const sim = vxlan();
      const pod = sim.exportCapture('node-1/default/a/eth0');
      const all = sim.exportPcapng();
      const flagged = (c: Uint8Array) =>
        tsharkFields(c, ['frame.number'], 'tcp.analysis.flags')!.length;
      expect(tsharkFields(pod, ['tcp.flags'], 'tcp')!.length).toBeGreaterThanOrEqual(3);
      expect(flagged(pod)).toBe(0);
      // Every device at once (tcpdump -i any) sees each segment several times: tshark 4.0 flags the copies.
      expect(flagged(all)).toBeGreaterThan(0);
    },
  );
});
