/**
 * Compare mode's sim-core half: one scenario re-targeted to another mode
 * (CMP1, CMP2), the two traces matched step to step and milestone to
 * milestone (CMP3, CMP4), and what each mode costs a packet (CMP5), held
 * against the real kernel's captures in test/fixtures (linux-reference §2).
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../simulation.ts';
import { publicScenario, simulate } from '../test/driver.ts';
import { fixtureFields, fixtureFrames } from '../test/fixtures/index.ts';
import { loadOk } from '../scenario/testing.ts';
import {
  compareTargets,
  formatModeTarget,
  isModeError,
  parseModeTarget,
  withModes,
  type ModeTarget,
} from '../scenario/modes.ts';
import type { Simulation } from '../api.ts';
import { correspond, stepKeys } from './correspond.ts';
import { innermostIpv4, packetId, synMss } from './packet-id.ts';
import { pathStats, statsAction } from './path-stats.ts';

const HOST_GW: ModeTarget = { layer: 'cni', plugin: 'flannel', mode: 'host-gw' };
const vxlanText = publicScenario('cross-node-vxlan.yaml');

function simulateAs(text: string, modes: ModeTarget): Simulation {
  const r = createSimulation(text, { modes });
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.sim;
}

const vxlan = simulate(vxlanText);
const l4Id = (frame?: Uint8Array) => {
  const id = packetId(frame);
  return id?.startsWith('arp:') ? id : id?.split(':').slice(2).join(':');
};
const hostGw = simulateAs(vxlanText, HOST_GW);
const last = (s: Simulation) => s.stateAt(s.steps.length - 1);

describe('re-targeting a scenario (CMP1, CMP2)', () => {
  it('[CMP1] withModes changes only the Cluster mode; the pods, actions and seed are the same objects', () => {
    const loaded = loadOk(vxlanText);
    const other = withModes(loaded, HOST_GW);
    expect(other.cluster.cni).toEqual({ plugin: 'flannel', mode: 'host-gw' });
    expect(loaded.cluster.cni.mode).toBe('vxlan');
    expect(other.pods).toBe(loaded.pods);
    expect(other.scenario).toBe(loaded.scenario);
    expect(other.cluster.nodes).toBe(loaded.cluster.nodes);
    expect(other.cluster.seed).toBe(loaded.cluster.seed);
    const ipvs = withModes(loaded, { layer: 'kube-proxy', mode: 'ipvs' });
    expect(ipvs.cluster.kubeProxy).toEqual({ mode: 'ipvs', scheduler: 'rr' });
    expect(ipvs.cluster.cni).toBe(loaded.cluster.cni);
  });

  it("[CMP1] flannel's hairpinMode stays with flannel and is dropped for a plugin without a bridge", () => {
    const text = vxlanText.replace(
      'cni: {plugin: flannel, mode: vxlan}',
      'cni: {plugin: flannel, mode: vxlan, hairpinMode: false}',
    );
    const loaded = loadOk(text);
    expect(withModes(loaded, HOST_GW).cluster.cni).toEqual({
      plugin: 'flannel',
      mode: 'host-gw',
      hairpinMode: false,
    });
    expect(withModes(loaded, { layer: 'cni', plugin: 'calico', mode: 'bgp' }).cluster.cni).toEqual({
      plugin: 'calico',
      mode: 'bgp',
    });
  });

  it('[CMP1] the vxlan built-in re-targeted to host-gw simulates byte for byte as the host-gw built-in', () => {
    // cross-node-host-gw.yaml is the same cluster, pods, actions and seed written with mode: host-gw.
    const written = simulate(publicScenario('cross-node-host-gw.yaml'));
    expect(Buffer.from(hostGw.exportPcapng())).toEqual(Buffer.from(written.exportPcapng()));
    expect(hostGw.steps.map((s) => s.summary)).toEqual(written.steps.map((s) => s.summary));
    expect(hostGw.steps.length).toBeLessThan(vxlan.steps.length);
  });

  it('[CMP2] comparison values parse, and a bad one says what and at which character', () => {
    expect(parseModeTarget('cni:flannel/host-gw')).toEqual(HOST_GW);
    expect(parseModeTarget('cni:calico')).toEqual({ layer: 'cni', plugin: 'calico', mode: 'ipip' });
    expect(parseModeTarget('kube-proxy:ipvs')).toEqual({ layer: 'kube-proxy', mode: 'ipvs' });
    expect(formatModeTarget(HOST_GW)).toBe('cni:flannel/host-gw');
    const bad = (v: string) => {
      const r = parseModeTarget(v);
      return isModeError(r) ? [r.column, r.message] : r;
    };
    expect(bad('cni:flanel/host-gw')).toEqual([5, expect.stringContaining('"flanel"')]);
    expect(bad('cni:flannel/udp')).toEqual([13, expect.stringContaining('vxlan, host-gw')]);
    expect(bad('kube-proxy:nftables')).toEqual([12, expect.stringContaining('iptables, ipvs')]);
    expect(bad('cilium')).toEqual([1, expect.stringContaining('cni or kube-proxy')]);
    expect(bad('cni:')).toEqual([5, expect.stringContaining('""')]);
  });

  it('[CMP2] the targets offered are every other CNI mode and the other kube-proxy mode', () => {
    const targets = compareTargets(loadOk(vxlanText).cluster).map(formatModeTarget);
    expect(targets).toContain('cni:flannel/host-gw');
    expect(targets).toContain('kube-proxy:ipvs');
    expect(targets).not.toContain('cni:flannel/vxlan');
    expect(targets).not.toContain('kube-proxy:iptables');
  });
});

describe('matching two traces (CMP3, CMP4)', () => {
  it('[CMP3] a packet is the same packet inside VXLAN: real captures of one ping on cni0 and on eth0', () => {
    const onCni0 = fixtureFrames('cross-vxlan-cni0')[2];
    const onEth0 = fixtureFrames('cross-vxlan')[2];
    expect(innermostIpv4(onEth0)).toBe(14 + 20 + 8 + 8 + 14);
    expect(packetId(onEth0)).toBe(packetId(onCni0));
    expect(packetId(fixtureFrames('cross-vxlan')[3])).not.toBe(packetId(onCni0));
    // The real SYN inside VXLAN (cross-vxlan-extra frame 11): tshark read MSS 1410 from it.
    const syn = fixtureFields('cross-vxlan-extra').findIndex((r) => r['tcp.flags'] === '0x0002');
    expect(synMss(fixtureFrames('cross-vxlan-extra')[syn])).toBe(
      Number(fixtureFields('cross-vxlan-extra')[syn]['tcp.options.mss_val']),
    );
  });

  it('[CMP3] every host-gw step has the same step in vxlan; only routing into and out of flannel.1 has none', () => {
    const c = correspond(vxlan.steps, hostGw.steps);
    for (const s of hostGw.steps) {
      const m = c.toLeft(s.index);
      expect(m.kind, `${s.index} ${s.summary}`).toBe('same');
      const v = vxlan.steps[m.index];
      expect([v.kind, v.place.netns, v.place.iface]).toEqual([
        s.kind,
        s.place.netns,
        s.place.iface,
      ]);
      // The same packet (its IP ID aside: each mode's kernel draws its own).
      expect(l4Id(v.frame)).toBe(l4Id(s.frame));
    }
    const alone = vxlan.steps.filter((s) => c.toRight(s.index).kind === 'none');
    expect(new Set(alone.map((s) => s.kind))).toEqual(new Set(['route', 'encap', 'decap']));
    // One per packet crossing the nodes: 2 for the ping, 3 for the handshake, at each end.
    expect(alone.filter((s) => s.kind === 'encap')).toHaveLength(5);
    // A step with no counterpart shows the counterpart of the last step before it that has one.
    const encap = alone.find((s) => s.kind === 'encap')!;
    const before = vxlan.steps
      .slice(0, encap.index)
      .findLast((s) => c.toRight(s.index).kind !== 'none')!;
    expect(c.toRight(encap.index).index).toBe(c.toRight(before.index).index);
  });

  it('[CMP4] each packet has the same milestones in both modes, in order: sent, leaves, enters, reaches', () => {
    const labels = (s: Simulation, action: number) => {
      const keys = stepKeys(s.steps);
      return s.steps
        .filter((x) => x.action === action && keys.label[x.index])
        .map((x) => keys.label[x.index]);
    };
    const ping = [
      'sent by default/pod-a',
      'leaves node-1',
      'enters node-2',
      'reaches default/pod-b',
      'sent by default/pod-b',
      'leaves node-2',
      'enters node-1',
      'reaches default/pod-a',
    ];
    expect(labels(vxlan, 0)).toEqual(ping);
    expect(labels(hostGw, 0)).toEqual(ping);
    expect(labels(vxlan, 1)).toEqual(labels(hostGw, 1));
    expect(labels(vxlan, 1)).toHaveLength(12); // SYN, SYN-ACK, ACK
  });

  it('[CMP4] iptables and IPVS pick different endpoints, and still meet where each packet is sent and arrives', () => {
    const text = publicScenario('service-clusterip.yaml');
    const iptables = simulate(text);
    const ipvs = simulateAs(text, { layer: 'kube-proxy', mode: 'ipvs' });
    const c = correspond(iptables.steps, ipvs.steps);
    const keys = stepKeys(iptables.steps);
    // Leaving and entering nodes depend on where the endpoint runs; sending and arriving do not.
    const milestones = iptables.steps.filter(
      (s) => s.action >= 0 && /^(sent|reaches)/.test(keys.label[s.index] ?? ''),
    );
    expect(milestones.length).toBeGreaterThan(8);
    for (const s of milestones) {
      const m = c.toRight(s.index);
      expect(m.kind, `${s.index} ${keys.label[s.index]}`).not.toBe('none');
      expect(ipvs.steps[m.index].action).toBe(s.action);
    }
    // IPVS's own steps (its scheduling and NAT at LOCAL_IN) have no iptables counterpart.
    const ipvsOnly = ipvs.steps.filter((s) => s.facts.type.startsWith('ipvs.'));
    expect(ipvsOnly.length).toBeGreaterThan(0);
    for (const s of ipvsOnly) expect(c.toLeft(s.index).kind).toBe('none');
  });
});

describe('what a mode costs a packet (CMP5)', () => {
  const statsOf = (s: Simulation) => pathStats(s.steps, statsAction(s.steps, 0), last(s));
  const v = statsOf(vxlan);
  const h = statsOf(hostGw);

  it('[CMP5] VXLAN adds 50 bytes on the node network, host-gw none: as the real captures of one ping', () => {
    const pod = fixtureFrames('cross-vxlan-cni0')[2].length;
    expect(v.overhead).toBe(fixtureFrames('cross-vxlan')[2].length - pod);
    expect(h.overhead).toBe(fixtureFrames('cross-hostgw')[2].length - pod);
    expect([v.overhead, h.overhead]).toEqual([50, 0]); // 14 + 20 + 8 + 8 (RFC 7348 §5), and nothing
  });

  it("[CMP5] the pod MTU is flannel's (1500 − 50 for vxlan) and the MSS the SYN's (MTU − 40)", () => {
    expect([v.mtu, h.mtu]).toEqual([1450, 1500]);
    expect([v.mss, h.mss]).toEqual([1410, 1460]);
    expect([v.mssFrom, h.mssFrom]).toEqual(['syn', 'syn']);
    // Without a TCP action the MSS is what the MTU allows.
    const pingOnly = vxlanText.replace(/\n\s*- connect:.*\n/, '\n');
    const p = simulate(pingOnly);
    expect(pathStats(p.steps, 0, last(p))).toMatchObject({ mtu: 1450, mss: 1410, mssFrom: 'mtu' });
  });

  it('[CMP5] the packet crosses flannel.1 on both nodes in vxlan; the TTL drops by 2 in both (two routers)', () => {
    expect(v.devices - h.devices).toBe(2);
    expect([v.routed, h.routed]).toEqual([2, 2]);
    // The real host-gw capture on n1 eth0: TTL 63, one routing hop after the pod's 64.
    expect(fixtureFrames('cross-hostgw')[2][14 + 8]).toBe(63);
  });

  it("[CMP5] the tables on the path: vxlan adds flannel.1's VXLAN FDB on each node, nothing else differs", () => {
    const names = (t: typeof v.tables) => t.map((x) => `${x.netns} ${x.table}`);
    const extra = names(v.tables).filter((n) => !names(h.tables).includes(n));
    expect(extra.sort()).toEqual(['node-1 VXLAN FDB', 'node-2 VXLAN FDB']);
    expect(names(h.tables).every((n) => names(v.tables).includes(n))).toBe(true);
    expect(names(h.tables)).toContain('node-1 route');
    expect(names(h.tables)).toContain('node-2 bridge FDB');
  });
});
