/**
 * The DNS panel's rows (DNSAPP1-3, 6): the ndots built-in's search walk in
 * glibc's order, grouped under the name asked, the attempt used marked; each
 * DNS frame of the trace pointing at the row of its query or answer, checked
 * against dns-packet's decode of the frame; CoreDNS's cache answer and NODATA.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as dnsPacket from '@leichtgewicht/dns-packet';
import {
  createSimulation,
  formatResolvConf,
  podResolvConf,
  type Fact,
  type Simulation,
} from '@kubewire/sim-core';
import { buildDnsTable, dnsHeaderOf, isDnsStep } from './dnsRows.ts';
import { factPanel } from './panelChoice.ts';

const dir = new URL('../../public/scenarios/', import.meta.url);
function builtin(name: string): Simulation {
  const r = createSimulation(readFileSync(new URL(`${name}.yaml`, dir), 'utf8'));
  if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.errors)}`);
  return r.sim;
}

/**
 * glibc's res_search (resolv/res_query.c, __res_context_search), restated: fewer dots
 * than ndots and no trailing dot → every search domain in order, then the name as
 * written; otherwise the name first. getaddrinfo asks A then AAAA for each name.
 */
function glibcWalk(name: string, search: readonly string[], ndots: number): string[] {
  const dots = name.split('.').length - 1;
  const names = name.endsWith('.')
    ? [name]
    : dots >= ndots
      ? [`${name}.`, ...search.map((d) => `${name}.${d}.`)]
      : [...search.map((d) => `${name}.${d}.`), `${name}.`];
  return names.flatMap((n) => [`${n} A`, `${n} AAAA`]);
}

/** A frame's DNS message, decoded by dns-packet (VXLAN unwrapped), or undefined. */
function decodeDns(frame: Uint8Array): dnsPacket.Packet | undefined {
  let off = 0;
  for (let depth = 0; depth < 2; depth++) {
    if (frame.length < off + 42 || ((frame[off + 12] << 8) | frame[off + 13]) !== 0x0800) return;
    const ip = off + 14;
    if (frame[ip + 9] !== 17) return;
    const udp = ip + (frame[ip] & 15) * 4;
    const sport = (frame[udp] << 8) | frame[udp + 1];
    const dport = (frame[udp + 2] << 8) | frame[udp + 3];
    const len = (frame[udp + 4] << 8) | frame[udp + 5];
    if (sport === 53 || dport === 53)
      return dnsPacket.decode(Buffer.from(frame.subarray(udp + 8, udp + len)));
    if (dport !== 8472) return;
    off = udp + 16;
  }
}

describe('the DNS panel rows', () => {
  const sim = builtin('dns-ndots');
  const table = buildDnsTable(sim);

  it('[DNSAPP1] lists the ndots walk for example.com in the order glibc sends it, grouped, the answering name marked', () => {
    const client = sim.scenario.pods.find((p) => p.name === 'client')!;
    const resolv = podResolvConf(client, sim.scenario.cluster);
    // What the kubelet writes for a ClusterFirst pod in "default" (GetPodDNS).
    expect(formatResolvConf(resolv)).toBe(
      'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n',
    );
    const first = table.rows.filter((r) => r.group === 0);
    expect(first[0]).toMatchObject({ kind: 'lookup', qname: 'example.com' });
    expect(first.at(-1)).toMatchObject({ kind: 'result', qname: 'example.com.' });
    const asked = first.filter((r) => r.kind === 'query').map((r) => `${r.qname} ${r.qtype}`);
    expect(asked).toEqual(glibcWalk('example.com', resolv.searches, 5));
    expect(asked).toHaveLength(8);
    // The three search names are NXDOMAIN (with the SOA); the name as written answers.
    const replies = first.filter((r) => r.kind === 'response');
    expect(replies.filter((r) => r.rcode === 'NXDOMAIN' && r.soa)).toHaveLength(6);
    const used = first.filter((r) => r.winner);
    expect(new Set(used.map((r) => r.qname))).toEqual(new Set(['example.com.']));
    expect(used.map((r) => r.kind)).toEqual(['query', 'query', 'response', 'response']);
    // dig's lookup is its own group: one query, no search list.
    const dig = table.rows.filter((r) => r.group === 1 && r.kind === 'query');
    expect(dig.map((r) => `${r.qname} ${r.qtype}`)).toEqual(['example.com. A']);
    expect(table.groups.map((g) => g.tool)).toEqual(['getaddrinfo', 'dig']);
  });

  it('[DNSAPP2] every DNS frame of the trace points at the row of its query or answer (dns-packet decode)', () => {
    let frames = 0;
    for (const step of sim.steps) {
      if (!step.frame) continue;
      const m = decodeDns(step.frame);
      expect(!!m, `step ${step.index}`).toBe(!!dnsHeaderOf(step.frame));
      if (!m) continue;
      frames++;
      const row = table.rows[table.rowOfStep.get(step.index) ?? -1];
      expect(row, `step ${step.index}: ${step.summary}`).toBeDefined();
      expect(row.id).toBe(m.id);
      const q = m.questions?.[0];
      expect(row.qname.replace(/\.$/, '')).toBe(q?.name);
      expect(row.qtype).toBe(q?.type);
      const response = m.type === 'response';
      expect(['response', 'upstream'].includes(row.kind), `step ${step.index}`).toBe(!!response);
    }
    // 9 client queries and replies, 2 forwards and their replies, each on several hops.
    expect(frames).toBeGreaterThan(40);
    // Rows are in trace order inside each lookup.
    for (let i = 1; i < table.rows.length; i++) {
      const [a, b] = [table.rows[i - 1], table.rows[i]];
      if (a.group === b.group) expect(b.step).toBeGreaterThanOrEqual(a.step);
    }
  });

  it('[DNSAPP6] marks the answer from CoreDNS’s cache with its counted-down TTL, and NODATA', () => {
    const dig = table.rows.find((r) => r.group === 1 && r.kind === 'response')!;
    expect(dig.cache).toEqual({ ageS: 1, storedTtl: 30 });
    expect(dig.answers).toEqual([
      { name: 'example.com.', type: 'A', ttl: 29, data: '93.184.215.14' },
    ]);
    // The upstream's AAAA for example.com: NOERROR and no record.
    const aaaa = table.rows.find((r) => r.kind === 'upstream' && r.qtype === 'AAAA')!;
    expect(aaaa).toMatchObject({ rcode: 'NOERROR', answers: [] });
  });

  it('[DNSAPP3] a DNS step names the DNS panel; the ARP request a query waits for does not', () => {
    const kinds = new Set<string>();
    for (const s of sim.steps) {
      const p = factPanel(s.facts, 'iptables');
      if (p === 'dns') kinds.add(s.facts.type);
      expect(p === 'dns', `step ${s.index} ${s.facts.type}`).toBe(isDnsStep(s));
    }
    expect(kinds).toEqual(new Set(['neigh.xmit', 'resolver.answer', 'resolver.done']));
    const solicit = sim.steps.find(
      (s) => s.facts.type === 'neigh.solicit' && JSON.stringify(s.facts).includes('resolver.'),
    );
    expect(solicit).toBeDefined();
    expect(factPanel(solicit!.facts, 'iptables')).toBeUndefined();
    expect(factPanel({ type: 'arp.reply' } as unknown as Fact, 'iptables')).toBeUndefined();
  });

  it('[DNSAPP1] every DNS built-in: each query once, each answer under its own lookup', () => {
    for (const file of readdirSync(dir).filter((f) => f.startsWith('dns-'))) {
      const one = builtin(file.replace(/\.yaml$/, ''));
      const t = buildDnsTable(one);
      const facts = new Set<string>();
      for (const s of one.steps)
        for (const f of [s.facts, (s.facts as { cause?: Fact }).cause])
          if (f?.type === 'resolver.query') facts.add(`${f.lookup} ${f.qname} ${f.qtype} ${f.id}`);
      const queries = t.rows.filter((r) => r.kind === 'query');
      expect(queries.length, file).toBe(facts.size);
      for (const r of t.rows.filter((x) => x.kind === 'response')) {
        const q = queries.find((x) => x.group === r.group && x.id === r.id);
        expect(q, `${file}: ${r.qname} ${r.qtype}`).toBeDefined();
        expect(q!.qname).toBe(r.qname);
      }
      expect(t.rows.filter((r) => r.kind === 'result')).toHaveLength(t.groups.length);
    }
  });
});
