import { describe, expect, it } from 'vitest';
import { createSimulation } from './simulation.ts';
import {
  captured,
  finalNetns,
  findStep,
  publicScenario,
  scenarioYaml,
  simulate,
} from './test/driver.ts';
import { parseTcp } from './wire/tcp.ts';
import { parseIcmp } from './wire/icmp.ts';
import { fixtureFrames } from './test/fixtures/index.ts';
import { parseFrame } from './dataplane/frames.ts';

const sameNode = () => simulate(publicScenario('same-node.yaml'));

describe('same-node scenario (public/scenarios/same-node.yaml)', () => {
  it('[TR1] plays ARP, bridge learning, flood, ICMP, the TCP handshake, data and close in order', () => {
    const { steps } = sameNode();
    const order: [string, (s: (typeof steps)[number]) => boolean][] = [
      [
        'ARP request A→B',
        (s) => s.kind === 'transmit' && s.summary === 'Who has 10.244.0.3? Tell 10.244.0.2',
      ],
      ['bridge learns A', (s) => s.kind === 'fdb-learn' && s.summary.includes('0a:58:0a:f4:00:02')],
      ['flood', (s) => s.kind === 'flood'],
      [
        'ARP reply',
        (s) => s.kind === 'transmit' && s.summary === '10.244.0.3 is at 0a:58:0a:f4:00:03',
      ],
      ['bridge learns B', (s) => s.kind === 'fdb-learn' && s.summary.includes('0a:58:0a:f4:00:03')],
      ['echo request', (s) => s.captured === true && s.summary.startsWith('Echo (ping) request')],
      ['echo reply', (s) => s.captured === true && s.summary.startsWith('Echo (ping) reply')],
      ['SYN', (s) => s.captured === true && s.summary.includes('[SYN]')],
      ['SYN-ACK', (s) => s.captured === true && s.summary.includes('[SYN, ACK]')],
      ['ACK', (s) => s.captured === true && s.summary.includes('[ACK]')],
      // Reference same-node frames 8–12: printf x | nc -N.
      ['data', (s) => s.captured === true && s.summary.includes('[PSH, ACK]')],
      ['ACK of the data', (s) => s.captured === true && s.summary.includes('[ACK]')],
      ['FIN from A', (s) => s.captured === true && s.summary.includes('[FIN, ACK]')],
      ['FIN from B', (s) => s.captured === true && s.summary.includes('[FIN, ACK]')],
      ['last ACK', (s) => s.captured === true && s.summary.includes('[ACK]')],
    ];
    let at = 0;
    for (const [name, pred] of order) {
      const i = findStep(steps, pred, at);
      expect(i, `${name} after step ${at}`).toBeGreaterThanOrEqual(at);
      at = i + 1;
    }
  });

  it('[DET1] same scenario and seed give a byte-identical trace; another seed changes the random fields', () => {
    const a = sameNode();
    const b = sameNode();
    expect(Buffer.from(a.exportPcap()).equals(Buffer.from(b.exportPcap()))).toBe(true);
    expect(JSON.stringify(a.steps.map((s) => [s.summary, s.facts]))).toBe(
      JSON.stringify(b.steps.map((s) => [s.summary, s.facts])),
    );
    const c = simulate(publicScenario('same-node.yaml').replace('seed: 1', 'seed: 2'));
    expect(Buffer.from(a.exportPcap()).equals(Buffer.from(c.exportPcap()))).toBe(false);
  });

  it('[ARP1] leaves A REACHABLE for B, B with A in DELAY (learned from the request), the node with none', () => {
    const sim = sameNode();
    expect(finalNetns(sim, 'node-1/default/pod-a').neighbors).toMatchObject([
      { ip: '10.244.0.3', dev: 'eth0', mac: '0a:58:0a:f4:00:03', state: 'REACHABLE' },
    ]);
    expect(finalNetns(sim, 'node-1/default/pod-b').neighbors).toMatchObject([
      { ip: '10.244.0.2', dev: 'eth0', mac: '0a:58:0a:f4:00:02', state: 'DELAY' },
    ]);
    expect(finalNetns(sim, 'node-1').neighbors).toEqual([]);
    // B never sends an ARP request of its own.
    const requests = captured(sim).filter((f) => f.arp?.operation === 1);
    expect(requests.map((f) => f.arp!.sourceProtocolAddr)).toEqual(['10.244.0.2']);
  });

  it('[BR1] learns each pod MAC on its own veth port and forwards known unicast to one port only', () => {
    const sim = sameNode();
    const host = finalNetns(sim, 'node-1');
    const podA = finalNetns(sim, 'node-1/default/pod-a');
    const podB = finalNetns(sim, 'node-1/default/pod-b');
    const learned = host.fdb.filter((e) => !e.permanent);
    expect(learned.map((e) => [e.mac, e.port])).toEqual([
      ['0a:58:0a:f4:00:02', podA.ifaces.find((i) => i.name === 'eth0')!.peer!.iface],
      ['0a:58:0a:f4:00:03', podB.ifaces.find((i) => i.name === 'eth0')!.peer!.iface],
    ]);
    const forwards = sim.steps.filter((s) => s.kind === 'fdb-forward');
    expect(forwards.length).toBeGreaterThan(0);
    expect(forwards.every((s) => !s.fanout)).toBe(true);
  });

  it('[BR2] floods the broadcast ARP request to every port, back to A too (flannel sets hairpinMode), and up to cni0', () => {
    const sim = sameNode();
    const flood = sim.steps.find((s) => s.kind === 'flood')!;
    expect(flood.place.iface).toBe('cni0');
    const targets = (flood.fanout ?? []).map((p) => p.iface);
    const host = finalNetns(sim, 'node-1');
    const ports = host.ifaces.filter((i) => i.master === 'cni0').map((i) => i.name);
    expect(targets).toEqual([...ports, 'cni0']);
  });

  it('[STEP1] state after each step is kept: stepping back removes what a later step added, untouched tables are shared', () => {
    const sim = sameNode();
    const reply = sim.steps.findIndex((s) => s.kind === 'arp' && s.summary.includes('REACHABLE'));
    const before = sim.stateAt(reply - 1).netns['node-1/default/pod-a'].neighbors;
    const after = sim.stateAt(reply).netns['node-1/default/pod-a'].neighbors;
    expect(before[0].state).toBe('INCOMPLETE');
    expect(after[0].state).toBe('REACHABLE');
    expect(sim.stateAt(reply - 1).netns['node-1/default/pod-b']).toBe(
      sim.stateAt(reply).netns['node-1/default/pod-b'],
    );
    expect(sim.stateAt(-1).pods).toEqual([]);
  });

  it('[IP1] echo request has TTL 64 and DF, the reply no DF; both carry the same id, seq and 56-byte payload', () => {
    const frames = captured(sameNode()).filter((f) => f.ip?.repr.protocol === 1);
    const [req, rep] = frames;
    expect(req.ip!.repr).toMatchObject({ ttl: 64, dontFragment: true, dscp: 0 });
    expect(rep.ip!.repr).toMatchObject({ ttl: 64, dontFragment: false });
    expect(req.ip!.repr.identification).not.toBe(0);
    expect(rep.ip!.repr.identification).not.toBe(0);
    const a = parseIcmp(req.ip!.payload).repr;
    const b = parseIcmp(rep.ip!.payload).repr;
    expect([a.type, b.type, a.sequence]).toEqual([8, 0, 1]);
    expect(b.identifier).toBe(a.identifier);
    expect(Buffer.from(b.data).equals(Buffer.from(a.data))).toBe(true);
    expect(a.data.length).toBe(56);
    expect(req.step.frame!.length).toBe(98);
  });
});

describe('TCP handshake as Linux sends it', () => {
  const hostGw = () =>
    simulate(
      scenarioYaml({
        mode: 'host-gw',
        pods: [{ name: 'a' }, { name: 'b', ports: [8080] }],
        actions: ['connect: {from: a, to: b, port: 8080}'],
      }),
    );

  it('[TCP1] at MTU 1500 matches the reference capture: windows, option order, lengths, IP ID 0 on SYN-ACK', () => {
    const ours = captured(hostGw()).filter((f) => f.ip?.repr.protocol === 6);
    const ref = fixtureFrames('same-node').slice(4, 7).map(parseFrame);
    expect(ours.map((f) => f.step.frame!.length)).toEqual([74, 74, 66]);
    for (const [i, f] of ours.entries()) {
      const mine = parseTcp(f.ip!.payload).repr;
      const theirs = parseTcp(ref[i].ip!.payload).repr;
      expect(mine.flags).toEqual(theirs.flags);
      expect(mine.window).toBe(theirs.window);
      expect(mine.options.map((o) => o.kind)).toEqual(theirs.options.map((o) => o.kind));
      expect(mine.options.filter((o) => o.kind !== 'timestamps')).toEqual(
        theirs.options.filter((o) => o.kind !== 'timestamps'),
      );
      expect(f.ip!.repr.dontFragment).toBe(true);
      expect(f.ip!.repr.ttl).toBe(64);
    }
    expect(ours[1].ip!.repr.identification).toBe(0);
    expect(ours[2].ip!.repr.identification).toBe((ours[0].ip!.repr.identification + 1) & 0xffff);
  });

  it('[TCP2] at flannel vxlan MTU 1450 advertises MSS 1410 with windows 64860 / 64308', () => {
    const ours = captured(sameNode()).filter((f) => f.ip?.repr.protocol === 6);
    const [syn, synAck] = ours.map((f) => parseTcp(f.ip!.payload).repr);
    expect(syn.options[0]).toEqual({ kind: 'mss', value: 1410 });
    expect([syn.window, synAck.window]).toEqual([64860, 64308]);
  });

  it('[TCP3] a SYN to a port nobody listens on gets RST,ACK with IP ID 0 and connect fails', () => {
    const sim = simulate(
      scenarioYaml({
        pods: [{ name: 'a' }, { name: 'b', ports: [80] }],
        actions: ['connect: {from: a, to: b, port: 9999}'],
      }),
    );
    const rst = captured(sim).find((f) => f.ip && parseTcp(f.ip.payload).repr.flags.rst)!;
    expect(parseTcp(rst.ip!.payload).repr.flags).toMatchObject({
      rst: true,
      ack: true,
      syn: false,
    });
    expect(rst.ip!.repr.identification).toBe(0);
    expect(sim.steps.at(-1)!.summary).toBe('connect: Connection refused');
  });
});

describe('failures a student can provoke', () => {
  it('[ARP2] an address nobody has: 3 ARP requests 1 s apart, FAILED, Destination Host Unreachable', () => {
    const sim = simulate(
      scenarioYaml({ pods: [{ name: 'a' }], actions: ['ping: {from: a, to: 10.244.0.99}'] }),
    );
    const reqs = captured(sim).filter((f) => f.arp?.operation === 1);
    expect(reqs.map((f) => f.step.timeUs - reqs[0].step.timeUs)).toEqual([0, 1_000_000, 2_000_000]);
    expect(finalNetns(sim, 'node-1/default/a').neighbors[0].state).toBe('FAILED');
    expect(sim.steps.at(-1)!.facts).toMatchObject({
      type: 'ping.local-error',
      reason: 'Destination Host Unreachable',
    });
  });

  it("[IPAM6] a full node subnet fails the sandbox with host-local's error and the pod gets no IP", () => {
    const pods = ['a', 'b', 'c', 'd', 'e', 'f'].map((name) => ({ name }));
    const sim = simulate(scenarioYaml({ maskSize: 29, pods, actions: [] }));
    const snap = sim.stateAt(sim.steps.length - 1);
    expect(snap.pods.filter((p) => p.ip).map((p) => p.ip)).toEqual([
      '10.244.0.2',
      '10.244.0.3',
      '10.244.0.4',
      '10.244.0.5',
      '10.244.0.6',
    ]);
    const f = snap.pods.find((p) => p.name === 'f')!;
    expect(f.ip).toBeUndefined();
    expect(f.reason).toContain('no IP addresses available in range set: 10.244.0.1-10.244.0.6');
  });

  it('[POD1] a crashed app container restarts in the same sandbox with the same IP', () => {
    const sim = simulate(
      scenarioYaml({
        pods: [{ name: 'a', containers: ['app', 'sidecar'] }],
        actions: ['crash: {pod: a, container: app}'],
      }),
    );
    const snap = sim.stateAt(sim.steps.length - 1);
    const pod = snap.pods[0];
    expect(pod.ip).toBe('10.244.0.2');
    expect(pod.containers.find((c) => c.name === 'app')).toMatchObject({
      state: 'running',
      restartCount: 1,
    });
    expect(sim.steps.at(-1)!.summary).toContain('same IP 10.244.0.2');
    expect(snap.netns['node-1/default/a']).toBe(
      sim.stateAt(sim.steps.length - 3).netns['node-1/default/a'],
    );
  });

  it('[POD2] deleting a pod releases its IP; the next pods do not get it back before the range wraps', () => {
    const sim = simulate(
      scenarioYaml({ pods: [{ name: 'a' }, { name: 'b' }], actions: ['delete: {pod: a}'] }),
    );
    const files = sim
      .stateAt(sim.steps.length - 1)
      .nodes[0].ipam.map((f) => f.path.split('/').pop());
    expect(files).toEqual(['10.244.0.3', 'last_reserved_ip.0', 'lock']);
  });

  it('[VAL1] refuses a bad file with every error located, and builds nothing', () => {
    const r = createSimulation(
      'apiVersion: kubewire/v1\nkind: Cluster\nspec:\n  podCIDR: 10.244.0.0/33\n',
    );
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.find((e) => e.message.includes('10.244.0.0/33'))).toMatchObject({
        line: 4,
        column: 12,
      });
      expect(r.errors.length).toBeGreaterThan(1); // also: no nodes, no metadata.name
    }
  });
});

describe('containers of one pod share its network namespace', () => {
  it("[LO1] a sidecar reaches the app on 127.0.0.1 through the pod's own lo, at lo's MSS 65495", () => {
    const sim = simulate(
      scenarioYaml({
        pods: [{ name: 'web', ports: [80], containers: ['app', 'sidecar'] }],
        actions: ['connect: {from: web, to: 127.0.0.1, port: 80}'],
      }),
    );
    const action = sim.steps.findIndex((s) => s.kind === 'action');
    const after = sim.steps.slice(action + 1);
    expect(after.every((s) => s.place.netns === 'node-1/default/web')).toBe(true);
    const frames = captured(sim);
    expect(
      frames.map((f) => [f.eth.src, f.eth.dst, f.ip!.repr.srcAddr, f.ip!.repr.dstAddr]),
    ).toEqual(Array(3).fill(['00:00:00:00:00:00', '00:00:00:00:00:00', '127.0.0.1', '127.0.0.1']));
    const [syn, synAck] = frames.map((f) => parseTcp(f.ip!.payload).repr);
    expect(syn.options[0]).toEqual({ kind: 'mss', value: 65495 });
    expect([syn.window, synAck.window]).toEqual([65495, 65483]);
    expect(sim.steps.at(-1)!.summary).toBe('127.0.0.1:80 ESTABLISHED');
  });
});
