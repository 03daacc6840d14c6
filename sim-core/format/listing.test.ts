/**
 * `bridge fdb show` and `ip route` list rows in the kernel's order, held
 * against the reference dumps (same-node-bridge-fdb.txt, cross-vxlan-ip-route.txt):
 * only the names and MACs the reference chose by hand (vethA, 0e:00:…) differ.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { finalNetns, scenarioYaml, simulate } from '../test/driver.ts';
import { fdbLines, routeLines } from './tables.ts';

const section = (file: string, title: string) => {
  const text = readFileSync(new URL(`../test/fixtures/${file}`, import.meta.url), 'utf8');
  const body = text.split(`### ${title}\n`)[1].split('\n\n')[0];
  return body
    .split('\n')
    .map((l) => l.trimEnd())
    .filter(Boolean);
};

describe('kernel listing order', () => {
  it('bridge fdb show br cni0: self multicast entries, the bridge, then per port learned, permanent, self', () => {
    const sim = simulate(
      scenarioYaml({
        mode: 'host-gw',
        pods: [{ name: 'a' }, { name: 'b', ports: [8080] }],
        actions: ['ping: {from: a, to: b}'],
      }),
    );
    const host = finalNetns(sim, 'node-1');
    const ports = host.ifaces.filter((i) => i.master === 'cni0');
    let ours = fdbLines(host).join('\n');
    ports.forEach((p, i) => {
      const letter = 'AB'[i];
      ours = ours
        .replaceAll(p.name, `veth${letter}`)
        .replaceAll(p.mac, `0e:00:00:00:00:0${letter.toLowerCase()}`);
    });
    expect(ours.split('\n')).toEqual(
      section('same-node-bridge-fdb.txt', 'kwr-node1: bridge fdb show br cni0'),
    );
  });

  it('ip route show: by destination address, the longer prefix first', () => {
    const sim = simulate(
      scenarioYaml({
        nodes: ['node-1', 'node-2'],
        pods: [{ name: 'a' }, { name: 'b', node: 'node-2' }],
        actions: ['ping: {from: a, to: b}'],
      }),
    );
    expect(routeLines(finalNetns(sim, 'node-1'))).toEqual(
      section('cross-vxlan-ip-route.txt', 'kwr-n1: ip route show'),
    );
    expect(routeLines(finalNetns(sim, 'node-2'))).toEqual(
      section('cross-vxlan-ip-route.txt', 'kwr-n2: ip route show'),
    );
    expect(routeLines(finalNetns(sim, 'node-1/default/a'))).toEqual(
      section('cross-vxlan-ip-route.txt', 'kwr-n1-pod: ip route show'),
    );
    expect(routeLines(finalNetns(sim, 'node-2/default/b'))).toEqual(
      section('cross-vxlan-ip-route.txt', 'kwr-n2-pod: ip route show'),
    );
  });
});
