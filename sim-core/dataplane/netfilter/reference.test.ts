/**
 * The reference run's kube-proxy nat table, driven by the packets the run
 * describes, must print what the real node printed: iptables-save with its
 * policy counters and iptables -L -v -n -x with every rule's counters.
 */
import { describe, expect, it } from 'vitest';
import { listBlock, netfilterFixture, saveBody } from '../../test/fixtures/netfilter/load.ts';
import { traverse } from './evaluate.ts';
import { iptablesList } from './list.ts';
import type { NfPacket } from './packet.ts';
import type { NetfilterState } from './ruleset.ts';
import { iptablesSave } from './save.ts';
import { ruleset, testEnv } from './test-env.ts';

const restored = () => ruleset(netfilterFixture('clusterip-ruleset.iptables-restore'));

// The node's own addresses; 10.96.0.50 is a ClusterIP (not LOCAL), 224.0.0.22 is IGMPv3.
const env = (randoms: number[]) =>
  testEnv({ randoms, types: { '10.244.0.1': 'LOCAL', '224.0.0.22': 'MULTICAST' } });

/** The client pod's SYN, bridged into the host from vethC (br_netfilter), then routed back to cni0. */
function connection(s: NetfilterState, sport: number, random: number): NetfilterState {
  const syn: NfPacket = {
    src: '10.244.0.4',
    dst: '10.96.0.50',
    protocol: 6,
    sport,
    dport: 80,
    tcpFlags: 0x02,
    length: 60,
    inIface: 'cni0',
    physIn: 'vethC',
    bridged: true,
    mark: 0,
    ctState: 'NEW',
  };
  const pre = traverse(s, 'nat', 'PREROUTING', syn, env([random]));
  expect(pre.nat?.kind).toBe('DNAT');
  const to = { dst: pre.nat?.addr ?? syn.dst, dport: pre.nat?.port ?? 80 };
  const out = to.dst === '10.244.0.2' ? 'vethA' : 'vethB';
  const routed = {
    ...syn,
    ...to,
    mark: pre.mark,
    outIface: 'cni0',
    physOut: out,
    ctStatus: ['DNAT'] as const,
  };
  const post = traverse(pre.state, 'nat', 'POSTROUTING', routed, env([]));
  expect(post.verdict).toBe('ACCEPT');
  return post.state;
}

/** The host's IGMP membership report (protocol 2, 40 bytes): nat OUTPUT, then POSTROUTING. */
function igmpReport(s: NetfilterState): NetfilterState {
  const p: NfPacket = {
    src: '10.244.0.1',
    dst: '224.0.0.22',
    protocol: 2,
    length: 40,
    outIface: 'cni0',
    mark: 0,
  };
  const out = traverse(s, 'nat', 'OUTPUT', p, env([]));
  return traverse(out.state, 'nat', 'POSTROUTING', p, env([])).state;
}

describe('the reference clusterip run', () => {
  it('one connection to 10.244.0.2 and one IGMP report give the reference iptables-save', () => {
    const s = igmpReport(connection(restored(), 38518, 0.3));
    const want = saveBody(netfilterFixture('clusterip-iptables-save.txt'));
    expect(iptablesSave(s)).toBe(want);
  });

  it('... and the reference iptables -t nat -L -v -n -x', () => {
    const s = igmpReport(connection(restored(), 38518, 0.3));
    const want = listBlock(netfilterFixture('clusterip-counters.txt'));
    expect(iptablesList(s, 'nat', { verbose: true, numeric: true, exact: true })).toBe(want);
  });

  it('21 connections split 12/9 as the listener logs say give the reference counters', () => {
    // Which endpoint each of conn-1..conn-21 reached (clusterip-result.txt): A = 10.244.0.2.
    const toA = new Set([1, 2, 3, 5, 8, 9, 11, 14, 15, 16, 19, 20]);
    let s = restored();
    for (let n = 1; n <= 21; n++) {
      s = connection(s, 38517 + n, toA.has(n) ? 0.25 : 0.75);
      if (n === 1) s = igmpReport(s);
    }
    const want = listBlock(netfilterFixture('clusterip-counters-after-21.txt'));
    expect(iptablesList(s, 'nat', { verbose: true, numeric: true, exact: true })).toBe(want);
  });
});
