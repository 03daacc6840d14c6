/**
 * kube-proxy's ClusterIP DNAT on the real data path, held against the
 * reference captures of linux-reference §4 (its own ruleset loaded into a
 * node built like the reference): frame by frame on each device, byte for
 * byte outside the fields that are random per run, with the counters,
 * conntrack entries and neighbour states the reference dumped.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Step } from './model.ts';
import { captureSteps } from './capture.ts';
import { simulate } from './test/driver.ts';
import { clusterIpScenario } from './test/clusterip.ts';
import { readPcap } from './wire/pcap.ts';
import { parseFrame } from './dataplane/frames.ts';
import { iptablesList } from './dataplane/netfilter/index.ts';
import { formatNeighbor } from './format/tables.ts';
import { ctList } from './dataplane/netfilter/conntrack.ts';

const parseTcpPorts = (frame: Uint8Array) => {
  const ip = parseFrame(frame).ip!;
  return { src: (ip.payload[0] << 8) | ip.payload[1], dst: (ip.payload[2] << 8) | ip.payload[3] };
};

const fixture = (name: string) => new URL(`./test/fixtures/clusterip/${name}`, import.meta.url);
const refFrames = (name: string) =>
  readPcap(new Uint8Array(readFileSync(fixture(`${name}.pcap`)))).records.map((r) => r.data);

/**
 * Byte ranges that are random per run in a frame: IP ID and checksum; for
 * TCP the client's port, seq/ack, checksum and TSval/TSecr (their place
 * depends on the options: a SYN's MSS, SACK_PERM, TS… or NOP, NOP, TS).
 */
function randomRanges(frame: Uint8Array, ephemeral: readonly string[]): [number, number][] {
  const f = parseFrame(frame);
  if (!f.ip) return [];
  const r: [number, number][] = [
    [18, 20],
    [24, 26],
  ];
  if (f.ip.repr.protocol !== 6) return r;
  // The port of a connecting side (the client, or the masquerading node) is random.
  if (ephemeral.includes(f.ip.repr.srcAddr)) r.push([34, 36]);
  if (ephemeral.includes(f.ip.repr.dstAddr)) r.push([36, 38]);
  r.push([38, 46], [50, 52]);
  const syn = (frame[47] & 0x02) !== 0;
  r.push(syn ? [62, 70] : [58, 66]);
  // A D-SACK block after the timestamps (NOP, NOP, SACK): its edges are sequence numbers.
  if (!syn && frame[46] >> 4 > 8) r.push([70, 14 + 20 + (frame[46] >> 4) * 4]);
  return r;
}

function diff(ours: Uint8Array, theirs: Uint8Array, ephemeral: readonly string[]): string[] {
  if (ours.length !== theirs.length) return [`length ${ours.length} ≠ ${theirs.length}`];
  const random = randomRanges(theirs, ephemeral);
  const out: string[] = [];
  for (let i = 0; i < ours.length; i++)
    if (!random.some(([s, e]) => i >= s && i < e) && ours[i] !== theirs[i])
      out.push(`byte ${i}: ${ours[i].toString(16)} ≠ ${theirs[i].toString(16)}`);
  return out;
}

/** Frame n of our capture against frame n of the reference's, for the first `count` frames. */
function compare(
  ours: Step[],
  ref: Uint8Array[],
  count: number,
  ephemeral: readonly string[] = ['10.244.0.4'],
): string[] {
  const problems: string[] = [];
  for (let i = 0; i < count; i++) {
    if (!ours[i]) {
      problems.push(`frame ${i + 1}: missing`);
      continue;
    }
    const d = diff(ours[i].frame!, ref[i], ephemeral);
    if (d.length) problems.push(`frame ${i + 1} (${ours[i].summary}): ${d.slice(0, 4).join(', ')}`);
  }
  return problems;
}

const vethOf = (sim: ReturnType<typeof simulate>, pod: string) =>
  sim
    .stateAt(sim.steps.length - 1)
    .netns[`node-1/default/${pod}`].ifaces.find((i) => i.name === 'eth0')!.peer!.iface;

describe('[NF1] 4a: ClusterIP to an endpoint on the same node, br_netfilter on', () => {
  // printf 'conn-1\n' | nc -N 10.96.0.50 80, as the reference's client did.
  const sim = simulate(
    clusterIpScenario({
      actions: ['connect: {from: podc, to: 10.96.0.50, port: 80, data: "conn-1\\n", close: true}'],
    }),
  );

  it('the client’s eth0 sees the reference’s 13 frames: ARP, SYN to the VIP, the floods, the SYN-ACK from the VIP, data, FINs', () => {
    const ours = captureSteps(sim.steps, 'node-1/default/podc/eth0');
    expect(compare(ours, refFrames('clusterip-client'), 13)).toEqual([]);
    expect(ours).toHaveLength(13);
  });

  it('the endpoint’s port sees the DNATed SYN bridged: the client’s MAC, TTL 64, the client’s IP ID', () => {
    const ours = captureSteps(sim.steps, `node-1/${vethOf(sim, 'poda')}`);
    expect(compare(ours, refFrames('clusterip-vethA'), 13)).toEqual([]);
    expect(ours).toHaveLength(13);
    const client = captureSteps(sim.steps, 'node-1/default/podc/eth0');
    const synOut = parseFrame(client.find((s) => s.summary.includes('[SYN]'))!.frame!);
    const synIn = parseFrame(ours.find((s) => s.summary.includes('[SYN]'))!.frame!);
    expect(synIn.eth.src).toBe(synOut.eth.src);
    expect(synIn.ip!.repr.ttl).toBe(64);
    expect(synIn.ip!.repr.identification).toBe(synOut.ip!.repr.identification);
  });

  it('the other endpoint’s port sees only the broadcasts', () => {
    const ours = captureSteps(sim.steps, `node-1/${vethOf(sim, 'podb')}`);
    expect(compare(ours, refFrames('clusterip-vethB'), 3)).toEqual([]);
    expect(ours).toHaveLength(3);
  });

  it('the nat table counts only the connection’s first packet', () => {
    const state = sim.stateAt(sim.steps.length - 1).netns['node-1'].netfilter!;
    const ours = iptablesList(state, 'nat', { verbose: true, numeric: true, exact: true });
    const ref = readFileSync(fixture('clusterip-counters.txt'), 'utf8')
      .split('### kwr-node1: iptables -t nat -L -v -n -x\n')[1]
      .split('\n### ')[0];
    // The reference also counted one IGMPv3 report cni0 sent (1 packet, 40 bytes in OUTPUT and
    // POSTROUTING; README §4a): Kubewire does not simulate IGMP, so those two chains hold one less.
    const withoutIgmp = ref
      .replace(
        'Chain OUTPUT (policy ACCEPT 1 packets, 40 bytes)',
        'Chain OUTPUT (policy ACCEPT 0 packets, 0 bytes)',
      )
      .replace(/\n {7}1 {7}40 KUBE-SERVICES/, '\n       0        0 KUBE-SERVICES')
      .replace(
        'Chain POSTROUTING (policy ACCEPT 2 packets, 100 bytes)',
        'Chain POSTROUTING (policy ACCEPT 1 packets, 60 bytes)',
      )
      .replace(/\n {7}2 {6}100 KUBE-POSTROUTING/, '\n       1       60 KUBE-POSTROUTING')
      .replace(/\n {7}2 {6}100 RETURN/, '\n       1       60 RETURN');
    expect(ours.trimEnd()).toBe(withoutIgmp.trimEnd());
  });

  it('leaves conntrack with the reference’s entry: TIME_WAIT, the reply tuple from the endpoint, ASSURED', () => {
    const node = sim.stateAt(sim.steps.length - 1).netns['node-1'];
    const last = captureSteps(sim.steps, 'node-1/default/podc/eth0').at(-1)!;
    const port = parseTcpPorts(last.frame!).src;
    // The reference dumped its table right after the connection: 3 s of TIME_WAIT's 120 gone.
    const lines = ctList(node.conntrack!, last.timeUs + 3_000_000);
    const ref = readFileSync(fixture('clusterip-result.txt'), 'utf8')
      .split('\n')
      .find((l) => l.startsWith('tcp ') && l.includes('dst=10.96.0.50 sport=38518'))!;
    expect(lines).toEqual([ref.replaceAll('38518', String(port))]);
  });

  it('leaves the neighbour tables as the reference dumped them', () => {
    const snap = sim.stateAt(sim.steps.length - 1);
    const ref = readFileSync(fixture('clusterip-ip-neigh.txt'), 'utf8');
    const section = (title: string) =>
      ref
        .split(`### ${title}: ip neigh show\n`)[1]
        .split(/\n\n|\n?###/)[0]
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .sort();
    const ours = (id: string) => snap.netns[id].neighbors.map(formatNeighbor).sort();
    expect(ours('node-1')).toEqual(section('kwr-node1'));
    expect(ours('node-1/default/poda')).toEqual(section('kwr-poda'));
    expect(ours('node-1/default/podb')).toEqual(section('kwr-podb'));
    expect(ours('node-1/default/podc')).toEqual(section('kwr-podc'));
  });
});

describe('[NF2] 4b: the same with br_netfilter off (bridge-nf-call-iptables = 0)', () => {
  // nc -w 3: the client gives up after three seconds.
  const sim = simulate(
    clusterIpScenario({
      brNetfilter: false,
      promiscuous: true,
      actions: [
        'connect: {from: podc, to: 10.96.0.50, port: 80, data: "nobrnf-1\\n", close: true, timeout: 3}',
      ],
    }),
  );

  it('the client gets the SYN-ACK from the pod IP, resets it, and retransmits at +1 s and +2 s', () => {
    const ours = captureSteps(sim.steps, 'node-1/default/podc/eth0');
    expect(compare(ours, refFrames('clusterip-no-brnf-client'), 14)).toEqual([]);
    expect(ours).toHaveLength(14);
    const syns = ours.filter((s) => s.summary.includes('[SYN]'));
    // The timer starts when connect() sends, the first SYN reaches the wire after ARP (µs later).
    const after = syns.map((s) => (s.timeUs - syns[0].timeUs) / 1e6);
    expect(after[1]).toBeCloseTo(1, 2);
    expect(after[2]).toBeCloseTo(2, 2);
  });

  it('a promiscuous cni0 sees the SYN routed by the node: cni0’s MAC, TTL 63', () => {
    const ours = captureSteps(sim.steps, 'node-1/cni0');
    expect(compare(ours, refFrames('clusterip-no-brnf'), 18)).toEqual([]);
    expect(ours).toHaveLength(18);
  });

  it('conntrack never sees the reply: SYN_SENT [UNREPLIED], its timer not renewed by the retransmissions', () => {
    const node = sim.stateAt(sim.steps.length - 1).netns['node-1'];
    const first = captureSteps(sim.steps, 'node-1/default/podc/eth0').find((s) =>
      s.summary.includes('[SYN]'),
    )!;
    const port = parseTcpPorts(first.frame!).src;
    const ref = readFileSync(fixture('clusterip-result.txt'), 'utf8')
      .split('\n')
      .find((l) => l.includes('SYN_SENT'))!;
    // The reference listed it 5 s after the first SYN: 120 − 5.
    expect(ctList(node.conntrack!, first.timeUs + 5_000_000)).toEqual([
      ref.replaceAll('36214', String(port)),
    ]);
  });
});

describe('[NF3] 4c: an endpoint reaching itself through its Service', () => {
  const connect =
    'connect: {from: poda, to: 10.96.0.50, port: 80, data: "hpoff-1\\n", close: true, timeout: 3}';
  const ME = ['10.244.0.2', '10.244.0.1'];

  it('hairpin off: the self-selected SYN is dropped by the bridge; the retransmission makes a fresh choice (podb)', () => {
    // Seed 2 picks poda itself first, then podb: the reference's try 1.
    const sim = simulate(clusterIpScenario({ seed: 2, hairpin: false, actions: [connect] }));
    const ours = captureSteps(sim.steps, 'node-1/default/poda/eth0');
    expect(compare(ours, refFrames('clusterip-hairpin-off-poda'), 14, ME)).toEqual([]);
    expect(
      sim.steps.some((s) => s.summary === 'cni0 drops: destination is behind the ingress port'),
    ).toBe(true);
    const picks = sim.steps.filter((s) => s.summary.startsWith('nat PREROUTING: DNAT'));
    expect(picks.map((s) => s.summary.split(' → ')[1])).toEqual([
      '10.244.0.2:8080',
      '10.244.0.3:8080',
    ]);
    // KUBE-SEP-QA4P's KUBE-MARK-MASQ counted the dropped SYN; MASQUERADE never saw it.
    const nat = iptablesList(sim.stateAt(sim.steps.length - 1).netns['node-1'].netfilter!, 'nat', {
      verbose: true,
      numeric: true,
      exact: true,
    });
    expect(nat).toMatch(/Chain KUBE-SEP-QA4PSDNF5R2OJOPA[^]*?\n {7}1 {7}60 KUBE-MARK-MASQ/);
    expect(nat).toMatch(/\n {7}0 {8}0 MASQUERADE/);
  });

  it('hairpin on: the pod sees its own SYN come back from 10.244.0.1 with a random-fully port, src MAC = dst MAC = its own', () => {
    const sim = simulate(
      clusterIpScenario({
        seed: 2,
        hairpin: true,
        actions: [connect.replace('hpoff-1', 'hpon-9')],
      }),
    );
    const ours = captureSteps(sim.steps, 'node-1/default/poda/eth0');
    const ref = refFrames('clusterip-hairpin-on-poda');
    // Frames 1–3: its broadcast ARP request comes back to it (hairpin), then cni0's reply.
    expect(compare(ours.slice(0, 3), ref.slice(0, 3), 3, ME)).toEqual([]);
    // Frames 71–86: the self-selected connection (the reference's try 9, hence its data), each
    // segment out and back in, NATed both ways.
    expect(compare(ours.slice(3), ref.slice(70, 86), 16, ME)).toEqual([]);
    const back = parseFrame(ours[4].frame!);
    expect([back.eth.src, back.eth.dst]).toEqual(['0a:58:0a:f4:00:02', '0a:58:0a:f4:00:02']);
    expect(back.ip!.repr.srcAddr).toBe('10.244.0.1');
    const node = sim.stateAt(sim.steps.length - 1).netns['node-1'];
    const masqPort = parseTcpPorts(ours[4].frame!).src;
    const ownPort = parseTcpPorts(ours[3].frame!).src;
    const refLine = readFileSync(fixture('clusterip-result.txt'), 'utf8')
      .split('\n')
      .find((l) => l.includes('dst=10.244.0.1 sport=8080 dport=60021'))!;
    const last = ours.at(-1)!;
    expect(ctList(node.conntrack!, last.timeUs + 2_000_000)).toEqual([
      refLine.replaceAll('50820', String(ownPort)).replaceAll('60021', String(masqPort)),
    ]);
  });
});

describe('[NF4] 4d: a promiscuous cni0 (a capture without -p) duplicates DNATed frames', () => {
  // Seed 1 picks podb, as the reference's 4d run did.
  const sim = simulate(
    clusterIpScenario({
      seed: 1,
      promiscuous: true,
      actions: [
        'connect: {from: podc, to: 10.96.0.50, port: 80, data: "promisc-1\\n", close: true}',
      ],
    }),
  );
  const ours = captureSteps(sim.steps, `node-1/${vethOf(sim, 'podb')}`);

  it('every client segment reaches the endpoint twice — bridged (TTL 64, the client’s MAC), then routed by the node (TTL 63, cni0’s MAC) — and duplicates are answered as Linux does', () => {
    // The endpoint answers the duplicate SYN with a second SYN-ACK, the client's duplicate SYN-ACK
    // with a challenge ACK, duplicate data and FIN with D-SACK ACKs (frames 17 and 20).
    expect(compare(ours, refFrames('clusterip-promisc-vethB'), 23)).toEqual([]);
    const [bridged, routed] = ours.slice(3, 5).map((s) => parseFrame(s.frame!));
    expect([bridged.eth.src, bridged.ip!.repr.ttl]).toEqual(['0a:58:0a:f4:00:04', 64]);
    expect([routed.eth.src, routed.ip!.repr.ttl]).toEqual(['0a:58:0a:f4:00:01', 63]);
  });
});
