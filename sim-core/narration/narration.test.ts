/**
 * Narration (SPEC NAR1–NAR3): steps carry facts, and the narration module
 * renders every step of every built-in scenario as a one-line headline of at
 * most 12 words plus a full explanation. The facts are asserted here, at the
 * steps a student would stop on; the prose is only checked for its shape.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Step } from '../model.ts';
import type { Simulation } from '../api.ts';
import { simulate } from '../test/driver.ts';
import type { Fact, FactOfType, FactType } from './facts.ts';
import { narrate } from './narrate.ts';

const scenarios = new URL('../../public/scenarios/', import.meta.url);
const files = readdirSync(scenarios).filter((f) => f.endsWith('.yaml'));
const sims = new Map<string, Simulation>();
const sim = (file: string): Simulation => {
  let s = sims.get(file);
  if (!s) sims.set(file, (s = simulate(readFileSync(new URL(file, scenarios), 'utf8'))));
  return s;
};

function factsOf<T extends FactType>(s: Simulation, type: T): (FactOfType<T> & { step: Step })[] {
  return s.steps
    .filter((st) => st.facts.type === type)
    .map((st) => ({ ...(st.facts as FactOfType<T>), step: st }));
}

/** A fact and every fact nested in it (causes, what was sent). */
function nested(f: Fact): Fact[] {
  const out: Fact[] = [f];
  for (const v of Object.values(f))
    if (v && typeof v === 'object' && 'type' in v) out.push(...nested(v as Fact));
  return out;
}

describe('NAR1 every step of every built-in has a headline and an explanation', () => {
  it.each(files)('%s', (file) => {
    const long: string[] = [];
    for (const step of sim(file).steps) {
      const { headline, explanation } = narrate(step.facts);
      const words = headline.split(/\s+/).filter(Boolean);
      if (words.length === 0 || words.length > 12 || headline.includes('\n'))
        long.push(`${step.index} ${step.facts.type}: "${headline}" (${words.length} words)`);
      expect(explanation.length, `step ${step.index}`).toBeGreaterThan(headline.length / 2);
      expect(explanation, `step ${step.index}`).toMatch(/[.)"]$/);
    }
    expect(long).toEqual([]);
  });
});

describe('NAR2 the facts say what decided each hop', () => {
  it('same node: cni0 floods the ARP broadcast, learns pod-a, then forwards to pod-b only', () => {
    const s = sim('same-node.yaml');
    const flood = factsOf(s, 'bridge.flood')[0];
    expect(flood).toMatchObject({ bridge: 'cni0', reason: 'broadcast', fromNode: false, up: true });
    expect(flood.mac).toBe('ff:ff:ff:ff:ff:ff');
    // The reference's pod MACs are 0a:58 + the IP.
    expect(factsOf(s, 'bridge.learn')[0]).toMatchObject({
      bridge: 'cni0',
      mac: '0a:58:0a:f4:00:02',
    });
    const forward = factsOf(s, 'bridge.forward')[0];
    expect(forward).toMatchObject({ bridge: 'cni0', mac: '0a:58:0a:f4:00:02' });
    expect(forward.port).toMatch(/^veth[0-9a-f]{8} \(pod-a\)$/);
    const solicit = factsOf(s, 'neigh.solicit')[0];
    expect(solicit).toMatchObject({ nexthop: '10.244.0.3', dev: 'eth0' });
    expect(solicit.via).toBeUndefined();
  });

  it('a SYN is sent because of connect(): the cause rides down to the transmission', () => {
    const s = sim('clusterip.yaml');
    const xmit = s.steps.find(
      (st) => st.facts.type === 'neigh.xmit' && st.facts.cause?.type === 'tcp.connect',
    )!;
    const cause = (xmit.facts as FactOfType<'neigh.xmit'>).cause as FactOfType<'tcp.connect'>;
    expect(cause.target).toBe('10.96.0.50');
    expect(cause.local % 2).toBe(0); // connect() takes even ports
    expect(narrate(xmit.facts).headline).toBe(narrate(cause).headline);
  });

  it('4a: the nat table DNATs the first packet, conntrack un-DNATs the reply', () => {
    const s = sim('clusterip.yaml');
    const nat = factsOf(s, 'nf.nat').find((f) => f.nat?.kind === 'DNAT')!;
    expect(nat.hook).toBe('PREROUTING');
    expect(nat.nat).toMatchObject({ what: 'destination', before: '10.96.0.50:80' });
    expect(nat.hits[0].chain).toBe('PREROUTING');
    expect(nat.hits.map((h) => h.chain)).toContain('KUBE-SERVICES');
    expect(nat.hits.at(-1)!.target).toBe('DNAT');
    const undo = factsOf(s, 'ct.nat').find((f) => f.reply)!;
    expect(undo).toMatchObject({ what: 'source', after: '10.96.0.50:80' });
    expect(factsOf(s, 'brnf.dnat').length + factsOf(s, 'brnf.restore').length).toBeGreaterThan(0);
  });

  it('4b: without br_netfilter the reply skips the reverse NAT and gets a RST', () => {
    const s = sim('clusterip-no-br-netfilter.yaml');
    const rst = s.steps
      .flatMap((st) => nested(st.facts))
      .find((f) => f.type === 'tcp.rst-no-socket') as FactOfType<'tcp.rst-no-socket'>;
    expect(rst.waitingFor).toBe('10.96.0.50:80');
    expect(rst.from).toMatch(/^10\.244\.0\.\d+:8080$/);
  });

  it('vxlan: flannel.1 wraps the frame for the other node on UDP 8472, VNI 1', () => {
    const s = sim('cross-node-vxlan.yaml');
    const encap = factsOf(s, 'vxlan.encap')[0];
    expect(encap).toMatchObject({ dev: 'flannel.1', vni: 1, dport: 8472 });
    expect(encap.local).toBe('192.168.1.10');
    expect(encap.remote).toBe('192.168.1.11');
    expect(factsOf(s, 'vxlan.decap')[0]).toMatchObject({ dev: 'flannel.1', from: '192.168.1.10' });
    const fwd = s.steps.flatMap((st) => nested(st.facts)).find((f) => f.type === 'ip.forward');
    expect(fwd).toMatchObject({ ttl: 64 });
  });

  it('pod lifecycle: IPAM, the bridge, the veth pair and a crash that keeps the IP', () => {
    const s = sim('pod-lifecycle.yaml');
    const ipam = factsOf(s, 'cni.ipam');
    expect(ipam[0].ip).toMatch(/\.2$/);
    expect(factsOf(s, 'cni.bridge')[0]).toMatchObject({ bridge: 'cni0' });
    expect(factsOf(s, 'cni.veth')[0].hostVeth).toMatch(/^veth[0-9a-f]{8}$/);
    const crash = factsOf(s, 'kubelet.crash')[0];
    expect(factsOf(s, 'kubelet.restart')[0].ip).toBe(crash.ip);
  });
});

describe('NAR3 the narration module stands apart', () => {
  it('imports nothing but its own files: facts are plain data', () => {
    const dir = dirname(fileURLToPath(import.meta.url));
    const bad: string[] = [];
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.ts') && !x.endsWith('.test.ts')))
      for (const m of readFileSync(join(dir, f), 'utf8').matchAll(/from\s+'([^']+)'/g))
        if (!m[1].startsWith('./')) bad.push(`${f} → ${m[1]}`);
    expect(bad).toEqual([]);
  });
});
