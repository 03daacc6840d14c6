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

const fixture = (name: string) => new URL(`./test/fixtures/clusterip/${name}`, import.meta.url);
const refFrames = (name: string) =>
  readPcap(new Uint8Array(readFileSync(fixture(`${name}.pcap`)))).records.map((r) => r.data);

/**
 * Byte ranges that are random per run in a frame: IP ID and checksum; for
 * TCP the client's port, seq/ack, checksum and TSval/TSecr (their place
 * depends on the options: a SYN's MSS, SACK_PERM, TS… or NOP, NOP, TS).
 */
function randomRanges(frame: Uint8Array): [number, number][] {
  const f = parseFrame(frame);
  if (!f.ip) return [];
  const r: [number, number][] = [
    [18, 20],
    [24, 26],
  ];
  if (f.ip.repr.protocol !== 6) return r;
  const fromClient = f.ip.repr.srcAddr === '10.244.0.4';
  r.push(fromClient ? [34, 36] : [36, 38], [38, 46], [50, 52]);
  const syn = (frame[47] & 0x02) !== 0;
  r.push(syn ? [62, 70] : [58, 66]);
  return r;
}

function diff(ours: Uint8Array, theirs: Uint8Array): string[] {
  if (ours.length !== theirs.length) return [`length ${ours.length} ≠ ${theirs.length}`];
  const random = randomRanges(theirs);
  const out: string[] = [];
  for (let i = 0; i < ours.length; i++)
    if (!random.some(([s, e]) => i >= s && i < e) && ours[i] !== theirs[i])
      out.push(`byte ${i}: ${ours[i].toString(16)} ≠ ${theirs[i].toString(16)}`);
  return out;
}

/** Frame n of our capture against frame n of the reference's, for the first `count` frames. */
function compare(ours: Step[], ref: Uint8Array[], count: number): string[] {
  const problems: string[] = [];
  for (let i = 0; i < count; i++) {
    if (!ours[i]) {
      problems.push(`frame ${i + 1}: missing`);
      continue;
    }
    const d = diff(ours[i].frame!, ref[i]);
    if (d.length) problems.push(`frame ${i + 1} (${ours[i].summary}): ${d.slice(0, 4).join(', ')}`);
  }
  return problems;
}

const vethOf = (sim: ReturnType<typeof simulate>, pod: string) =>
  sim
    .stateAt(sim.steps.length - 1)
    .netns[`node-1/default/${pod}`].ifaces.find((i) => i.name === 'eth0')!.peer!.iface;

describe('[NF1] 4a: ClusterIP to an endpoint on the same node, br_netfilter on', () => {
  const sim = simulate(
    clusterIpScenario({ actions: ['connect: {from: podc, to: 10.96.0.50, port: 80}'] }),
  );

  it('the client’s eth0 sees the reference’s frames: ARP, SYN to the VIP, the floods, the SYN-ACK from the VIP, the ACK', () => {
    const ours = captureSteps(sim.steps, 'node-1/default/podc/eth0');
    expect(compare(ours, refFrames('clusterip-client'), 8)).toEqual([]);
  });

  it('the endpoint’s port sees the DNATed SYN bridged: the client’s MAC, TTL 64, the client’s IP ID', () => {
    const ours = captureSteps(sim.steps, `node-1/${vethOf(sim, 'poda')}`);
    expect(compare(ours, refFrames('clusterip-vethA'), 8)).toEqual([]);
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
