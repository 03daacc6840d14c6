/**
 * [BCAST1-5] Broadcast and multicast pings as Linux and iputils do them:
 * without -b ping refuses a broadcast address (its probe socket's connect()
 * gets EACCES), with -b the echo request goes out once to ff:ff:ff:ff:ff:ff,
 * a multicast group needs no -b and goes to 01:00:5e:… with TTL 1, and a
 * receiver answers only when net.ipv4.icmp_echo_ignore_broadcasts is 0.
 * BCAST5 holds the same against a real ping in namespaces the test builds.
 */
import { describe, expect, it } from 'vitest';
import type { Step } from './model.ts';
import { parseFrame } from './dataplane/frames.ts';
import { parseIcmp } from './wire/icmp.ts';
import { simulate } from './test/driver.ts';
import { netnsSkipReason, run } from './test/netns.ts';
import { PING_BROADCAST_REFUSED } from './narration/ip.ts';

function cluster(actions: string[], nodeSysctls = ''): string {
  return `apiVersion: kubewire/v1
kind: Cluster
metadata: {name: bcast}
spec:
  nodes:
    - {name: node-1, ip: 192.168.1.10${nodeSysctls ? `, sysctls: {${nodeSysctls}}` : ''}}
---
${['a', 'b', 'c']
  .map(
    (p) => `apiVersion: v1
kind: Pod
metadata: {name: ${p}}
spec:
  nodeName: node-1
  containers: [{name: app, image: busybox}]`,
  )
  .join('\n---\n')}
---
apiVersion: kubewire/v1
kind: Scenario
metadata: {name: bcast}
spec:
  title: broadcast
  goal: broadcast
  actions:
${actions.map((a) => `    - ${a}`).join('\n')}
`;
}

const echoes = (steps: readonly Step[], type: 8 | 0) =>
  steps.filter((s) => {
    if (!s.frame || s.kind !== 'transmit') return false;
    const { ip } = parseFrame(s.frame);
    return ip?.repr.protocol === 1 && parseIcmp(ip.payload).repr.type === type;
  });

describe('[BCAST1] without -b ping refuses a broadcast address', () => {
  it.each(['10.244.0.255', '255.255.255.255'])('ping %s: iputils message, nothing sent', (dst) => {
    const sim = simulate(cluster([`ping: {from: a, to: ${dst}}`]));
    const refused = sim.steps.filter((s) => s.facts.type === 'ping.broadcast-refused');
    expect(refused).toHaveLength(1);
    expect(refused[0].kind).toBe('error');
    expect(refused[0].summary).toBe(
      'ping: Do you want to ping broadcast? Then -b. If not, check your local firewall rules',
    );
    expect(echoes(sim.steps, 8)).toHaveLength(0);
    expect(sim.steps.some((s) => s.kind === 'arp')).toBe(false);
  });

  it('another node subnet’s broadcast is unicast for the sender: routed, no -b needed', () => {
    const sim = simulate(cluster(['ping: {from: a, to: 10.244.1.255}']));
    expect(sim.steps.some((s) => s.facts.type === 'ping.broadcast-refused')).toBe(false);
    // Sent to the gateway's MAC (cni0), not to ff:ff:ff:ff:ff:ff.
    const first = parseFrame(echoes(sim.steps, 8)[0].frame!);
    expect(first.eth.dst).not.toBe('ff:ff:ff:ff:ff:ff');
  });
});

describe('[BCAST2] ping -b: one L2 broadcast, ignored by default', () => {
  it('goes to ff:ff:ff:ff:ff:ff without ARP; b, c, the node and a itself ignore it (icmp_echo_ignore_broadcasts=1)', () => {
    const sim = simulate(cluster(['ping: {from: a, to: 10.244.0.255, broadcast: true}']));
    expect(sim.steps.find((s) => s.facts.type === 'ping.broadcast')?.summary).toBe(
      'WARNING: pinging broadcast address',
    );
    const sent = parseFrame(echoes(sim.steps, 8)[0].frame!);
    expect(sent.eth.dst).toBe('ff:ff:ff:ff:ff:ff');
    expect(sent.ip?.repr.dstAddr).toBe('10.244.0.255');
    expect(sim.steps.some((s) => s.kind === 'arp' || s.facts.type === 'neigh.solicit')).toBe(false);
    const ignored = sim.steps
      .filter((s) => s.facts.type === 'icmp.ignore-broadcast')
      .map((s) => s.place.netns)
      .sort();
    // a hears its own broadcast too: cni0's ports are in hairpin mode (flannel's hairpinMode: true).
    expect(ignored).toEqual(['node-1', 'node-1/default/a', 'node-1/default/b', 'node-1/default/c']);
    expect(sim.steps.some((s) => s.facts.type === 'ping.reply')).toBe(false);
  });
});

describe('[BCAST3] icmp_echo_ignore_broadcasts=0 on the node: the node answers', () => {
  it('a reply from cni0’s address 10.244.0.1, none from the pods (their namespaces keep 1)', () => {
    const sim = simulate(
      cluster(
        ['ping: {from: a, to: 10.244.0.255, broadcast: true}'],
        'net.ipv4.icmp_echo_ignore_broadcasts: 0',
      ),
    );
    const replies = sim.steps.filter((s) => s.facts.type === 'ping.reply');
    expect(replies.map((s) => (s.facts as { src: string }).src)).toEqual(['10.244.0.1']);
    expect(sim.steps.filter((s) => s.facts.type === 'icmp.ignore-broadcast')).toHaveLength(3);
  });
});

describe('[BCAST4] 224.0.0.1, all hosts: multicast needs no -b', () => {
  it('goes to 01:00:5e:00:00:01 with TTL 1, and is ignored like a broadcast', () => {
    const sim = simulate(cluster(['ping: {from: a, to: 224.0.0.1}']));
    expect(sim.steps.some((s) => s.facts.type === 'ping.broadcast-refused')).toBe(false);
    const sent = parseFrame(echoes(sim.steps, 8)[0].frame!);
    expect(sent.eth.dst).toBe('01:00:5e:00:00:01');
    expect(sent.ip?.repr.ttl).toBe(1);
    expect(sim.steps.filter((s) => s.facts.type === 'icmp.ignore-broadcast')).toHaveLength(4);
  });

  it('answered by the node once its sysctl is 0', () => {
    const sim = simulate(
      cluster(['ping: {from: a, to: 224.0.0.1}'], 'net.ipv4.icmp_echo_ignore_broadcasts: 0'),
    );
    const replies = sim.steps.filter((s) => s.facts.type === 'ping.reply');
    expect(replies.map((s) => (s.facts as { src: string }).src)).toEqual(['10.244.0.1']);
  });
});

const skip = netnsSkipReason(['ping']);
if (skip) console.log(`[BCAST5] skipped: ${skip}`);

describe.skipIf(skip)('[BCAST5] the same with a real ping in network namespaces', () => {
  /** Two namespaces on a bridge in a third, 10.99.0.2/24 and .3/24, like two pods on cni0. */
  function lab<T>(fn: (exec: (ns: string, cmd: string) => ReturnType<typeof run>) => T): T {
    const id = `${process.pid}`.slice(-5);
    const [br, a, b] = [`kwbr${id}`, `kwa${id}`, `kwb${id}`];
    const sh = (cmd: string) => run('sh', ['-c', cmd]);
    const exec = (ns: string, cmd: string) => run('ip', ['netns', 'exec', ns, 'sh', '-c', cmd]);
    try {
      for (const ns of [br, a, b]) expect(sh(`ip netns add ${ns}`).status).toBe(0);
      exec(br, 'ip link add cni0 type bridge && ip link set cni0 up');
      for (const [ns, ip] of [
        [a, '10.99.0.2'],
        [b, '10.99.0.3'],
      ]) {
        sh(`ip link add v${ns} netns ${br} type veth peer name eth0 netns ${ns}`);
        exec(br, `ip link set v${ns} master cni0 && ip link set v${ns} up`);
        // A default route, as a pod has: 255.255.255.255 and 224.0.0.1 are routed by it.
        exec(
          ns,
          `ip addr add ${ip}/24 dev eth0 && ip link set eth0 up && ip link set lo up && ip route add default dev eth0`,
        );
      }
      return fn((ns, cmd) => exec(ns === 'a' ? a : b, cmd));
    } finally {
      for (const ns of [br, a, b]) sh(`ip netns del ${ns}`);
    }
  }

  it('no -b: exit 2 and iputils’ message; -b: nobody answers until the sysctl is 0', () => {
    lab((exec) => {
      expect(exec('b', 'sysctl -n net.ipv4.icmp_echo_ignore_broadcasts').stdout.trim()).toBe('1');
      const refused = exec('a', 'ping -c 1 -W 1 10.99.0.255');
      expect(refused.status).toBe(2);
      expect(refused.stderr.trim()).toBe(PING_BROADCAST_REFUSED);
      const ignored = exec('a', 'ping -b -c 1 -W 1 10.99.0.255');
      expect(ignored.stderr).toContain('WARNING: pinging broadcast address');
      expect(ignored.stdout).toMatch(/1 packets transmitted, 0 received/);
      exec('b', 'sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0');
      const answered = exec('a', 'ping -b -c 1 -W 1 10.99.0.255');
      expect(answered.stdout).toMatch(/bytes from 10\.99\.0\.3: icmp_seq=1/);
      // 224.0.0.1 needs no -b, and b (now at 0) answers it too.
      const group = exec('a', 'ping -c 1 -W 1 224.0.0.1');
      expect(group.stderr).not.toContain('Do you want to ping broadcast');
      expect(group.stdout).toMatch(/bytes from 10\.99\.0\.3/);
    });
  });
});
