/**
 * The iptables, conntrack and tab-dot derivations on the ClusterIP trace: a pod
 * connects to 10.96.0.50:80, the nat table DNATs it to an endpoint, conntrack
 * confirms the entry as the SYN leaves and un-NATs the reply.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation, iptablesList, iptablesSave, type Simulation } from '@kubewire/sim-core';
import { clusterIpScenario } from '../../sim-core/test/clusterip.ts';
import { listLines, matchedPath, saveLines } from './iptablesRows.ts';
import { conntrackRows, hookPacket } from './conntrackRows.ts';
import { movedTables } from './moved.ts';
import { hookLabel } from '../topology/hook.ts';

function simulate(): Simulation {
  const text = clusterIpScenario({ actions: ['connect: {from: podc, to: 10.96.0.50, port: 80}'] });
  const result = createSimulation(text);
  if (!result.ok) throw new Error(result.errors[0]?.message);
  return result.sim;
}

const sim = simulate();
const find = (re: RegExp) => sim.steps.findIndex((s) => re.test(s.summary));
const dnat = find(/nat PREROUTING: DNAT/);
const confirm = find(/conntrack confirms/);
const host = (i: number) => sim.stateAt(i).netns['node-1'];
const refs = (i: number) =>
  new Set(
    sim.steps[i].touched
      .filter((r) => r.table === 'iptables' && r.change === 'read')
      .map((r) => r.key),
  );

describe('iptables -L -v -n rows', () => {
  it('at the DNAT: the matched rules, their counters moved by one packet, the chains walked', () => {
    const lines = listLines(host(dnat).netfilter!, 'nat', host(dnat - 1).netfilter, refs(dnat));
    const matched = lines.filter((l) => l.matched);
    expect(matched.map((l) => l.key)).toEqual([...refs(dnat)].sort(byListing(lines)));
    expect(matched.some((l) => /^nat\/KUBE-SVC-/.test(l.key))).toBe(true);
    const dnatRule = lines.find((l) => l.kind === 'rule' && / DNAT /.test(l.text))!;
    const [from, to] = dnatRule.counter!;
    expect(lines.filter((l) => l.kind === 'rule' && l.counted)).toHaveLength(matched.length);
    expect(matched.map((l) => l.text.slice(from, to).trim().split(/\s+/)[0])).toEqual(
      matched.map(() => '1'),
    );
    expect(lines.find((l) => l.key === 'chain nat/PREROUTING')?.walked).toBe('hook');
    expect(lines.find((l) => /^chain nat\/KUBE-SVC-/.test(l.key))?.walked).toBe('jump');
    expect(lines.find((l) => l.key === 'chain nat/INPUT')?.walked).toBeUndefined();
  });

  it('the step before: the same rules, every counter 0, nothing marked', () => {
    const lines = listLines(host(dnat - 1).netfilter!, 'nat', host(dnat - 2).netfilter, new Set());
    const rules = lines.filter((l) => l.kind === 'rule');
    expect(rules.length).toBeGreaterThan(10);
    expect(rules.every((l) => l.text.slice(...l.counter!).trim() === '0     0')).toBe(true);
    expect(lines.some((l) => l.counted || l.matched || l.walked)).toBe(false);
  });

  it('joined again, the lines are exactly what the printers print', () => {
    const state = host(dnat).netfilter!;
    const list = listLines(state, 'nat', undefined, new Set());
    expect(list.map((l) => l.text).join('\n')).toBe(
      iptablesList(state, 'nat', { verbose: true, numeric: true }).replace(/\n$/, ''),
    );
    const save = saveLines(state, 'nat', undefined, new Set());
    expect(save.map((l) => `${l.text}\n`).join('')).toBe(
      iptablesSave(state, { tables: ['nat'], counters: true }),
    );
    const marked = saveLines(state, 'nat', host(dnat - 1).netfilter, refs(dnat));
    expect(marked.filter((l) => l.matched).map((l) => l.text)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^\[1:\d+\] -A KUBE-SVC-/)]),
    );
  });

  it('the matched path, in the order the packet met the rules, ends in the DNAT', () => {
    const keys = sim.steps[dnat].touched
      .filter((r) => r.table === 'iptables' && r.change === 'read')
      .map((r) => r.key);
    const path = matchedPath(host(dnat).netfilter!, 'nat', keys);
    expect(path.map((p) => p.chain)[0]).toBe('PREROUTING');
    expect(path.at(-1)?.verdict).toBe('DNAT');
  });
});

describe('conntrack -L rows', () => {
  const at = (i: number) => ({ table: host(i).conntrack, timeUs: sim.stateAt(i).timeUs });

  it('the confirm step adds the entry; before it the table lists nothing', () => {
    expect(conntrackRows('node-1', at(confirm - 1), at(confirm - 2), [], [])).toEqual([]);
    const rows = conntrackRows('node-1', at(confirm), at(confirm - 1), [], []);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ change: 'added' });
    expect(rows[0].text).toMatch(/^tcp +6 \d+ SYN_SENT src=10\.244\.0\.4 dst=10\.96\.0\.50 /);
  });

  it('a hook step without a frame of its own finds its packet a step or so back', () => {
    expect(sim.steps[confirm].frame).toBeUndefined();
    const packet = hookPacket(sim, confirm);
    expect(packet.length).toBeGreaterThan(0);
    const rows = conntrackRows('node-1', at(confirm), at(confirm), [], packet);
    expect(rows.map((r) => r.change)).toContain('read');
  });

  it('a NAT step carries the frame before and after the rewrite', () => {
    const unnat = find(/conntrack un-NATs source/);
    const { before, frame } = sim.steps[unnat];
    const src = (f: Uint8Array | undefined) => Array.from(f!.subarray(26, 30)).join('.');
    expect(src(before)).toMatch(/^10\.244\.0\.\d+$/); // the endpoint
    expect(src(frame)).toBe('10.96.0.50'); // the ClusterIP the client connected to
    expect(before!.subarray(0, 12)).toEqual(frame!.subarray(0, 12)); // same MACs
  });
});

describe('what a step moved', () => {
  it('the DNAT moves iptables counters; the confirm moves conntrack', () => {
    expect(movedTables(sim.stateAt(dnat - 1), sim.stateAt(dnat), ['node-1']).has('iptables')).toBe(
      true,
    );
    expect(
      movedTables(sim.stateAt(confirm - 1), sim.stateAt(confirm), ['node-1']).has('conntrack'),
    ).toBe(true);
    expect(movedTables(sim.stateAt(dnat + 1), sim.stateAt(dnat + 1), ['node-1']).size).toBe(0);
  });

  it('hook steps are labelled by what decided', () => {
    expect(hookLabel(sim.steps[dnat])).toBe('NAT');
    expect(hookLabel(sim.steps[confirm])).toBe('conntrack');
    expect(hookLabel(sim.steps[0])).toBeNull();
  });
});

/** Keys in the order the listing prints their rows. */
function byListing(lines: readonly { key: string }[]) {
  const order = new Map(lines.map((l, i) => [l.key, i]));
  return (a: string, b: string) => (order.get(a) ?? 0) - (order.get(b) ?? 0);
}
