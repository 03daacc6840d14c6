/**
 * Cilium's kube-proxy replacement (issue 8): cilium-agent's service map and
 * cil_sock4_connect, held against Cilium's source (bpf/bpf_sock.c's
 * __sock4_xlate_fwd: slot = random % count + 1, the sockaddr rewritten in
 * connect(); cilium-dbg/cmd/bpf_lb_list.go's format strings and
 * TablePrinter's tabwriter) and tshark on our pcap. Each claim is checked
 * beside the same Services under kube-proxy's iptables rules, where the
 * opposite holds, so a test that could not fail would show.
 */
import { describe, expect, it } from 'vitest';
import type { Simulation } from './api.ts';
import type { Fact, FactOfType } from './narration/facts.ts';
import { checkScenario, createSimulation } from './simulation.ts';
import { correspond } from './compare/correspond.ts';
import { publicScenario, simulate } from './test/driver.ts';
import { kubewire } from './test/cli.ts';
import { hasTshark, runTshark } from './wire/tshark-helper.ts';

const FILE = new URL('../public/scenarios/cilium-socket-lb.yaml', import.meta.url).pathname;
const KPR = publicScenario('cilium-socket-lb.yaml');
/** The same file with kube-proxy: Cilium with kube-proxy's iptables rules. */
const IPTABLES = KPR.replace(', kubeProxyReplacement: true', '');

const facts = <T extends Fact['type']>(sim: Simulation, type: T) =>
  sim.steps.filter((s) => s.facts.type === type).map((s) => s.facts as FactOfType<T>);

function serviceIp(sim: Simulation): string {
  const svc = sim.stateAt(sim.steps.length - 1).api.services.find((s) => s.metadata.name === 'web');
  return svc!.spec.clusterIP!;
}

function webIps(sim: Simulation): string[] {
  return sim
    .stateAt(sim.steps.length - 1)
    .pods.filter((p) => p.name.startsWith('web-'))
    .map((p) => p.ip!);
}

describe('Cilium kube-proxy replacement: the Cluster field', () => {
  it('[CIL11] kubeProxyReplacement is true or false, only for Cilium; the removed "strict" says what to write', () => {
    expect(checkScenario(KPR).ok).toBe(true);
    const strict = checkScenario(
      KPR.replace('kubeProxyReplacement: true}', 'kubeProxyReplacement: strict}'),
    );
    expect(strict.ok).toBe(false);
    if (!strict.ok) {
      expect(strict.errors[0].message).toBe(
        'kubeProxyReplacement: "strict" was removed in Cilium 1.14; write true',
      );
      const line = KPR.split('\n').findIndex((l) => l.includes('cni: {plugin: cilium')) + 1;
      expect(strict.errors[0].line).toBe(line);
    }
    const flannel = checkScenario(
      KPR.replace(
        'cni: {plugin: cilium, mode: native, clusterPoolIPv4PodCIDRList: 10.0.0.0/16, kubeProxyReplacement: true}',
        'cni: {plugin: flannel, kubeProxyReplacement: true}',
      ),
    );
    expect(flannel.ok).toBe(false);
    if (!flannel.ok)
      expect(flannel.errors[0].message).toBe(
        'kubeProxyReplacement applies only to cni plugin cilium',
      );
  });
});

describe('Cilium kube-proxy replacement: no kube-proxy', () => {
  it('[CIL12] kube-proxy writes no rules: no KUBE- chain on any node, no kube-proxy sync; cilium-agent fills the service map instead', () => {
    const sim = simulate(KPR);
    expect(facts(sim, 'kube-proxy.sync')).toHaveLength(0);
    expect(facts(sim, 'cilium.lb-sync').map((f) => f.node)).toEqual(['node-1', 'node-2']);
    for (const node of ['node-1', 'node-2']) {
      const save = kubewire('iptables-save', FILE, '--node', node);
      expect(save.code).toBe(0);
      expect(save.out).not.toMatch(/KUBE-/);
    }
    // The same Services under kube-proxy: its chains are there.
    const withProxy = simulate(IPTABLES);
    expect(facts(withProxy, 'kube-proxy.sync').length).toBeGreaterThan(0);
  });

  it('[CIL13] cil_sock4_connect runs inside connect(), before any packet of the action, and picks a backend of the Service', () => {
    const sim = simulate(KPR);
    const backends = webIps(sim).map((ip) => `${ip}:8080`);
    for (const action of [0, 1]) {
      const steps = sim.steps.filter((s) => s.action === action);
      const bpf = steps.findIndex((s) => s.facts.type === 'cilium.sock-lb');
      const firstFrame = steps.findIndex((s) => s.frame !== undefined);
      expect(bpf).toBeGreaterThanOrEqual(0);
      expect(bpf).toBeLessThan(firstFrame);
      const f = steps[bpf].facts as FactOfType<'cilium.sock-lb'>;
      expect(f.prog).toBe('cil_sock4_connect');
      expect(f.frontend).toBe(`${serviceIp(sim)}:80/TCP`);
      expect(backends).toContain(f.backend);
      // The slot names the backend: slot n is the n-th backend of the frontend in node-1's map.
      const lb = sim
        .stateAt(steps[bpf].index)
        .nodes[0].bpf!.lb!.find((x) => `${x.address}:${x.port}/TCP` === f.frontend)!;
      const b = lb.backends[f.slot! - 1];
      expect(`${b.address}:${b.port}`).toBe(f.backend);
      expect(steps[bpf].kind).toBe('bpf');
      expect(steps[bpf].touched).toContainEqual(
        expect.objectContaining({ table: 'bpf-lb', key: f.frontend, change: 'read' }),
      );
    }
  });

  it('[CIL14] conntrack holds no NAT for the connection; with kube-proxy it holds the DNAT', () => {
    const sim = simulate(KPR);
    const vip = serviceIp(sim);
    expect(facts(sim, 'nf.nat')).toHaveLength(0);
    expect(facts(sim, 'ct.nat')).toHaveLength(0);
    for (const node of ['node-1', 'node-2']) {
      const ct = kubewire('conntrack', FILE, '--node', node, '--at', String(sim.steps.length - 1));
      expect(ct.out).not.toContain(vip);
    }
    const withProxy = simulate(IPTABLES);
    expect(facts(withProxy, 'nf.nat').some((f) => f.nat?.kind === 'DNAT')).toBe(true);
  });

  it("[CIL15] the client's socket is connected to the backend, and getpeername() answers the ClusterIP", () => {
    const sim = simulate(KPR);
    const vip = serviceIp(sim);
    const estab = (i: number) =>
      sim
        .stateAt(i)
        .netns['node-1/default/client']?.sockets?.find(
          (s) => s.protocol === 'tcp' && s.state === 'ESTAB',
        );
    const at = sim.steps.findIndex((s) => estab(s.index) !== undefined);
    expect(at).toBeGreaterThan(0);
    const client = estab(at)!;
    expect(webIps(sim)).toContain(client.peerAddr);
    expect(client.peerPort).toBe(8080);
    expect(client.sockPeer).toBe(`${vip}:80`);
  });
});

describe.skipIf(!hasTshark)('Cilium kube-proxy replacement: tshark', () => {
  it('[CIL16] every SYN on the wire (tshark on our pcap) is addressed to a backend pod, none to the ClusterIP; under kube-proxy the pod sends it to the ClusterIP', async () => {
    const sim = simulate(KPR);
    const vip = serviceIp(sim);
    const backends = webIps(sim);
    const pkts = (await runTshark(sim.exportPcap()))!;
    const syns = pkts.filter(
      (p) =>
        p._source.layers.tcp?.['tcp.flags_tree']?.['tcp.flags.syn'] === '1' &&
        p._source.layers.tcp?.['tcp.flags_tree']?.['tcp.flags.ack'] === '0',
    );
    expect(syns.length).toBeGreaterThan(0);
    for (const p of syns) {
      expect(backends).toContain(p._source.layers.ip['ip.dst']);
      expect(p._source.layers.tcp['tcp.dstport']).toBe('8080');
    }
    expect(
      pkts.some((p) =>
        [p._source.layers.ip?.['ip.dst'], p._source.layers.ip?.['ip.src']].includes(vip),
      ),
    ).toBe(false);

    const withProxy = simulate(IPTABLES);
    const proxied = (await runTshark(withProxy.exportPcap()))!;
    const vipProxied = serviceIp(withProxy);
    expect(proxied.some((p) => p._source.layers.ip?.['ip.dst'] === vipProxied)).toBe(true);
  });
});

describe('Cilium kube-proxy replacement: cilium bpf lb list', () => {
  it('[CIL17] kubewire bpf-lb prints the service map as cilium-dbg bpf lb list: slot 0 per frontend, then each backend slot', () => {
    const sim = simulate(KPR);
    const vip = serviceIp(sim);
    const r = kubewire('bpf-lb', FILE, '--node', 'node-1');
    expect(r.code).toBe(0);
    const lines = r.out.replace(/\n$/, '').split('\n');
    // TablePrinter: tabwriter.NewWriter(os.Stdout, 5, 0, 3, ' ', 0) with "%s\t%s\t\n": both cells padded by 3.
    expect(lines[0]).toMatch(/^SERVICE ADDRESS {3,}BACKEND ADDRESS \(REVNAT_ID\) \(SLOT\) {3,}$/);
    const col = lines[0].indexOf('BACKEND');
    for (const l of lines) expect(l.length).toBe(lines[0].length);
    const at = lines.findIndex((l) => l.startsWith(`${vip}:80/TCP `));
    expect(at).toBeGreaterThan(0);
    // dumpSVC: slot 0 is "%s:%d (%d) (%d) [%s] %s" with ip 0.0.0.0, port 0, the flags, an empty extra.
    const id = /^0\.0\.0\.0:0 \((\d+)\) \(0\) \[ClusterIP, non-routable\] $/.exec(
      lines[at].slice(col).trimEnd() + ' ',
    );
    expect(id).not.toBeNull();
    // Backends: "%s:%d/%s (%d) (%d)", the rev NAT id of the frontend and slots 1 … n.
    const backends = webIps(sim);
    const rows = lines.slice(at + 1, at + 1 + backends.length);
    rows.forEach((row, i) => {
      expect(row.slice(0, col).trim()).toBe('');
      expect(row.slice(col).trimEnd()).toMatch(
        new RegExp(
          `^(${backends.join('|').replace(/\./g, '\\.')}):8080/TCP \\(${id![1]}\\) \\(${i + 1}\\)$`,
        ),
      );
    });
    // The API server's Service is the agent's first: rev NAT 1, kubeadm's control plane on 6443.
    expect(lines[1]).toMatch(
      /^10\.96\.0\.1:443\/TCP +0\.0\.0\.0:0 \(1\) \(0\) \[ClusterIP, non-routable\]/,
    );
    expect(lines[2].trim()).toBe('192.168.1.10:6443/TCP (1) (1)');
  });

  it('[CIL17] bpf-lb without kubeProxyReplacement says how to get a service map', () => {
    const r = kubewire(
      'bpf-lb',
      new URL('../public/scenarios/cilium-native.yaml', import.meta.url).pathname,
      '--node',
      'node-1',
    );
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('set cni.kubeProxyReplacement: true');
  });
});

describe('Cilium kube-proxy replacement: compare mode', () => {
  it('[CIL18] beside the flannel iptables path, every packet of the socket-LB trace is sent and reaches its pod in step', () => {
    const left = simulate(KPR);
    const r = createSimulation(KPR, { modes: { layer: 'cni', plugin: 'flannel', mode: 'vxlan' } });
    if (!r.ok) throw new Error(r.errors[0].message);
    const right = r.sim;
    // The right side is the iptables path: kube-proxy DNATs there.
    expect(right.steps.some((s) => s.facts.type === 'nf.nat')).toBe(true);
    const c = correspond(left.steps, right.steps);
    const reaches = c.left.label
      .map((l, i) => [l, i] as const)
      .filter(([l]) => l?.startsWith('reaches default/web'));
    expect(reaches.length).toBeGreaterThan(0);
    for (const [label, i] of reaches) {
      const m = c.toRight(i);
      expect(m.kind).toBe('milestone');
      expect(c.right.label[m.index]).toMatch(/^reaches default\/web-/);
      expect(label).toMatch(/^reaches default\/web-/);
    }
  });
});
