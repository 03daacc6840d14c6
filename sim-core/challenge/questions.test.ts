/**
 * Challenge mode's questions (CHAL1–CHAL7), held against the real kernel's
 * tables where we have them: `ip route show` and `bridge fdb show` from the
 * linux-reference flannel nodes (test/fixtures), and the trace's own bytes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { publicScenario, simulate } from '../test/driver.ts';
import type { Simulation } from '../api.ts';
import { challengeQuestions } from './questions.ts';
import type { Question } from './types.ts';
import { DROPPED } from './places.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../test/fixtures/${name}`, import.meta.url), 'utf8');

/** "### kwr-n1: ip route show" sections of a fixture: host → its lines, trailing blanks trimmed. */
function sections(text: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  let at = '';
  for (const line of text.split('\n')) {
    const head = /^### (\S+):/.exec(line);
    if (head) out[(at = head[1])] = [];
    else if (at && line.trim()) out[at].push(line.trimEnd());
  }
  return out;
}

const ip = (s: string) => s.split('.').reduce((a, b) => a * 256 + Number(b), 0);

/** Longest-prefix match over `ip route show` lines, done here from the text (not our router). */
function longestMatch(lines: readonly string[], dst: string): string {
  let best = '';
  let bestLen = -1;
  for (const line of lines) {
    const [net] = line.split(' ');
    const [addr, len] = net === 'default' ? ['0.0.0.0', '0'] : net.split('/');
    const bits = Number(len);
    const mask = bits === 0 ? 0 : 2 ** 32 - 2 ** (32 - bits);
    const same = (a: number) => Math.floor(a / 2 ** (32 - bits)) * 2 ** (32 - bits);
    if (bits > bestLen && (bits === 0 || same(ip(dst)) === same(ip(addr)))) {
      best = line;
      bestLen = bits;
    }
    void mask;
  }
  return best;
}

const vxlan = simulate(publicScenario('cross-node-vxlan.yaml'));
const vxlanQs = challengeQuestions(vxlan, vxlan.scenario.cluster.seed);
const right = (q: Question) => ({ device: q.devices[q.device], reason: q.reasons[q.reason] });

describe('challenge questions', () => {
  it('[CHAL1] each question offers 2–4 distinct devices and reasons, one of each right, "dropped" among the devices', () => {
    const files = readdirSync(new URL('../../public/scenarios/', import.meta.url)).filter((f) =>
      f.endsWith('.yaml'),
    );
    for (const file of ['cross-node-vxlan.yaml', 'service-clusterip.yaml', 'same-node.yaml']) {
      expect(files).toContain(file);
      const sim = simulate(publicScenario(file));
      const qs = challengeQuestions(sim, 1);
      expect(qs.length, file).toBeGreaterThan(2);
      for (const q of qs) {
        expect(q.devices.length).toBeGreaterThanOrEqual(2);
        expect(q.devices.length).toBeLessThanOrEqual(4);
        expect(q.reasons.length).toBeGreaterThanOrEqual(2);
        expect(q.reasons.length).toBeLessThanOrEqual(4);
        expect(new Set(q.devices).size).toBe(q.devices.length);
        expect(new Set(q.reasons.map((r) => r.row)).size).toBe(q.reasons.length);
        expect(q.devices[q.device]).toBeDefined();
        expect(q.reasons[q.reason]).toBeDefined();
        expect(q.devices).toContain(DROPPED);
        expect(q.why).toContain(q.reasons[q.reason].row);
      }
    }
  });

  it('[CHAL2] route reasons are the rows real flannel nodes print (ip route show), the right one the longest match', () => {
    const real = sections(fixture('cross-vxlan-ip-route.txt'));
    const host: Record<string, string> = {
      'node-1': 'kwr-n1',
      'node-2': 'kwr-n2',
      'node-1/default/pod-a': 'kwr-n1-pod',
      'node-2/default/pod-b': 'kwr-n2-pod',
    };
    const routeQs = vxlanQs.filter((q) => q.kind === 'route');
    expect(routeQs.map((q) => q.netns)).toEqual([
      'node-1/default/pod-a',
      'node-1',
      'node-2/default/pod-b',
      'node-2',
    ]);
    for (const q of routeQs) {
      const lines = real[host[q.netns]];
      for (const r of q.reasons.filter((r) => r.table === 'route')) expect(lines).toContain(r.row);
      const dst = /for (\S+)\./.exec(q.prompt)![1];
      expect(right(q).reason.row).toBe(longestMatch(lines, dst));
    }
  });

  it('[CHAL3] the right device is where the revealing step puts the packet', () => {
    for (const q of vxlanQs) {
      const step = vxlan.steps[q.step];
      const dev = right(q).device;
      if (q.kind === 'route' && q.netns.includes('/')) {
        // A pod routes out of eth0; the step shows the frame arriving at its veth peer on the node.
        const pod = vxlan.stateAt(q.step).netnsById(q.netns)!;
        const eth0 = pod.ifaces.find((f) => dev.startsWith(`${f.name} of `))!;
        expect(eth0.peer).toEqual({ netns: step.place.netns, iface: step.place.iface });
      } else if (dev.includes('itself')) {
        expect(dev.startsWith(`${step.place.iface} itself`)).toBe(true);
      } else {
        expect(dev.startsWith(`${step.place.iface} of `), `${q.step} ${dev}`).toBe(true);
      }
    }
  });

  it('[CHAL4] across flannel vxlan, the ping asks each decision of the way there and back once, nothing for the TCP handshake that repeats them', () => {
    const walk = vxlanQs.map((q) => `${q.kind} ${q.netns} ${right(q).reason.row}`);
    expect(walk.slice(0, 7)).toEqual([
      'route node-1/default/pod-a 10.244.0.0/16 via 10.244.0.1 dev eth0',
      'bridge node-1 0a:58:0a:f4:00:01 dev cni0 master cni0 permanent',
      'route node-1 10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink',
      // flannel writes one fdb entry per remote node: its VTEP MAC at the node's IP.
      'encap node-1 6e:00:0a:f4:01:00 dev flannel.1 dst 192.168.1.11 self permanent',
      'bridge @network 52:54:00:a8:01:0b dev port-node-2 master switch',
      'decap node-2 UNCONN 0.0.0.0:8472 0.0.0.0:* kernel (flannel.1)',
      'bridge node-2 0a:58:0a:f4:01:02 dev veth0e6733ce master cni0',
    ]);
    const actions = new Set(vxlanQs.map((q) => vxlan.steps[q.step].action));
    expect([...actions]).toEqual([0]);
    expect(vxlanQs.every((q) => vxlan.steps[q.step].kind !== 'arp')).toBe(true);
  });

  it('[CHAL5] bridge rows read as `bridge fdb show` prints them on a real node', () => {
    const real = fixture('same-node-bridge-fdb.txt')
      .split('\n')
      .map((l) => l.trimEnd().replace(/veth\w+/g, 'veth*'));
    const bridges = vxlanQs.filter((q) => q.kind === 'bridge' && q.netns === 'node-1');
    // cni0's own address (the gateway 10.244.0.1 as a MAC) and a learned pod MAC behind its veth.
    const local = bridges.find((q) => right(q).device.includes('itself'))!;
    expect(right(local).reason.row).toBe('0a:58:0a:f4:00:01 dev cni0 master cni0 permanent');
    expect(real).toContain(right(local).reason.row);
    const learned = bridges.find((q) => !right(q).device.includes('itself'))!;
    expect(real).toContain(right(learned).reason.row.replace(/veth\w+/g, 'veth*'));
  });

  it('[CHAL6] same trace and seed, same questions; another seed reorders the choices, not the answers', () => {
    const again = simulate(publicScenario('cross-node-vxlan.yaml'));
    expect(challengeQuestions(again, vxlan.scenario.cluster.seed)).toEqual(vxlanQs);
    const other = challengeQuestions(vxlan, vxlan.scenario.cluster.seed + 1);
    expect(other.map(right)).toEqual(vxlanQs.map(right));
    expect(other.map((q) => q.devices)).not.toEqual(vxlanQs.map((q) => q.devices));
  });

  it("[CHAL7] a Service's DNAT: the right answer is the address the packet leaves with, the others its other endpoints", () => {
    const sim: Simulation = simulate(publicScenario('service-clusterip.yaml'));
    const nat = challengeQuestions(sim, 1).find(
      (q) => q.kind === 'nat' && q.prompt.includes('first packet'),
    )!;
    expect(nat).toBeDefined();
    const frame = sim.steps[nat.step].frame!;
    const to = `${frame.slice(30, 34).join('.')}:${(frame[36] << 8) | frame[37]}`;
    expect(right(nat).device).toBe(`destination rewritten to ${to}`);
    expect(right(nat).reason.row).toMatch(new RegExp(`-j DNAT --to-destination ${to}$`));
    const addresses = sim
      .stateAt(nat.step)
      .api.endpointSlices.flatMap((s) => s.endpoints.flatMap((e) => e.addresses));
    const others = nat.devices.filter(
      (d) => d.startsWith('destination rewritten to ') && d !== right(nat).device,
    );
    expect(others.length).toBeGreaterThan(0);
    for (const d of others) {
      const addr = d.replace('destination rewritten to ', '').split(':')[0];
      expect(addresses).toContain(addr);
    }
  });
});
