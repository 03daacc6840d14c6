/**
 * The packet badge names a frame as Wireshark does. Expected labels come from the real
 * references, never from our own output: the Info column tshark printed for the real-Linux
 * captures in sim-core/test/fixtures, and for the simulation's own frames the flags and
 * fields the real tshark reads from them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSimulation, writePcap } from '@kubewire/sim-core';
import { fixtureFrames, fixtureSummaries } from '../../sim-core/test/fixtures/index.ts';
import { hasTshark, tsharkFields } from '../../sim-core/wire/tshark-helper.ts';
import { badgeOf, badgeWidth } from './badge.ts';

/** The badge a tshark Info column calls for (null: the column names no kind we label). */
function fromInfo(info: string): string | null {
  const flags = /\[((?:SYN|ACK|FIN|RST|PSH|URG|ECE|CWR)(?:, [A-Z]+)*)\]/.exec(info)?.[1];
  if (flags) {
    const set = new Set(flags.split(', '));
    if (set.has('RST')) return 'TCP RST';
    if (set.has('SYN')) return set.has('ACK') ? 'TCP SYN-ACK' : 'TCP SYN';
    if (set.has('FIN')) return 'TCP FIN';
    if (set.has('PSH')) return 'TCP PSH';
    return 'TCP ACK';
  }
  if (/^Who has/.test(info)) return 'ARP req';
  if (/^Gratuitous ARP/.test(info)) return 'ARP gratuitous';
  if (/ is at /.test(info)) return 'ARP reply';
  if (/Echo \(ping\) request/.test(info)) return 'ICMP req';
  if (/Echo \(ping\) reply/.test(info)) return 'ICMP reply';
  if (/Destination unreachable/.test(info)) return 'ICMP unreachable';
  if (/Time-to-live exceeded/.test(info)) return 'ICMP TTL exceeded';
  if (/^Standard query response/.test(info)) return 'DNS response';
  if (/^Standard query/.test(info)) return 'DNS query';
  return null;
}

describe('the badge of a real Linux frame is what tshark called it', () => {
  it.each([
    ['same-node', 'same-node'],
    ['cross-vxlan (eth0: VXLAN)', 'cross-vxlan'],
    ['ClusterIP without br_netfilter (an RST)', 'clusterip/clusterip-no-brnf-client'],
    ['ClusterIP, hairpin on', 'clusterip/clusterip-hairpin-on'],
  ])('%s', (_, name) => {
    const frames = fixtureFrames(name);
    const infos = fixtureSummaries(name);
    expect(frames.length).toBe(infos.length);
    const pairs = frames.map((f, i) => [badgeOf(f).label, fromInfo(infos[i])] as const);
    const checked = pairs.filter(([, want]) => want !== null);
    expect(checked.length).toBeGreaterThan(3);
    expect(checked.map(([got]) => got)).toEqual(checked.map(([, want]) => want));
  });

  it('ARP request, ARP reply, echo request and reply, SYN, SYN-ACK, PSH, FIN in one real capture', () => {
    const labels = fixtureFrames('same-node').map((f) => badgeOf(f).label);
    expect(labels.slice(0, 8)).toEqual([
      'ARP req',
      'ARP reply',
      'ICMP req',
      'ICMP reply',
      'TCP SYN',
      'TCP SYN-ACK',
      'TCP ACK',
      'TCP PSH',
    ]);
    expect(labels[9]).toBe('TCP FIN');
  });

  it('a VXLAN packet is named by what it carries, its envelope by the real UDP port', () => {
    const frames = fixtureFrames('cross-vxlan');
    const infos = fixtureSummaries('cross-vxlan');
    const tunnelled = frames.map((f) => badgeOf(f)).filter((b) => b.outer);
    expect(tunnelled.length).toBe(infos.filter((i) => /Echo/.test(i)).length);
    expect(tunnelled.map((b) => b.label)).toEqual(['ICMP req', 'ICMP reply']);
    expect(new Set(tunnelled.map((b) => b.outer))).toEqual(new Set(['VXLAN · UDP 8472']));
    // The node network's own ARP is not tunnelled.
    expect(badgeOf(frames[0])).toEqual({ label: 'ARP req', outer: null });
  });
});

function frames(scenario: string): Uint8Array[] {
  const text = readFileSync(
    new URL(`../../public/scenarios/${scenario}.yaml`, import.meta.url),
    'utf8',
  );
  const r = createSimulation(text);
  if (!r.ok) throw new Error(r.errors[0]?.message);
  return r.sim.steps.flatMap((s) => (s.frame && s.captured ? [s.frame] : []));
}

const FIELDS = [
  'frame.number',
  'vxlan.vni',
  'udp.dstport',
  'arp.opcode',
  'icmp.type',
  'tcp.flags.syn',
  'tcp.flags.ack',
  'tcp.flags.fin',
  'tcp.flags.reset',
  'tcp.flags.push',
  'dns.flags.response',
  'arp.src.proto_ipv4',
  'arp.dst.proto_ipv4',
];

/** The label tshark's own fields call for (the innermost layer, as -T fields lists outer,inner). */
function fromFields(row: string[]): string | null {
  const f = Object.fromEntries(FIELDS.map((name, i) => [name, (row[i] ?? '').split(',').at(-1)]));
  const on = (name: string) => f[name] === '1' || f[name] === 'True';
  if (f['arp.opcode'] === '2') return 'ARP reply';
  if (f['arp.opcode'] === '1')
    return f['arp.src.proto_ipv4'] === f['arp.dst.proto_ipv4'] ? 'ARP gratuitous' : 'ARP req';
  if (f['dns.flags.response']) return on('dns.flags.response') ? 'DNS response' : 'DNS query';
  if (f['icmp.type'])
    return (
      { '0': 'ICMP reply', '8': 'ICMP req', '3': 'ICMP unreachable', '11': 'ICMP TTL exceeded' }[
        f['icmp.type']
      ] ?? null
    );
  if (f['tcp.flags.syn']) {
    if (on('tcp.flags.reset')) return 'TCP RST';
    if (on('tcp.flags.syn')) return on('tcp.flags.ack') ? 'TCP SYN-ACK' : 'TCP SYN';
    if (on('tcp.flags.fin')) return 'TCP FIN';
    if (on('tcp.flags.push')) return 'TCP PSH';
    return on('tcp.flags.ack') ? 'TCP ACK' : 'TCP';
  }
  return null;
}

describe.skipIf(!hasTshark)("the badge of a simulated frame agrees with tshark's reading", () => {
  it.each(['dns-service-name', 'service-clusterip', 'cross-node-vxlan', 'calico-vxlan'])(
    '%s',
    (scenario) => {
      const list = frames(scenario);
      const pcap = writePcap(list.map((data, i) => ({ timeUs: 1_700_000_000e6 + i, data })));
      const rows = tsharkFields(pcap, FIELDS, undefined, ['-d', 'udp.port==4789,vxlan'])!;
      expect(rows.length).toBe(list.length);
      const pairs = rows.map((row) => [badgeOf(list[Number(row[0]) - 1]), row] as const);
      const checked = pairs.filter(([, row]) => fromFields(row) !== null);
      expect(checked.length).toBeGreaterThan(3);
      expect(checked.map(([b]) => b.label)).toEqual(checked.map(([, row]) => fromFields(row)));
      // A tunnel packet's envelope names the UDP port tshark found the VXLAN header on.
      for (const [b, row] of pairs) {
        const vni = row[1];
        expect(b.outer, `frame ${row[0]}`).toBe(vni ? `VXLAN · UDP ${row[2].split(',')[0]}` : null);
      }
    },
  );
});

describe('the badge fits its label', () => {
  it('a longer label gets a wider glyph; the old one-word glyphs keep their width', () => {
    expect(badgeWidth('TCP SYN-ACK')).toBeGreaterThan(badgeWidth('TCP SYN'));
    expect(badgeWidth('ARP')).toBeGreaterThanOrEqual(48);
  });
  it('a truncated frame still gets a label, never a crash', () => {
    expect(badgeOf(new Uint8Array(0)).label).toBe('ETH');
    const arp = fixtureFrames('same-node')[0];
    expect(badgeOf(arp.subarray(0, 20)).label).toBe('ARP');
  });
});
