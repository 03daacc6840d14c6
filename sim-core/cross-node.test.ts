/**
 * Pod to pod across nodes, held against the real-Linux captures of a flannel
 * node pair (linux-reference §2 vxlan, §3 host-gw): byte for byte where the
 * kernel is deterministic, pattern for pattern where it is random.
 */
import { describe, expect, it } from 'vitest';
import { captured, finalNetns, scenarioYaml, simulate } from './test/driver.ts';
import { fixtureFrames } from './test/fixtures/index.ts';
import { parseFrame } from './dataplane/frames.ts';
import { parseUdp } from './wire/udp.ts';
import { parseVxlan } from './wire/vxlan.ts';
import { parseIcmp } from './wire/icmp.ts';

const twoNodes = (mode: 'vxlan' | 'host-gw', actions: string[]) =>
  simulate(
    scenarioYaml({
      mode,
      nodes: ['node-1', 'node-2'],
      pods: [{ name: 'a' }, { name: 'b', ports: [8080] }],
      actions,
    }),
  );

/** Frame equality except at the given [start, end) byte ranges (random per run in the reference). */
function sameExcept(ours: Uint8Array, theirs: Uint8Array, random: [number, number][]): string[] {
  const diffs: string[] = [];
  if (ours.length !== theirs.length) return [`length ${ours.length} ≠ ${theirs.length}`];
  for (let i = 0; i < ours.length; i++) {
    if (random.some(([s, e]) => i >= s && i < e)) continue;
    if (ours[i] !== theirs[i])
      diffs.push(`byte ${i}: ${ours[i].toString(16)} ≠ ${theirs[i].toString(16)}`);
  }
  return diffs;
}

const onUnderlay = (sim: ReturnType<typeof simulate>) =>
  captured(sim).filter((f) => f.step.place.netns === '@network');

describe('flannel vxlan backend', () => {
  const ping = () => twoNodes('vxlan', ['ping: {from: a, to: b}']);

  it('[VX1] the encapsulated echo request is the reference frame, byte for byte outside the random fields', () => {
    const underlay = onUnderlay(ping());
    const ref = fixtureFrames('cross-vxlan');
    // ARP for the other node first (broadcast request, unicast reply), as in frames 1–2.
    expect(underlay.slice(0, 2).map((f) => f.arp?.operation)).toEqual([1, 2]);
    expect(sameExcept(underlay[0].step.frame!, ref[0], [])).toEqual([]);
    expect(sameExcept(underlay[1].step.frame!, ref[1], [])).toEqual([]);
    // Random: outer IP ID + checksum, UDP source port + checksum, inner IP ID + checksum,
    // ICMP checksum + identifier, the timestamp in the ping payload.
    const random: [number, number][] = [
      [18, 20],
      [24, 26],
      [34, 36],
      [40, 42],
      [68, 70],
      [74, 76],
      [86, 90],
      [92, 108],
    ];
    expect(sameExcept(underlay[2].step.frame!, ref[2], random)).toEqual([]);
    expect(sameExcept(underlay[3].step.frame!, ref[3], random)).toEqual([]);
  });

  it('[VX2] outer header: TTL 64, no DF, UDP 8472 with a checksum, VNI 1; inner TTL already 63', () => {
    const [, , req, rep] = onUnderlay(ping());
    for (const f of [req, rep]) {
      expect(f.ip!.repr).toMatchObject({ ttl: 64, dontFragment: false, dscp: 0 });
      expect(f.ip!.repr.identification).not.toBe(0);
      const udp = parseUdp(f.ip!.payload);
      expect(udp.repr.dstPort).toBe(8472);
      expect(udp.checksum).not.toBe(0);
      const vx = parseVxlan(udp.repr.payload);
      expect(vx.repr).toEqual({ flags: 0x08, vni: 1 });
      const inner = parseFrame(vx.payload);
      expect(inner.ip!.repr.ttl).toBe(63);
    }
    // ICMP: one symmetric flow hash, the same source port in both directions.
    expect(parseUdp(rep.ip!.payload).repr.srcPort).toBe(parseUdp(req.ip!.payload).repr.srcPort);
  });

  it('[VX3] TTL 64 → 63 in the tunnel → 62 at pod B, and the reply arrives at pod A with 62', () => {
    const sim = ping();
    const atB = sim.steps.find(
      (s) => s.place.netns === 'node-2/default/b' && s.summary.startsWith('Echo (ping) request'),
    )!;
    expect(parseFrame(atB.frame!).ip!.repr.ttl).toBe(62);
    expect(sim.steps.find((s) => s.kind === 'icmp')!.facts).toMatchObject({
      type: 'ping.reply',
      ttl: 62,
      hops: 2,
    });
  });

  it('[VX4] node-2 ARPs for pod B as 10.244.1.1; pod B learns its gateway from that and never ARPs', () => {
    const sim = ping();
    const arps = captured(sim)
      .filter((f) => f.arp?.operation === 1)
      .map((f) => `${f.arp!.targetProtocolAddr}<${f.arp!.sourceProtocolAddr}`);
    expect(arps).toEqual([
      '10.244.0.1<10.244.0.2',
      '192.168.1.11<192.168.1.10',
      '10.244.1.2<10.244.1.1',
    ]);
    expect(finalNetns(sim, 'node-2/default/b').neighbors).toMatchObject([
      { ip: '10.244.1.1', state: 'DELAY' },
    ]);
    const n1 = finalNetns(sim, 'node-1').neighbors.map((n) => `${n.ip} ${n.dev} ${n.state}`);
    expect(n1.sort()).toEqual([
      '10.244.0.2 cni0 DELAY',
      '10.244.1.0 flannel.1 PERMANENT',
      '192.168.1.11 eth0 REACHABLE',
    ]);
  });

  it('[VX5] TCP gets one outer source port per direction, constant for the connection, in 32768–60999', () => {
    const sim = twoNodes('vxlan', ['connect: {from: a, to: b, port: 8080}']);
    const tcp = onUnderlay(sim).filter((f) => f.ip?.repr.protocol === 17);
    const ports = tcp.map(
      (f) => [f.ip!.repr.srcAddr, parseUdp(f.ip!.payload).repr.srcPort] as const,
    );
    const forward = new Set(ports.filter(([src]) => src === '192.168.1.10').map(([, p]) => p));
    const back = new Set(ports.filter(([src]) => src === '192.168.1.11').map(([, p]) => p));
    expect([forward.size, back.size]).toEqual([1, 1]);
    expect([...forward][0]).not.toBe([...back][0]);
    for (const [, p] of ports) expect(p >= 32768 && p <= 60999).toBe(true);
    expect(tcp.map((f) => f.step.frame!.length)).toEqual([124, 124, 116]);
  });
});

describe('flannel host-gw backend', () => {
  it('[HG1] the routed echo request is the reference frame: node MAC → node MAC, TTL 63, no encapsulation', () => {
    const underlay = onUnderlay(twoNodes('host-gw', ['ping: {from: a, to: b}']));
    const ref = fixtureFrames('cross-hostgw');
    const random: [number, number][] = [
      [18, 20],
      [24, 26],
      [36, 40],
      [42, 58],
    ];
    expect(underlay.map((f) => f.step.frame!.length)).toEqual([42, 42, 98, 98]);
    expect(sameExcept(underlay[2].step.frame!, ref[2], random)).toEqual([]);
    expect(sameExcept(underlay[3].step.frame!, ref[3], random)).toEqual([]);
    expect(parseIcmp(underlay[3].ip!.payload).repr.type).toBe(0);
  });
});
