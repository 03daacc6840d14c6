/**
 * The simulator against the machine's own Linux kernel: the same-node
 * scenario is built out of real network namespaces, exactly as the
 * simulation describes it (cni0 with the gateway address, veth pairs with the
 * simulation's names, MACs, MTU 1450 and hairpin on, the pods' routes), pod A
 * pings pod B, and what the kernel put on pod A's eth0 and left in its
 * tables must be what the simulation says.
 *
 * Needs root, `ip netns`, iputils `ping` and `dumpcap` (tshark's package);
 * otherwise it is skipped with the reason printed.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulation } from './api.ts';
import type { Netns } from './model.ts';
import { formatNeighbor } from './format/tables.ts';
import { readPcap } from './wire/pcap.ts';
import { publicScenario, simulate } from './test/driver.ts';

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

function whyNot(): string | undefined {
  if (process.getuid?.() !== 0) return 'not running as root';
  for (const cmd of ['ip', 'ping', 'dumpcap', 'bridge'])
    if (!has(cmd)) return `${cmd} is not installed`;
  const probe = `kwt-probe-${process.pid}`;
  const add = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  if (add.status !== 0) return `ip netns add fails: ${add.stderr.trim()}`;
  spawnSync('ip', ['netns', 'del', probe]);
  return undefined;
}

const reason = whyNot();
if (reason) console.warn(`SKIP linux.test.ts (real network namespaces): ${reason}`);

const sh = (...args: string[]) => execFileSync(args[0], args.slice(1), { encoding: 'utf8' });

describe.skipIf(reason !== undefined)('the simulation against real network namespaces', () => {
  const tag = `kwt${process.pid}`;
  const ns = { node: `${tag}-node`, a: `${tag}-a`, b: `${tag}-b` };
  const dir = mkdtempSync(join(tmpdir(), 'kubewire-linux-'));
  const pcap = join(dir, 'pod-a-eth0.pcap');
  let sim: Simulation;
  let podA: Netns;
  let podB: Netns;
  let host: Netns;
  let capture: ChildProcess | undefined;

  /** Builds a pod's side as the bridge CNI plugin would, from the simulation's own description. */
  function buildPod(name: string, pod: Netns): void {
    const eth0 = pod.ifaces.find((i) => i.name === 'eth0')!;
    const veth = eth0.peer!.iface;
    sh(
      'ip',
      '-n',
      ns.node,
      'link',
      'add',
      veth,
      'type',
      'veth',
      'peer',
      'name',
      'eth0',
      'netns',
      name,
    );
    sh('ip', '-n', name, 'link', 'set', 'eth0', 'address', eth0.mac, 'mtu', String(eth0.mtu));
    sh('ip', '-n', name, 'addr', 'add', `${eth0.ip}/${eth0.prefixLength}`, 'dev', 'eth0');
    sh('ip', '-n', name, 'link', 'set', 'eth0', 'up');
    const hostEnd = host.ifaces.find((i) => i.name === veth)!;
    sh(
      'ip',
      '-n',
      ns.node,
      'link',
      'set',
      veth,
      'address',
      hostEnd.mac,
      'mtu',
      String(hostEnd.mtu),
    );
    sh('ip', '-n', ns.node, 'link', 'set', veth, 'master', 'cni0', 'up');
    sh('bridge', '-n', ns.node, 'link', 'set', 'dev', veth, 'hairpin', 'on');
    for (const r of pod.routes.filter((r) => r.via)) {
      sh('ip', '-n', name, 'route', 'add', r.dst, 'via', r.via!, 'dev', r.dev);
    }
  }

  beforeAll(async () => {
    sim = simulate(publicScenario('same-node.yaml'));
    const pingDone = sim.steps.findLastIndex((s) => s.action === 0);
    const at = sim.stateAt(pingDone);
    podA = at.netns['node-1/default/pod-a'];
    podB = at.netns['node-1/default/pod-b'];
    host = at.netns['node-1'];
    for (const n of Object.values(ns)) {
      sh('ip', 'netns', 'add', n);
      // No IPv6: no router solicitations or DAD in the capture, as in the reference captures.
      sh(
        'ip',
        'netns',
        'exec',
        n,
        'sysctl',
        '-qw',
        'net.ipv6.conf.all.disable_ipv6=1',
        'net.ipv6.conf.default.disable_ipv6=1',
      );
    }
    const cni0 = host.ifaces.find((i) => i.name === 'cni0')!;
    sh('ip', '-n', ns.node, 'link', 'add', 'cni0', 'type', 'bridge');
    sh(
      'ip',
      '-n',
      ns.node,
      'link',
      'set',
      'cni0',
      'address',
      cni0.mac,
      'mtu',
      String(cni0.mtu),
      'up',
    );
    sh('ip', '-n', ns.node, 'addr', 'add', `${cni0.ip}/${cni0.prefixLength}`, 'dev', 'cni0');
    buildPod(ns.a, podA);
    buildPod(ns.b, podB);
    // dumpcap, not tshark: tshark would start its extcap helpers inside the pod.
    // Only ARP and ICMP: the kernel also sends IGMP reports when an address comes up,
    // at times of its own, and the simulation does not model IGMP.
    const filter = 'arp or icmp';
    capture = spawn(
      'ip',
      ['netns', 'exec', ns.a, 'dumpcap', '-i', 'eth0', '-f', filter, '-P', '-w', pcap],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('dumpcap did not start')), 10_000);
      capture!.stderr!.on('data', (d: Buffer) => {
        if (/Capturing on/.test(d.toString())) {
          clearTimeout(timer);
          setTimeout(resolve, 300);
        }
      });
    });
    sh(
      'ip',
      'netns',
      'exec',
      ns.a,
      'ping',
      '-c',
      '1',
      '-W',
      '2',
      podB.ifaces.find((i) => i.name === 'eth0')!.ip!,
    );
    await new Promise((r) => setTimeout(r, 500));
    capture.kill('SIGINT');
    await new Promise((r) => capture!.once('exit', r));
  }, 30_000);

  afterAll(() => {
    capture?.kill('SIGKILL');
    for (const n of Object.values(ns)) spawnSync('ip', ['netns', 'del', n]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("[LNX1] pod A's eth0 carries the frames the simulation shows there, byte for byte outside the random fields", () => {
    const real = readPcap(new Uint8Array(readFileSync(pcap))).records.map((r) => r.data);
    const ours = sim.steps
      .filter((s) => s.action === 0 && s.frame)
      .filter(
        (s) =>
          (s.from?.netns === podA.id && s.from.iface === 'eth0') ||
          (s.kind === 'transmit' && s.place.netns === podA.id && s.place.iface === 'eth0'),
      )
      .map((s) => s.frame!);
    expect(real.map((f) => f.length)).toEqual(ours.map((f) => f.length));
    // Random per run: IP ID and header checksum, ICMP checksum and identifier, ping's timestamp.
    const random = [
      [18, 20],
      [24, 26],
      [36, 40],
      [42, 58],
    ];
    real.forEach((frame, i) => {
      const differing = [...frame.keys()].filter(
        (k) => frame[k] !== ours[i][k] && !random.some(([s, e]) => k >= s && k < e),
      );
      expect(differing, `frame ${i + 1}`).toEqual([]);
    });
  });

  it("[LNX2] the kernel's neighbour tables and cni0's learned MACs are the simulation's", () => {
    const neigh = (n: string) =>
      sh('ip', '-n', n, 'neigh', 'show')
        .trim()
        .split('\n')
        .map((l) => l.trim());
    expect(neigh(ns.a)).toEqual(podA.neighbors.map(formatNeighbor));
    expect(neigh(ns.b)).toEqual(podB.neighbors.map(formatNeighbor));
    expect(sh('ip', '-n', ns.node, 'neigh', 'show').trim()).toBe('');
    const learned = sh('bridge', '-n', ns.node, 'fdb', 'show', 'br', 'cni0')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.startsWith('0a:58:0a:f4:00:0') && !l.includes('permanent'))
      .sort();
    const ourLearned = host.fdb
      .filter((e) => !e.permanent)
      .map((e) => `${e.mac} dev ${e.port} master ${e.bridge}`)
      .sort();
    expect(learned).toEqual(ourLearned);
  });
});
