/**
 * Calico (issue 8): calico-ipam's blocks, the cali veth with proxy ARP and
 * /32 routes, BIRD's routes, the IPIP and VXLAN tunnels, held against
 * Calico's own code and docs (quoted, restated in our words) and tshark.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkScenario } from './simulation.ts';
import { autoAssign, createCalicoIpam, releaseByHandle } from './k8s/cni/calico-ipam.ts';
import { parseFrame } from './dataplane/frames.ts';
import { parseIpv4 } from './wire/ipv4.ts';
import { narrate } from './narration/narrate.ts';
import { finalNetns, publicScenario, scenarioYaml, simulate } from './test/driver.ts';
import { kubewire } from './test/cli.ts';
import { hasTshark, runTshark } from './wire/tshark-helper.ts';

const calico = (mode: string, pool = '10.244.0.0/16') =>
  `cni: {plugin: calico, mode: ${mode}, ipPool: ${pool}}`;
const withCni = (text: string, cni: string) =>
  text.replace('cni: {plugin: flannel, mode: vxlan}', cni);
const scenarioFile = (name: string) =>
  new URL(`../public/scenarios/${name}`, import.meta.url).pathname;

describe('Calico: the IP pool', () => {
  it("[CAL1] refuses Calico's default pool 192.168.0.0/16 over the node network 192.168.1.0/24, located, with another pool to use", () => {
    const text = withCni(
      scenarioYaml({ pods: [{ name: 'a' }], actions: [] }),
      'cni: {plugin: calico, mode: bgp}',
    );
    const r = checkScenario(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const line = text.split('\n').findIndex((l) => l.includes('plugin: calico')) + 1;
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({
      line,
      column: text.split('\n')[line - 1].indexOf('calico') + 1,
    });
    expect(r.errors[0].message).toMatch(
      /ipPool 192\.168\.0\.0\/16 \(Calico's default pool\) overlaps nodeNetwork 192\.168\.1\.0\/24 .*set cni\.ipPool .*like 10\.244\.0\.0\/16/,
    );
    // Written pool: the error points at it.
    const written = withCni(text, '').replace(
      'cni: {plugin: calico, mode: bgp}',
      'cni: {plugin: calico, mode: bgp, ipPool: 192.168.0.0/20}',
    );
    const w = checkScenario(written);
    expect(w.ok).toBe(false);
    if (!w.ok)
      expect(w.errors[0].message).toMatch(/^ipPool 192\.168\.0\.0\/20 overlaps nodeNetwork/);
    expect(
      checkScenario(withCni(text.replace('cni: {plugin: calico, mode: bgp}', calico('bgp')), ''))
        .ok,
    ).toBe(true);
  });

  it('[CAL2] calico-ipam: a node claims a /26 block and numbers pods by ordinal; a released ordinal goes to the end of the free list', () => {
    // libcalico-go ipam_block.go: newBlock lists ordinals 0..63 as unallocated; autoAssign takes
    // from the front; release (after the cooldown, garbageCollect) appends the ordinal.
    let s = createCalicoIpam('10.244.0.0/16', 26);
    const a = autoAssign(s, 'node-1', 'h-a', {});
    if (!a.ok) throw new Error(a.error);
    expect(a).toMatchObject({ ip: '10.244.0.0', block: '10.244.0.0/26', claimed: '10.244.0.0/26' });
    s = a.state;
    const b = autoAssign(s, 'node-2', 'h-b', {});
    if (!b.ok) throw new Error(b.error);
    expect(b).toMatchObject({ ip: '10.244.0.64', claimed: '10.244.0.64/26' });
    s = b.state;
    const c = autoAssign(s, 'node-1', 'h-c', {});
    if (!c.ok) throw new Error(c.error);
    expect(c.ip).toBe('10.244.0.1');
    expect(c.claimed).toBeUndefined();
    s = releaseByHandle(c.state, 'h-a');
    const d = autoAssign(s, 'node-1', 'h-d', {});
    if (!d.ok) throw new Error(d.error);
    expect(d.ip).toBe('10.244.0.2'); // not the released .0: it waits at the end of the list
    const block = d.state.blocks.get('10.244.0.0/26')!;
    expect(block.unallocated.at(-1)).toBe(0);
    expect(block.affinity).toBe('host:node-1');
    // 64 addresses later the node claims its next block.
    let t = d.state;
    for (let i = 0; i < 62; i++) {
      const r = autoAssign(t, 'node-1', `x${i}`, {});
      if (!r.ok) throw new Error(r.error);
      t = r.state;
      if (i === 60) expect(r.ip).toBe('10.244.0.63');
      // The last free ordinal is the released 0, at the end of the list.
      if (i === 61) expect(r).toMatchObject({ ip: '10.244.0.0' });
    }
    const full = autoAssign(t, 'node-1', 'next', {});
    expect(full).toMatchObject({ claimed: '10.244.0.128/26', ip: '10.244.0.128' });
  });

  it('[CAL2] with a tunnel, calico-node takes the first address of the block for it, so the first pod gets .1', () => {
    const sim = simulate(publicScenario('calico-vxlan.yaml'));
    const snap = sim.stateAt(sim.steps.length - 1);
    const node1 = snap.nodes.find((n) => n.name === 'node-1')!;
    expect(node1.ipamBlocks?.map((b) => b.cidr)).toEqual(['10.244.0.0/26']);
    const attrs = node1.ipamBlocks![0].attributes;
    expect(attrs[0]).toEqual({
      handle_id: 'vxlan-tunnel-addr-node-1',
      secondary: { node: 'node-1', type: 'vxlanTunnelAddress' },
    });
    expect(attrs[1].handle_id).toMatch(/^k8s-pod-network\.[0-9a-f]{64}$/);
    expect(attrs[1].secondary).toEqual({ namespace: 'default', node: 'node-1', pod: 'pod-a' });
    expect(snap.pods.find((p) => p.name === 'pod-a')!.ip).toBe('10.244.0.1');
    expect(finalNetns(sim, 'node-1').ifaces.find((i) => i.name === 'vxlan.calico')!.ip).toBe(
      '10.244.0.0',
    );
  });
});

describe('Calico: the pod side', () => {
  const sim = simulate(publicScenario('calico-bgp.yaml'));
  const host = finalNetns(sim, 'node-1');
  const pod = finalNetns(sim, 'node-1/default/pod-a');

  it('[CAL3] host end cali + 11 hex digits of sha1("<namespace>.<pod>"), MAC ee:ee:ee:ee:ee:ee, proxy_arp=1; pod eth0 /32', () => {
    // VethNameForWorkload (libcalico-go conversion/workload_endpoint_default.go), restated with
    // node's own sha1 as microk8s's dump-workload-endpoints.sh does with sha1sum | cut -b -11.
    const want = `cali${createHash('sha1').update('default.pod-a').digest('hex').slice(0, 11)}`;
    const cali = host.ifaces.find((i) => i.name.startsWith('cali'))!;
    expect(cali.name).toBe(want);
    expect(cali.mac).toBe('ee:ee:ee:ee:ee:ee');
    expect(cali.master).toBeUndefined();
    expect(host.ifaces.some((i) => i.kind === 'bridge')).toBe(false);
    expect(host.sysctls?.[`net.ipv4.conf.${want}.proxy_arp`]).toBe('1');
    expect(host.sysctls?.[`net.ipv4.neigh.${want}.proxy_delay`]).toBe('0');
    const eth0 = pod.ifaces.find((i) => i.name === 'eth0')!;
    expect(eth0.prefixLength).toBe(32);
  });

  it('[CAL4] kubewire route --node node-1 prints the routes of a Calico BGP node and its pod', () => {
    // Calico's docs ("Configure IP in IP"/BGP, and the FAQ "Why does my container have a route to
    // 169.254.1.1?"): the pod's default route is via 169.254.1.1, a link-scope route to it, answered
    // by proxy ARP on the host; the host has one /32 route per local workload on its cali device,
    // a blackhole for each of its own blocks (BIRD's static protocol, proto bird), and a route per
    // other node's block learned over BGP: via that node's IP, proto bird.
    const r = kubewire('route', scenarioFile('calico-bgp.yaml'), '--node', 'node-1');
    expect(r.code).toBe(0);
    const cali = `cali${createHash('sha1').update('default.pod-a').digest('hex').slice(0, 11)}`;
    expect(r.out).toBe(
      [
        '# node node-1',
        'default via 172.18.0.1 dev eth0',
        `10.244.0.0 dev ${cali} scope link`,
        'blackhole 10.244.0.0/26 proto bird',
        '10.244.0.64/26 via 172.18.0.11 dev eth0 proto bird',
        '172.18.0.0/24 dev eth0 proto kernel scope link src 172.18.0.10',
        '',
        '# pod default/pod-a',
        'default via 169.254.1.1 dev eth0',
        '169.254.1.1 dev eth0 scope link',
        '',
      ].join('\n'),
    );
  });

  it("[CAL4] IPIP: remote blocks via the node IP dev tunl0 onlink; VXLAN: via the VTEP address dev vxlan.calico onlink, felix's blackhole proto 80", () => {
    const ipip = kubewire('route', scenarioFile('calico-ipip.yaml'), '--node', 'node-1').out;
    expect(ipip).toContain('blackhole 10.244.0.0/26 proto bird\n');
    expect(ipip).toContain('10.244.0.64/26 via 172.18.0.11 dev tunl0 proto bird onlink\n');
    const vx = kubewire('route', scenarioFile('calico-vxlan.yaml'), '--node', 'node-1').out;
    // felix's route_mgr: blackholes get dataplanedefs.DefaultRouteProto (80) when
    // DeviceRouteProtocol is RTPROT_BOOT (3, its default, which ip route does not print).
    expect(vx).toContain('blackhole 10.244.0.0/26 proto 80\n');
    expect(vx).toContain('10.244.0.64/26 via 10.244.0.64 dev vxlan.calico onlink\n');
    const s = simulate(publicScenario('calico-vxlan.yaml'));
    const n1 = finalNetns(s, 'node-1');
    const vtepMac2 = `66:${[...createHash('sha1').update('node-2').digest().subarray(0, 5)]
      .map((b) => b.toString(16).padStart(2, '0'))
      .join(':')}`;
    // felix vxlan_resolver.go vtepMACForHost: "f" + sha1(node name)[0:5] when none is stored.
    expect(n1.neighbors).toContainEqual(
      expect.objectContaining({
        ip: '10.244.0.64',
        dev: 'vxlan.calico',
        mac: vtepMac2,
        state: 'PERMANENT',
      }),
    );
    expect(n1.fdb).toContainEqual(
      expect.objectContaining({ mac: vtepMac2, port: 'vxlan.calico', dst: '172.18.0.11' }),
    );
    const dev = n1.ifaces.find((i) => i.name === 'vxlan.calico')!;
    expect(dev).toMatchObject({ mtu: 1450, vxlan: { vni: 4096, port: 4789 } });
    const tunl = finalNetns(simulate(publicScenario('calico-ipip.yaml')), 'node-1').ifaces.find(
      (i) => i.name === 'tunl0',
    )!;
    expect(tunl).toMatchObject({ kind: 'ipip', mtu: 1480, ip: '10.244.0.0', prefixLength: 32 });
  });
});

describe('Calico: the data path', () => {
  it("[CAL5] the pod's ARP for 169.254.1.1 is answered by proxy ARP with ee:ee:ee:ee:ee:ee; a same-node ping is routed, TTL 63", () => {
    const text = withCni(
      scenarioYaml({
        pods: [{ name: 'a' }, { name: 'b' }],
        actions: ['ping: {from: a, to: b}'],
      }),
      calico('bgp'),
    );
    const sim = simulate(text);
    const proxy = sim.steps.find((s) => s.facts.type === 'arp.proxy')!;
    expect(proxy.facts).toMatchObject({
      target: '169.254.1.1',
      mac: 'ee:ee:ee:ee:ee:ee',
      out: 'eth0',
    });
    const reply = parseFrame(proxy.frame!);
    expect(reply.arp).toMatchObject({
      operation: 2,
      sourceProtocolAddr: '169.254.1.1',
      sourceHardwareAddr: 'ee:ee:ee:ee:ee:ee',
    });
    const atB = sim.steps.find(
      (s) =>
        s.place.netns === 'node-1/default/b' &&
        s.frame &&
        parseFrame(s.frame).ip?.repr.protocol === 1 &&
        parseFrame(s.frame).ip?.repr.dstAddr === '10.244.0.1',
    )!;
    expect(parseFrame(atB.frame!).ip!.repr.ttl).toBe(63);
    expect(parseFrame(atB.frame!).eth.src).toBe('ee:ee:ee:ee:ee:ee');
    const why = (atB.facts as { cause?: { type: string; routedFrom?: string } }).cause;
    expect(why?.routedFrom).toMatch(/^cali/);
    expect(narrate(atB.facts).explanation).toMatch(/no bridge port \(Calico has no bridge\)/);
    expect(sim.steps.some((s) => s.facts.type === 'ping.reply')).toBe(true);
  });

  it("[CAL6] an unused address of the node's own block hits the blackhole: dropped on the node, no reply", () => {
    const text = withCni(
      scenarioYaml({ pods: [{ name: 'a' }], actions: ['ping: {from: a, to: 10.244.0.40}'] }),
      calico('bgp'),
    );
    const sim = simulate(text);
    const drop = sim.steps.find((s) => s.facts.type === 'ip.blackhole')!;
    expect(drop.place.netns).toBe('node-1');
    expect(drop.facts).toMatchObject({
      dst: '10.244.0.40',
      route: 'blackhole 10.244.0.0/26 proto bird',
    });
    expect(sim.steps.some((s) => s.facts.type === 'ping.reply')).toBe(false);
    expect(sim.steps.some((s) => s.kind === 'icmp' && s.facts.type.startsWith('icmp.'))).toBe(
      false,
    );
  });

  it('[CAL7] IPIP: protocol 4, the inner packet right after the outer header (no inner Ethernet), TTL inherited (RFC 2003 §3.1)', () => {
    const sim = simulate(publicScenario('calico-ipip.yaml'));
    const wire = sim.steps.find(
      (s) => s.place.netns === '@network' && s.frame && parseFrame(s.frame).ip?.repr.protocol === 4,
    )!;
    const outer = parseFrame(wire.frame!).ip!.repr;
    expect(outer).toMatchObject({ srcAddr: '172.18.0.10', dstAddr: '172.18.0.11', ttl: 63 });
    const inner = parseIpv4(parseFrame(wire.frame!).ip!.payload).repr;
    expect(inner).toMatchObject({
      srcAddr: '10.244.0.1',
      dstAddr: '10.244.0.65',
      protocol: 1,
      ttl: 63,
    });
    expect(wire.frame!.length).toBe(14 + 20 + 20 + 64); // Ethernet + outer + inner + ICMP (56 data)
  });
});

describe.skipIf(!hasTshark)('Calico: tshark', () => {
  it('[CAL8] tshark decodes IPIP as IP-in-IP and Calico VXLAN on 4789 (VNI 4096) with no -d option for 4789', async () => {
    const ipip = (await runTshark(simulate(publicScenario('calico-ipip.yaml')).exportPcap()))!;
    const protos = ipip.map((p) => p._source.layers.frame['frame.protocols'] as string);
    expect(protos).toContain('eth:ethertype:ip:ip:icmp:data');
    expect(protos).toContain('eth:ethertype:ip:ip:tcp');
    const vx = (await runTshark(simulate(publicScenario('calico-vxlan.yaml')).exportPcap()))!;
    const vxp = vx.map((p) => p._source.layers.frame['frame.protocols'] as string);
    expect(vxp).toContain('eth:ethertype:ip:udp:vxlan:eth:ethertype:ip:icmp:data');
    const one = vx.find((p) => p._source.layers.vxlan)!._source.layers;
    expect(one.vxlan['vxlan.vni']).toBe('4096');
    expect(one.udp['udp.dstport']).toBe('4789');
  });
});
