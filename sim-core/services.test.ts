/**
 * Services on the real data path (SPEC SVC1–SVC5): the API server allocates,
 * the Deployment and EndpointSlice controllers write their objects, kube-proxy
 * programs every node's netfilter, and a connection to the Service's name is
 * DNATed to an endpoint and un-DNATed on the way back.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenario } from './scenario/index.ts';
import { formatDiagnostics } from './scenario/format.ts';
import { simulate } from './test/driver.ts';
import type { FactOfType } from './narration/index.ts';
import type { Simulation } from './api.ts';
import type { Step } from './model.ts';

const fixture = readFileSync(
  new URL('./test/fixtures/services/clusterip-two-nodes.yaml', import.meta.url),
  'utf8',
);

function load(text: string) {
  const r = loadScenario(text);
  if (!r.ok) throw new Error(formatDiagnostics(r.errors, 'test.yaml'));
  return r.scenario;
}

function errorsOf(text: string): string[] {
  const r = loadScenario(text);
  return r.ok ? [] : r.errors.map((e) => `${e.line}:${e.column} ${e.message}`);
}

/** The fixture with the Service document replaced. */
const withService = (service: string) =>
  fixture.replace(/kind: Service\n[\s\S]*?\n---\n/, `kind: Service\n${service}\n---\n`);

const facts = <T extends Parameters<typeof isType>[1]>(sim: Simulation, type: T) =>
  sim.steps.filter((s) => isType(s, type)).map((s) => s.facts as FactOfType<T>);
function isType(s: Step, type: Step['facts']['type']): boolean {
  return s.facts.type === type;
}

describe('SVC1 the API server allocates as v1.33 does', () => {
  it('the kubernetes Service holds the first address; a dynamic ClusterIP comes from the upper band', () => {
    const s = load(fixture);
    expect(s.services.map((x) => `${x.metadata.namespace}/${x.metadata.name}`)).toEqual([
      'default/kubernetes',
      'default/web',
    ]);
    expect(s.services[0].spec.clusterIP).toBe('10.96.0.1');
    // 10.96.0.0/12: the static band is min(max(16, 2^20/16), 256) = 256 addresses, 10.96.0.1–10.96.1.0.
    const [a, b, c, d] = s.services[1].spec.clusterIP!.split('.').map(Number);
    const offset = ((a - 10) << 24) + ((b - 96) << 16) + (c << 8) + d;
    expect(a).toBe(10);
    expect(offset).toBeGreaterThan(256);
    expect(offset).toBeLessThan(1 << 20);
  });

  it('an explicit address is honoured; one already taken is refused in the API server’s words, at the value', () => {
    const own = load(
      withService(
        'metadata: {name: web}\nspec:\n  clusterIP: 10.96.0.50\n  selector: {app: web}\n  ports: [{name: http, port: 80, targetPort: http}]',
      ),
    );
    expect(own.services[1].spec.clusterIP).toBe('10.96.0.50');
    const taken = withService(
      'metadata: {name: web}\nspec:\n  clusterIP: 10.96.0.1\n  selector: {app: web}\n  ports: [{name: http, port: 80, targetPort: http}]',
    );
    const errs = errorsOf(taken);
    expect(errs).toHaveLength(1);
    const line = taken.split('\n').findIndex((l) => l.includes('clusterIP: 10.96.0.1')) + 1;
    expect(errs[0]).toBe(
      `${line}:14 The Service "web" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.1"}: failed to allocate IP 10.96.0.1: provided IP is already allocated`,
    );
  });

  it('an address outside the service CIDR and a nodePort outside 30000–32767 are refused', () => {
    const out = errorsOf(
      withService(
        'metadata: {name: web}\nspec:\n  clusterIP: 10.200.0.5\n  selector: {app: web}\n  ports: [{name: http, port: 80, targetPort: http}]',
      ),
    );
    expect(out[0]).toContain('failed to allocate IP 10.200.0.5');
    const port = errorsOf(
      withService(
        'metadata: {name: web}\nspec:\n  type: NodePort\n  selector: {app: web}\n  ports: [{name: http, port: 80, targetPort: http, nodePort: 8080}]',
      ),
    );
    expect(port).toHaveLength(1);
    expect(port[0]).toMatch(
      /spec\.ports\[0\]\.nodePort: Invalid value: 8080: provided port is not in the valid range\. The range of valid ports is 30000-32767$/,
    );
  });

  it('a Deployment whose selector does not select its template is refused as the API server refuses it', () => {
    const bad = fixture.replace('metadata: {labels: {app: web}}', 'metadata: {labels: {app: wbe}}');
    expect(errorsOf(bad)).toEqual([
      expect.stringContaining(
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"wbe"}: `selector` does not match template `labels`',
      ),
    ]);
  });
});

describe('SVC2 a Deployment’s pods have the real name shape', () => {
  it('web-<pod-template-hash>-<5 characters of the safe alphabet>, scheduled round-robin', () => {
    const s = load(fixture);
    const web = s.pods.filter((p) => p.labels.app === 'web');
    expect(web).toHaveLength(3);
    const [d] = s.deployments;
    expect(d.replicaSet).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    for (const p of web) {
      expect(p.name).toMatch(new RegExp(`^${d.replicaSet}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      expect(p.labels['pod-template-hash']).toBe(d.podTemplateHash);
    }
    // The client is placed first (node-1); the three replicas continue round-robin.
    expect(web.map((p) => p.nodeName)).toEqual(['node-1', 'node-2', 'node-1']);
  });
});

describe('SVC3 the EndpointSlice controller and kube-proxy write their objects as steps', () => {
  const sim = simulate(fixture);

  it('one slice web-xxxxx with the three ready pods on port http 8080/TCP', () => {
    const [created] = facts(sim, 'eps.write');
    expect(created.action).toBe('create');
    expect(created.slice).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect([...created.endpoints].sort()).toEqual(['10.244.0.3', '10.244.0.4', '10.244.1.2']);
    expect(created.ready).toBe(3);
    expect(created.ports).toEqual(['http 8080/TCP']);
    const at = sim.steps.findIndex((s) => s.facts.type === 'eps.write');
    const slices = (i: number) => sim.stateAt(i).api.endpointSlices.map((s) => s.metadata.name);
    expect(slices(at - 1)).toEqual(['kubernetes']);
    expect(slices(at)).toEqual(['kubernetes', created.slice]);
  });

  it('kube-proxy syncs each node once, before any traffic', () => {
    const syncs = facts(sim, 'kube-proxy.sync');
    expect(syncs.map((f) => [f.node, f.why])).toEqual([
      ['node-1', 'start'],
      ['node-2', 'start'],
    ]);
    const first = sim.steps.find((s) => s.kind === 'action')!;
    const lastSync = sim.steps.findLast((s) => s.facts.type === 'kube-proxy.sync')!;
    expect(lastSync.index).toBeLessThan(first.index);
    const rules = sim.stateAt(lastSync.index).netns['node-1'].netfilter!;
    expect(Object.keys(rules.tables).sort()).toEqual(['filter', 'mangle', 'nat']);
  });
});

describe('SVC4 a connection to the Service name is DNATed to an endpoint and back', () => {
  const sim = simulate(fixture);
  const svcIP = sim.stateAt(0).api.services.find((s) => s.metadata.name === 'web')!.spec.clusterIP!;

  it('the nat table picks an endpoint of the slice; conntrack un-DNATs the reply', () => {
    const nats = facts(sim, 'nf.nat').filter((f) => f.nat?.kind === 'DNAT');
    expect(nats).toHaveLength(2);
    const endpoints = new Set(['10.244.0.3:8080', '10.244.0.4:8080', '10.244.1.2:8080']);
    for (const f of nats) {
      expect(f.nat!.before).toBe(`${svcIP}:80`);
      expect(endpoints.has(f.nat!.after)).toBe(true);
      expect(f.hits.map((h) => h.chain.replace(/-[A-Z0-9]{16}$/, ''))).toEqual([
        'PREROUTING',
        'KUBE-SERVICES',
        'KUBE-SVC',
        'KUBE-SEP',
      ]);
    }
    const undone = facts(sim, 'ct.nat').filter((f) => f.reply);
    expect(undone.length).toBeGreaterThan(0);
    for (const f of undone) expect(f.after).toBe(`${svcIP}:80`);
  });

  it('the client only ever sees the ClusterIP; the endpoint sees the client’s own address', () => {
    const client = sim.steps.filter(
      (s) => s.place.netns === 'node-1/default/client' && s.kind === 'transmit' && s.frame,
    );
    const synAcks = client.filter((s) => s.summary.includes('[SYN, ACK]'));
    expect(synAcks).toHaveLength(2);
    for (const s of synAcks) expect(s.summary).toMatch(/^80 → \d+ \[SYN, ACK\]/);
  });
});

describe('SVC5 a deleted pod leaves its slice, and kube-proxy follows a second later', () => {
  it('terminating at once, gone when nginx exits; one resync per node after the minimum sync period', () => {
    const first = simulate(fixture);
    const victim = first.scenario.pods.find(
      (p) => p.labels.app === 'web' && p.nodeName === 'node-2',
    )!;
    const text = fixture.replace(
      '  actions:\n',
      `  actions:\n    - delete: {pod: ${victim.name}}\n`,
    );
    const sim = simulate(text);
    const writes = sim.steps.filter((s) => s.facts.type === 'eps.write');
    expect(writes).toHaveLength(3);
    // First the endpoint is marked terminating (still serving), then it leaves with its pod.
    const marked = writes[1].facts as FactOfType<'eps.write'>;
    expect(marked.endpoints).toContain('10.244.1.2');
    expect(marked.terminating).toEqual([{ ip: '10.244.1.2', serving: true }]);
    const update = writes[2].facts as FactOfType<'eps.write'>;
    expect(update.action).toBe('update');
    expect([...update.endpoints].sort()).toEqual(['10.244.0.3', '10.244.0.4']);
    const resyncs = sim.steps.filter(
      (s) =>
        s.facts.type === 'kube-proxy.sync' &&
        (s.facts as FactOfType<'kube-proxy.sync'>).why === 'endpoints',
    );
    // Without a preStop hook nginx is gone within milliseconds: one sync per node takes both changes.
    expect(resyncs).toHaveLength(2);
    expect(resyncs[0].timeUs - writes[1].timeUs).toBe(1_000_000);
    expect(writes[2].timeUs).toBeLessThan(resyncs[0].timeUs);
    // Every connection after the resync goes to a remaining endpoint.
    const after = facts(sim, 'nf.nat').filter((f) => f.nat?.kind === 'DNAT');
    expect(after.length).toBe(2);
    for (const f of after) expect(f.nat!.after).not.toBe('10.244.1.2:8080');
  });
});

const builtin = (file: string) =>
  simulate(readFileSync(new URL(`../public/scenarios/${file}`, import.meta.url), 'utf8'));

describe('SVC6 session affinity pins a client to one endpoint', () => {
  it('every connection after the first matches --rcheck and goes to the same pod', () => {
    const sim = builtin('service-affinity.yaml');
    const dnats = facts(sim, 'nf.nat').filter((f) => f.nat?.kind === 'DNAT');
    expect(dnats).toHaveLength(3);
    expect(new Set(dnats.map((f) => f.nat!.after)).size).toBe(1);
    // The first walks past the --rcheck rules to the random choice; the later ones jump from an --rcheck rule.
    const svcHits = (f: (typeof dnats)[number]) =>
      f.hits.find((h) => h.chain.startsWith('KUBE-SVC-'))!;
    expect(svcHits(dnats[1]).rule).toBeLessThanOrEqual(3);
    expect(svcHits(dnats[2]).rule).toBe(svcHits(dnats[1]).rule);
    expect(svcHits(dnats[0]).rule).toBeGreaterThan(3);
  });
});

describe('SVC7 a pod reaching itself through its Service is masqueraded to cni0', () => {
  it('DNAT to itself, then MASQUERADE to 10.244.0.1 with a --random-fully port', () => {
    const sim = builtin('service-self.yaml');
    const nat = facts(sim, 'nf.nat');
    const dnat = nat.find((f) => f.nat?.kind === 'DNAT')!;
    const masq = nat.find((f) => f.nat?.kind === 'MASQUERADE')!;
    expect(dnat.nat!.after).toBe('10.244.0.3:8080');
    expect(masq.hook).toBe('POSTROUTING');
    expect(masq.nat!.before).toMatch(/^10\.244\.0\.3:\d+$/);
    expect(masq.nat!.after).toMatch(/^10\.244\.0\.1:\d+$/);
    expect(masq.hits.map((h) => h.chain)).toContain('KUBE-POSTROUTING');
  });
});

describe('SVC8 more than 100 endpoints are split into slices', () => {
  it('120 ready pods: slices of 100 and 20, and one KUBE-SEP- chain each', () => {
    const sim = builtin('service-many-endpoints.yaml');
    const writes = facts(sim, 'eps.write');
    expect(writes.map((w) => [w.action, w.endpoints.length])).toEqual([
      ['create', 100],
      ['create', 20],
    ]);
    const end = sim.stateAt(sim.steps.length - 1);
    const nat = end.netns['node-1'].netfilter!.tables.nat!;
    const seps = [...nat.chainIndex.keys()].filter((c) => c.startsWith('KUBE-SEP-'));
    expect(seps).toHaveLength(121); // 120 endpoints of web, 1 of kubernetes
  });
});

describe('SVC9 IPVS mode: kube-ipvs0, a virtual server, rr and masquerade', () => {
  const sim = builtin('service-ipvs.yaml');
  const ipvsFacts = sim.steps.map((s) => s.facts).filter((f) => f.type.startsWith('ipvs.'));

  it('kube-proxy binds the ClusterIPs to kube-ipvs0 and keeps a few set-matching iptables rules', () => {
    const syncs = facts(sim, 'kube-proxy.sync');
    expect(syncs.map((f) => [f.node, f.mode, f.virtualServers])).toEqual([
      ['node-1', 'ipvs', 2],
      ['node-2', 'ipvs', 2],
    ]);
    const end = sim.stateAt(sim.steps.length - 1).netns['node-1'];
    expect(end.ifaces.some((i) => i.name === 'kube-ipvs0' && i.kind === 'dummy')).toBe(true);
    const svcIP = sim.stateAt(0).api.services.find((s) => s.metadata.name === 'web')!.spec
      .clusterIP!;
    expect(end.ipvs?.dummy?.['kube-ipvs0']).toContain(svcIP);
    expect(end.ipsets?.['KUBE-CLUSTER-IP']?.members).toContain(`${svcIP},tcp:80`);
    // No KUBE-SVC-/KUBE-SEP- chains: the per-Service work is IPVS's.
    const nat = end.netfilter!.tables.nat!;
    expect([...nat.chainIndex.keys()].some((c) => /^KUBE-(SVC|SEP)-/.test(c))).toBe(false);
  });

  it('two connections go to two different endpoints, each masqueraded and un-NATed', () => {
    const picks = facts(sim, 'ipvs.schedule');
    expect(picks).toHaveLength(2);
    expect(picks.map((f) => [f.scheduler, f.how])).toEqual([
      ['rr', 'scheduler'],
      ['rr', 'scheduler'],
    ]);
    const endpoints = ['10.244.0.3:8080', '10.244.0.4:8080', '10.244.1.2:8080'];
    for (const f of picks) expect(endpoints).toContain(f.dest);
    expect(picks[0].dest).not.toBe(picks[1].dest);
    // The masquerade step shows the packet before and after: the ClusterIP, then the real server.
    const nat = sim.steps.find((st) => st.facts.type === 'ipvs.nat')!;
    const dst = (f: Uint8Array | undefined) => Array.from(f!.subarray(30, 34)).join('.');
    const svcIP = sim.stateAt(0).api.services.find((x) => x.metadata.name === 'web')!.spec
      .clusterIP;
    expect(dst(nat.before)).toBe(svcIP);
    expect(`${dst(nat.frame)}:8080`).toBe(picks[0].dest);
    expect(nat.frame![22]).toBe(nat.before![22] - 1); // ip_vs_nat_xmit decrements the TTL
    expect(ipvsFacts.some((f) => f.type === 'ipvs.reply')).toBe(true);
  });
});

describe('SVC10 NodePort from a host outside the cluster', () => {
  const sim = builtin('service-nodeport.yaml');
  const byAction = (n: number) => sim.steps.filter((s) => s.action === n);
  const natOf = (n: number) =>
    byAction(n)
      .filter((s) => s.facts.type === 'nf.nat')
      .map((s) => (s.facts as FactOfType<'nf.nat'>).nat)
      .filter((x) => x !== undefined);

  it('Cluster policy: DNAT on node-1 to the endpoint on node-2, the laptop masqueraded to node-1', () => {
    const [dnat, masq] = natOf(0);
    expect(dnat).toMatchObject({ kind: 'DNAT', before: '192.168.1.10:30080' });
    expect(dnat!.after).toMatch(/^10\.244\.1\.\d+:8080$/);
    expect(masq).toMatchObject({ kind: 'MASQUERADE' });
    expect(masq!.before).toMatch(/^192\.168\.1\.50:\d+$/);
    // MASQUERADE takes the output device's address: flannel.1's 10.244.0.0.
    expect(masq!.after).toMatch(/^10\.244\.0\.0:\d+$/);
  });

  it('Local policy on a node without an endpoint: filter drops the SYN and nc gives up', () => {
    const drops = byAction(1).filter(
      (s) => s.facts.type === 'nf.table' && (s.facts as FactOfType<'nf.table'>).verdict === 'DROP',
    );
    expect(drops.length).toBe(3); // the SYN and its two retransmissions within nc -w 3
    const f = drops[0].facts as FactOfType<'nf.table'>;
    expect([f.table, f.hook]).toEqual(['filter', 'INPUT']);
    expect(f.hits.map((h) => h.chain)).toContain('KUBE-EXTERNAL-SERVICES');
    expect(byAction(1).at(-1)!.facts.type).toBe('nc.connect-timeout');
  });

  it('Local policy on the endpoint’s node: DNAT only, the endpoint sees the laptop’s own address', () => {
    const nat = natOf(2);
    expect(nat.map((x) => x!.kind)).toEqual(['DNAT']);
    const atPod = byAction(2).find(
      (s) => s.place.netns.startsWith('node-2/default/web-') && s.summary.includes('[SYN]'),
    )!;
    expect(atPod.frame).toBeDefined();
    const ipSrc = Array.from(atPod.frame!.subarray(26, 30)).join('.');
    expect(ipSrc).toBe('192.168.1.50');
  });
});

describe('SVC11 spec.hosts are checked like nodes', () => {
  it('an address outside the node network or taken by a node is refused at the value', () => {
    const text = readFileSync(
      new URL('../public/scenarios/service-nodeport.yaml', import.meta.url),
      'utf8',
    );
    const out = errorsOf(
      text.replace('{name: laptop, ip: 192.168.1.50}', '{name: laptop, ip: 10.0.0.5}'),
    );
    expect(out).toEqual([
      expect.stringMatching(
        /^\d+:26 ip 10\.0\.0\.5 of host laptop is outside nodeNetwork 192\.168\.1\.0\/24$/,
      ),
    ]);
    const taken = errorsOf(
      text.replace('{name: laptop, ip: 192.168.1.50}', '{name: laptop, ip: 192.168.1.11}'),
    );
    expect(taken).toEqual([
      expect.stringMatching(/ip 192\.168\.1\.11 is already used by node node-2$/),
    ]);
  });
});

describe('SVC12 a pod that stops being ready stays in its slice, not ready, and gets no new connections', () => {
  it('the slice keeps the endpoint with ready false; after the resync the DNAT avoids it', () => {
    const first = simulate(fixture);
    const victim = first.scenario.pods.find(
      (p) => p.labels.app === 'web' && p.nodeName === 'node-2',
    )!;
    const ip = first.stateAt(first.steps.length - 1).pods.find((p) => p.name === victim.name)!.ip!;
    const text = fixture.replace(
      '  actions:\n',
      `  actions:\n    - ready: {pod: ${victim.name}, ready: false}\n`,
    );
    const sim = simulate(text);
    const probe = sim.steps.find((s) => s.facts.type === 'kubelet.readiness')!;
    expect(probe.facts).toMatchObject({ ready: false, ip });
    const update = facts(sim, 'eps.write')[1];
    expect(update.action).toBe('update');
    expect(update.endpoints).toHaveLength(3);
    expect(update.ready).toBe(2);
    const slice = sim
      .stateAt(sim.steps.length - 1)
      .api.endpointSlices.find((s) => s.metadata.name === update.slice)!;
    expect(slice.endpoints.find((e) => e.addresses[0] === ip)!.conditions).toEqual({
      ready: false,
      serving: false,
      terminating: false,
    });
    for (const f of facts(sim, 'nf.nat').filter((x) => x.nat?.kind === 'DNAT'))
      expect(f.nat!.after).not.toBe(`${ip}:8080`);
  });

  it('a ready action needs ready: true or false', () => {
    expect(
      errorsOf(fixture.replace('  actions:\n', '  actions:\n    - ready: {pod: client}\n')),
    ).toEqual([expect.stringMatching(/ready needs ready: true or false$/)]);
  });
});

describe('SVC13 a LoadBalancer address is announced on the node network and DNATed', () => {
  it('one node answers ARP for the ingress IP (layer-2 mode); the laptop’s SYN to it is DNATed to an endpoint', () => {
    const text = readFileSync(
      new URL('./test/fixtures/services/loadbalancer.yaml', import.meta.url),
      'utf8',
    );
    const sim = simulate(text);
    const [announce] = facts(sim, 'lb.announce');
    expect(announce).toMatchObject({
      node: 'node-1',
      ip: '192.168.1.240',
      service: 'default/web-lb',
    });
    const speaker = sim.steps.find((s) => s.facts.type === 'arp.speaker')!;
    expect(speaker.facts).toMatchObject({ target: '192.168.1.240', to: '192.168.1.50' });
    // The kernel does not take the address as its own: no neighbour entry for the laptop from that request.
    const dnat = facts(sim, 'nf.nat').find((f) => f.nat?.kind === 'DNAT')!;
    expect(dnat.nat!.before).toBe('192.168.1.240:80');
    expect(dnat.nat!.after).toMatch(/^10\.244\.1\.\d+:8080$/);
  });
});

describe('SVC14 a Service without a selector, with an EndpointSlice written by hand', () => {
  const text = readFileSync(
    new URL('./test/fixtures/services/external-db.yaml', import.meta.url),
    'utf8',
  );

  it('kube-proxy reads the written slice; flannel masquerades the pod to the node; the database answers', () => {
    const sim = simulate(text);
    expect(facts(sim, 'eps.write')).toEqual([]); // no controller writes for a selector-less Service
    const slices = sim.stateAt(0).api.endpointSlices.map((s) => s.metadata.name);
    expect(slices).toEqual(['kubernetes', 'db-1']);
    const nat = facts(sim, 'nf.nat')
      .map((f) => f.nat)
      .filter((x) => x !== undefined);
    expect(nat[0]).toMatchObject({ kind: 'DNAT', after: '192.168.1.60:5432' });
    expect(nat[1]).toMatchObject({ kind: 'MASQUERADE' });
    expect(nat[1]!.after).toMatch(/^192\.168\.1\.10:\d+$/);
    const masq = facts(sim, 'nf.nat').find((f) => f.nat?.kind === 'MASQUERADE')!;
    // KUBE-POSTROUTING returns (no 0x4000 mark); flannel's chain masquerades the pod network's traffic.
    const chains = masq.hits.map((h) => h.chain);
    expect(chains.indexOf('KUBE-POSTROUTING')).toBeLessThan(chains.indexOf('FLANNEL-POSTRTG'));
    expect(masq.hits.at(-1)).toMatchObject({ chain: 'FLANNEL-POSTRTG', target: 'MASQUERADE' });
    expect(facts(sim, 'tcp.accepted')[0]).toMatchObject({ who: 'host db' });
  });

  it('a slice without the kubernetes.io/service-name label is refused: kube-proxy would ignore it', () => {
    const errs = errorsOf(text.replace('  labels: {kubernetes.io/service-name: db}\n', ''));
    expect(errs).toEqual([
      expect.stringMatching(/names its Service with the label kubernetes\.io\/service-name/),
    ]);
  });
});

describe('SVC15 a headless Service has endpoints and no rules', () => {
  it('the slice lists the pods; kube-proxy writes no KUBE-SVC- chain for it; no DNAT happens', () => {
    const sim = builtin('service-headless.yaml');
    const web = sim.stateAt(0).api.services.find((s) => s.metadata.name === 'web')!;
    expect(web.spec.clusterIP).toBe('None');
    expect(facts(sim, 'eps.write')[0].endpoints).toHaveLength(3);
    const nat = sim.stateAt(sim.steps.length - 1).netns['node-1'].netfilter!.tables.nat!;
    const svcChains = [...nat.chainIndex.keys()].filter((c) => c.startsWith('KUBE-SVC-'));
    expect(svcChains).toHaveLength(1); // the kubernetes Service's only
    expect(facts(sim, 'nf.nat').filter((f) => f.nat?.kind === 'DNAT')).toEqual([]);
    expect(facts(sim, 'tcp.accepted')).toHaveLength(1);
  });
});
