/**
 * [STEP2] A step's changed rows are exactly what changed in the state: every
 * added / updated / removed ref is a real difference between the snapshots
 * before and after the step, and every difference has its ref — checked
 * over every step of every built-in scenario, from the snapshots alone.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Netns, Snapshot, TableRef } from './model.ts';
import { publicScenario, simulate } from './test/driver.ts';
import { hamtEmpty, hamtEntries } from './engine/hamt.ts';
import { pvecGet, saveRule, tableChains } from './dataplane/netfilter/index.ts';

const builtins = readdirSync(new URL('../public/scenarios/', import.meta.url)).filter((f) =>
  f.endsWith('.yaml'),
);

type Rows = Map<string, string>; // "table|netns|key" → row, as JSON

function rows(snap: Snapshot): Rows {
  const out: Rows = new Map();
  const put = (table: TableRef['table'], netns: string, key: string, row: unknown) => {
    const k = `${table}|${netns}|${key}`;
    out.set(k, (out.get(k) ?? '') + JSON.stringify(row));
  };
  for (const ns of Object.values(snap.netns) as Netns[]) {
    for (const n of ns.neighbors) put('neighbor', ns.id, n.ip, n);
    for (const e of ns.fdb) put('fdb', ns.id, e.mac, e);
    for (const r of ns.routes) put('route', ns.id, r.dst, r);
    for (const i of ns.ifaces) put('iface', ns.id, i.name, i);
    for (const k of ns.sockets ?? [])
      put(
        'socket',
        ns.id,
        `${k.protocol} ${k.localAddr}:${k.localPort} ${k.peerAddr ?? '*'}:${k.peerPort ?? '*'}`,
        k,
      );
  }
  for (const ns of Object.values(snap.netns) as Netns[]) {
    for (const [id, entry] of hamtEntries(ns.conntrack?.byId ?? hamtEmpty()))
      put('conntrack', ns.id, id, entry);
    for (const [key, item] of hamtEntries(ns.dnsCache ?? hamtEmpty()))
      put('dns-cache', ns.id, key, item);
    for (const table of Object.values(ns.netfilter?.tables ?? {})) {
      for (const chain of tableChains(table)) {
        const at = (n: number | 'policy') => `${table.name}/${chain.name}/${n}`;
        if (chain.policy) put('iptables', ns.id, at('policy'), chain.policyCounter);
        chain.rules.forEach((rule, i) =>
          put('iptables', ns.id, at(i + 1), [saveRule(rule), pvecGet(chain.counters, i)]),
        );
      }
    }
  }
  for (const n of snap.nodes)
    for (const f of n.ipam) put('ipam', n.name, f.path.split('/').pop()!, f);
  return out;
}

describe.each(builtins)('%s', (file) => {
  const sim = simulate(publicScenario(file));

  it('[STEP2] every claimed change happened, and every change is claimed', () => {
    let before = rows(sim.initial);
    const problems: string[] = [];
    for (const step of sim.steps) {
      const after = rows(sim.stateAt(step.index));
      const claimed = new Set(
        step.touched
          .filter((t) => t.change !== 'read' && t.table !== 'container')
          .map((t) => `${t.table}|${t.netns}|${t.key}`),
      );
      const netnsGone = (k: string) =>
        !Object.hasOwn(sim.stateAt(step.index).netns, k.split('|')[1]) &&
        !sim.stateAt(step.index).nodes.some((n) => n.name === k.split('|')[1]);
      // "iptables|netns|nat/*": the whole table was replaced (a restore); it covers every row of it.
      const wholeTable = (k: string) =>
        claimed.has(k.replace(/^(iptables\|[^|]+\|[a-z]+)\/.*$/, '$1/*'));
      for (const k of new Set([...before.keys(), ...after.keys()])) {
        const changed = before.get(k) !== after.get(k);
        if (changed && !claimed.has(k) && !wholeTable(k) && !netnsGone(k))
          problems.push(`step ${step.index} ${step.kind}: ${k} changed, no ref`);
      }
      for (const k of claimed) {
        if (!k.endsWith('/*')) continue;
        const prefix = k.slice(0, -1);
        const keys = new Set([...before.keys(), ...after.keys()]);
        if (![...keys].some((r) => r.startsWith(prefix) && before.get(r) !== after.get(r)))
          problems.push(`step ${step.index} ${step.kind}: ${k} claimed, nothing in it changed`);
      }
      for (const k of claimed)
        if (!k.endsWith('/*') && before.get(k) === after.get(k))
          problems.push(`step ${step.index} ${step.kind}: ${k} claimed, unchanged`);
      before = after;
    }
    expect(problems).toEqual([]);
  });
});
