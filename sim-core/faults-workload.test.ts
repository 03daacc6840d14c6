/**
 * [FAULT6–12] Faults on workloads and nodes, as a user sees them: which pods
 * exist and where, their IPs, the EndpointSlice's endpoints and conditions,
 * kube-proxy's rules after its resync, and the tools' own words.
 *
 * The expected values are upstream's, not our output:
 *  - pod names: generateName "<rs>-" + 5 of util/rand's alphabet
 *    ("bcdfghjklmnpqrstvwxz2456789");
 *  - deletion order: pkg/controller/controller_utils.go ActivePodsWithRanks.Less
 *    (1. unassigned < assigned, 2. Pending < Unknown < Running, 3. not ready <
 *    ready, 5. more related pods on the node first, 6. ready for less time,
 *    7. more restarts, 8. newer) with LogarithmicScaleDown;
 *  - kubectl drain: staging/src/k8s.io/kubectl/pkg/drain/filters.go
 *    unmanagedFatal = "cannot delete Pods that declare no controller (use --force to override)";
 *  - the scheduler: FitError.Error() "0/%v nodes are available: %v." and
 *    NodeResourcesFit's "Too many pods", with the default preemption plugin's
 *    "No preemption victims found for incoming pod";
 *  - host-local: "failed to allocate for range 0: no IP addresses available
 *    in range set: %s-%s" (plugins/ipam/host-local/backend/allocator), in
 *    containerd's "failed to setup network for sandbox %q" wrapper;
 *  - kube-controller-manager: NodeMonitorGracePeriod 40 s, NodeMonitorPeriod
 *    5 s (SetDefaults_NodeLifecycleControllerConfiguration); DefaultTolerationSeconds 300;
 *  - flannel's kube subnet manager (pkg/subnet/kube/kube.go) reacts to a
 *    Node's deletion or its flannel annotations only, never to its status.
 */
import { describe, expect, it } from 'vitest';
import { publicScenario, simulate } from './test/driver.ts';
import { loadScenario } from './scenario/index.ts';
import { formatDiagnostics } from './scenario/format.ts';
import { iptablesSave } from './dataplane/netfilter/save.ts';
import { formatRoute } from './dataplane/route.ts';
import { podsToDelete, fitError } from './k8s/workload-faults.ts';
import { clusterObjects } from './format/cluster-objects.ts';
import { kubectlGet, resolveResource } from './format/kubectl-get.ts';
import type { Simulation } from './api.ts';
import { narrate } from './narration/narrate.ts';
import type { PodStatus, Step } from './model.ts';

const NAME = /^web-5b8cff8d54-[bcdfghjklmnpqrstvwxz2456789]{5}$/;

const factsOf = <T extends string>(sim: Simulation, type: T) =>
  sim.steps.filter((s) => s.facts.type === type) as (Step & {
    facts: Extract<Step['facts'], { type: T }>;
  })[];
const last = (sim: Simulation) => sim.stateAt(sim.steps.length - 1);
const slice = (sim: Simulation, i: number) =>
  sim
    .stateAt(i)
    .api.endpointSlices.find((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'web')!;
const natSave = (sim: Simulation, i: number, node: string) =>
  iptablesSave(sim.stateAt(i).netnsById(node)!.netfilter!, { tables: ['nat'] });
/** The DNAT targets of kube-proxy's KUBE-SEP chains, in the file's order. */
const dnatTargets = (save: string) =>
  [
    ...save.matchAll(
      /-A KUBE-SEP-\w+ -p tcp -m comment --comment "default\/web:http" -m tcp -j DNAT --to-destination ([\d.]+):8080/g,
    ),
  ].map((m) => m[1]);

/** A built-in with other actions. */
function withActions(file: string, actions: string[]): string {
  const text = publicScenario(file);
  return (
    text.slice(0, text.indexOf('  actions:')) +
    `  actions:\n${actions.map((a) => `    - ${a}\n`).join('')}`
  );
}

describe('[FAULT6] kubectl scale deployment web --replicas=5', () => {
  const sim = simulate(
    withActions('fault-scale-drain.yaml', ['scale: {deployment: web, replicas: 5}']),
  );
  const pods = last(sim).pods.filter((p) => p.name.startsWith('web-'));

  it('makes five pods named as the ReplicaSet controller names them, the first two kept', () => {
    expect(pods).toHaveLength(5);
    for (const p of pods) expect(p.name).toMatch(NAME);
    const made = factsOf(sim, 'rs.create').map((s) => s.facts.pod);
    expect(made).toHaveLength(3);
    expect(new Set(pods.map((p) => `default/${p.name}`))).toEqual(
      new Set([...made, 'default/web-5b8cff8d54-wpds5', 'default/web-5b8cff8d54-wnd4f']),
    );
  });

  it('says the command as kubectl takes it: the name, and -n only outside default', () => {
    const start = factsOf(sim, 'action.start').find((s) => s.facts.kind === 'scale')!;
    expect(start.summary).toBe('kubectl scale deployment web --replicas=5');
    expect(narrate(start.facts).headline).toContain('kubectl scale deployment web --replicas=5');
    expect(narrate({ ...start.facts, pod: 'shop/web' } as typeof start.facts).headline).toContain(
      'kubectl scale deployment web -n shop --replicas=5',
    );
  });

  it('spreads them: every node ends with at most two, the empty node-3 first', () => {
    const binds = factsOf(sim, 'scheduler.bind').map((s) => s.facts.node);
    expect(binds[0]).toBe('node-3');
    for (const n of ['node-1', 'node-2', 'node-3'])
      expect(pods.filter((p) => p.node === n).length).toBeLessThanOrEqual(2);
  });

  it('runs CNI ADD for each in the kubelet order, host-local handing out the next address', () => {
    const first = factsOf(sim, 'rs.create')[0].index;
    const order = sim.steps
      .slice(first)
      .map((s) => s.facts.type)
      .filter((t) =>
        ['rs.create', 'scheduler.bind', 'kubelet.sandbox', 'cni.ipam', 'kubelet.running'].includes(
          t,
        ),
      )
      .slice(0, 5);
    expect(order).toEqual([
      'rs.create',
      'scheduler.bind',
      'kubelet.sandbox',
      'cni.ipam',
      'kubelet.running',
    ]);
    const ips = factsOf(sim, 'cni.ipam')
      .filter((s) => s.index > first)
      .map((s) => `${s.facts.node} ${s.facts.ip}`);
    // node-3's first pod gets .2 (the gateway is .1); node-2 already had .2, so .3.
    expect(ips[0]).toBe('node-3 10.244.2.2');
    expect(ips).toContain('node-2 10.244.1.3');
  });

  it('grows the EndpointSlice to five ready endpoints and kube-proxy to five KUBE-SEP chains', () => {
    const end = sim.steps.length - 1;
    const eps = slice(sim, end).endpoints;
    expect(eps.map((e) => e.addresses[0]).sort()).toEqual(pods.map((p) => p.ip).sort());
    expect(eps.every((e) => e.conditions.ready)).toBe(true);
    const save = natSave(sim, end, 'node-1');
    expect(dnatTargets(save).sort()).toEqual(pods.map((p) => p.ip!).sort());
    // Endpoint i of n is picked with probability 1/(n−i), the last with none. kube-proxy
    // writes %0.10f; the kernel keeps it as a 31-bit fraction and iptables-save prints that
    // back with %.11f (libxt_statistic.c), which is what a real node shows.
    const probs = [...save.matchAll(/--probability ([\d.]+)/g)].map((m) => m[1]);
    expect(probs).toEqual(['0.20000000019', '0.25000000000', '0.33333333349', '0.50000000000']);
  });

  it('shows kubectl get deployments with the new replicas', () => {
    const objects = clusterObjects(sim, sim.steps.length - 1);
    expect(objects.deployments[0]).toMatchObject({
      name: 'web',
      replicas: 5,
      current: 5,
      ready: 5,
    });
  });
});

describe('[FAULT7] scaling down: getPodsToDelete', () => {
  const pod = (name: string, node: string, extra: Partial<PodStatus> = {}): PodStatus => ({
    namespace: 'default',
    name,
    node,
    phase: 'Running',
    sandboxId: name,
    netns: `${node}/default/${name}`,
    containers: [{ name: 'app', image: 'x', state: 'running', restartCount: 0, ports: [] }],
    ...extra,
  });
  const order = (pods: PodStatus[], created: Record<string, number>, nowUs = 100e6) =>
    podsToDelete(
      pods,
      new Map(Object.entries(created).map(([k, v]) => [`default/${k}`, v])),
      nowUs,
      () => ({}),
      pods.length - 1,
    ).map((r) => r.pod.name);

  it('deletes a Pending pod (a sandbox that failed) before Running ones', () => {
    const pods = [pod('a', 'n1'), pod('b', 'n2', { phase: 'Failed' }), pod('c', 'n3')];
    expect(order(pods, { a: 0, b: 0, c: 0 })[0]).toBe('b');
  });

  it('deletes a not-ready pod before ready ones', () => {
    const pods = [pod('a', 'n1'), pod('b', 'n2'), pod('c', 'n3', { unready: true })];
    expect(order(pods, { a: 0, b: 0, c: 0 })[0]).toBe('c');
  });

  it('deletes from the node with more of its pods first', () => {
    const pods = [pod('a', 'n1'), pod('b', 'n2'), pod('c', 'n2')];
    expect(order(pods, { a: 90e6, b: 0, c: 0 }).slice(0, 2).sort()).toEqual(['b', 'c']);
  });

  it('deletes the newer pod first when they differ by a power of two in age', () => {
    const pods = [pod('a', 'n1'), pod('b', 'n2')];
    // Ready for 99 s and for 1 s: log2 of the nanoseconds differs.
    expect(order(pods, { a: 1e6, b: 99e6 })).toEqual(['b']);
  });

  it('on the built-in, scaling 5 → 3 deletes the two newer pods that share a node', () => {
    const sim = simulate(
      withActions('fault-scale-drain.yaml', [
        'scale: {deployment: web, replicas: 5}',
        'scale: {deployment: web, replicas: 3}',
      ]),
    );
    const made = factsOf(sim, 'rs.create').map((s) => s.facts.pod);
    const deleted = factsOf(sim, 'rs.delete');
    expect(deleted).toHaveLength(2);
    for (const d of deleted) {
      expect(made).toContain(d.facts.pod);
      expect(d.facts.node).not.toBe('node-1');
      // All three new pods are ready for about 1.25 s (2^30 ns): equal in rule 6, so by UID.
      expect(d.facts.rank).toMatch(/ready for less time|by UID/);
    }
    const end = sim.steps.length - 1;
    const left = last(sim).pods.filter((p) => p.name.startsWith('web-'));
    expect(left).toHaveLength(3);
    expect(new Set(left.map((p) => p.node))).toEqual(new Set(['node-1', 'node-2', 'node-3']));
    expect(dnatTargets(natSave(sim, end, 'node-2')).sort()).toEqual(left.map((p) => p.ip!).sort());
  });
});

describe('[FAULT8] kubectl drain', () => {
  const sim = simulate(publicScenario('fault-scale-drain.yaml'));
  const end = sim.steps.length - 1;

  it('cordons, evicts, and replaces the evicted web pod on a node that takes pods', () => {
    const cordons = factsOf(sim, 'node.cordon').map((s) => s.summary);
    expect(cordons).toEqual([
      'node/node-3 cordoned',
      'node/node-1 cordoned',
      'node/node-1 already cordoned',
    ]);
    const evicted = factsOf(sim, 'drain.evict').map((s) => s.summary);
    expect(evicted[0]).toMatch(/^evicting pod default\/web-5b8cff8d54-[a-z0-9]{5}$/);
    const binds = factsOf(sim, 'scheduler.bind').filter(
      (s) => s.index > factsOf(sim, 'drain.evict')[0].index,
    );
    expect(binds.length).toBeGreaterThan(0);
    for (const b of binds) expect(b.facts.node).toBe('node-2');
    expect(factsOf(sim, 'drain.done').map((s) => s.summary)).toEqual([
      'node/node-3 drained',
      'node/node-1 drained',
    ]);
  });

  it("refuses a pod without a controller in kubectl's words, evicting nothing", () => {
    const refused = factsOf(sim, 'drain.refused')[0];
    expect(refused.summary).toBe(
      'error: unable to drain node "node-1" due to error: cannot delete Pods that declare no controller (use --force to override): default/client, continuing command...',
    );
    const next = sim.steps.find((s) => s.index > refused.index && s.facts.type === 'action.start')!;
    const between = sim.steps.filter((s) => s.index > refused.index && s.index < next.index);
    expect(between.some((s) => s.facts.type === 'drain.evict')).toBe(false);
  });

  it('ends with every web pod on node-2, the slice and the rules listing only them', () => {
    const web = last(sim).pods.filter((p) => p.name.startsWith('web-'));
    expect(web.map((p) => p.node)).toEqual(['node-2', 'node-2', 'node-2']);
    expect(last(sim).pods.some((p) => p.name === 'client')).toBe(false);
    const eps = slice(sim, end).endpoints.map((e) => e.addresses[0]);
    expect(eps.sort()).toEqual(web.map((p) => p.ip).sort());
    for (const ip of eps) expect(ip).toMatch(/^10\.244\.1\./);
    expect(dnatTargets(natSave(sim, end, 'node-3')).sort()).toEqual(eps.sort());
    expect(
      last(sim)
        .nodes.filter((n) => n.unschedulable)
        .map((n) => n.name),
    ).toEqual(['node-1', 'node-3']);
  });

  it('keeps flannel routes to the drained nodes (the Node objects stay)', () => {
    const routes = last(sim).netnsById('node-2')!.routes.map(formatRoute);
    expect(routes.some((r) => r.startsWith('10.244.0.0/24 via 10.244.0.0 dev flannel.1'))).toBe(
      true,
    );
    expect(routes.some((r) => r.startsWith('10.244.2.0/24 via 10.244.2.0 dev flannel.1'))).toBe(
      true,
    );
  });
});

describe('[FAULT9] a node goes down', () => {
  const sim = simulate(publicScenario('fault-node-down.yaml'));
  const dead = 'default/web-5b8cff8d54-wnd4f';
  const notReady = factsOf(sim, 'node.not-ready')[0];

  it('loses the VXLAN packet at the dead node, the step saying where', () => {
    const ping = sim.steps.filter((s) => s.action === 2);
    const lost = ping.find((s) => s.facts.type === 'node.down-drop')!;
    expect(lost.place).toEqual({ node: 'node-2', netns: 'node-2', iface: 'eth0' });
    expect(lost.facts).toMatchObject({ what: 'vxlan', ip: '192.168.1.11' });
    expect(ping.some((s) => s.place.netns === 'node-2/default/web-5b8cff8d54-wnd4f')).toBe(false);
    expect(ping.some((s) => s.kind === 'encap' && s.place.node === 'node-1')).toBe(true);
  });

  it('leaves node-1 ARPing for 192.168.1.11 unanswered once the entry is gone', () => {
    const arpLost = factsOf(sim, 'node.down-drop').filter((s) => s.facts.what === 'arp');
    expect(arpLost.length).toBeGreaterThan(0);
    expect(arpLost[0].summary).toBe('node-2 is down: frame lost at eth0');
    const failed = sim.steps.find(
      (s) => s.kind === 'arp' && /192\.168\.1\.11 FAILED/.test(s.summary),
    );
    expect(failed?.place.node).toBe('node-1');
  });

  it('marks node-2 NotReady at the first 5 s check more than 40 s after it went down', () => {
    const down = factsOf(sim, 'node.down')[0];
    expect(notReady.summary).toBe('node/node-2 NotReady: Kubelet stopped posting node status.');
    const waited = notReady.timeUs - down.timeUs;
    expect(waited).toBeGreaterThan(40e6);
    expect(waited).toBeLessThanOrEqual(45e6);
    expect(notReady.timeUs % 5e6).toBe(0);
    expect(notReady.facts.taints).toEqual([
      'node.kubernetes.io/unreachable:NoSchedule',
      'node.kubernetes.io/unreachable:NoExecute',
    ]);
  });

  it("keeps the pod's endpoint in the slice until then, ready=false after; kube-proxy on the live nodes drops it", () => {
    const ip = sim.stateAt(0).pods.length ? '10.244.1.2' : '';
    const before = slice(sim, notReady.index - 1).endpoints.find((e) => e.addresses[0] === ip)!;
    expect(before.conditions.ready).toBe(true);
    const sync = factsOf(sim, 'kube-proxy.sync').find((s) => s.index > notReady.index)!;
    const after = slice(sim, sync.index).endpoints.find((e) => e.addresses[0] === ip)!;
    expect(after.conditions).toMatchObject({ ready: false, serving: false, terminating: false });
    expect(dnatTargets(natSave(sim, sync.index - 1, 'node-1'))).toContain(ip);
    const synced = factsOf(sim, 'kube-proxy.sync').filter(
      (s) => s.index > notReady.index && s.timeUs === sync.timeUs,
    );
    expect(synced.map((s) => s.place.node)).toEqual(['node-1', 'node-3']);
    expect(dnatTargets(natSave(sim, synced.at(-1)!.index, 'node-1'))).not.toContain(ip);
    expect(dnatTargets(natSave(sim, synced.at(-1)!.index, 'node-3'))).not.toContain(ip);
  });

  it("keeps flannel's route, FDB and neighbour entries for node-2 on node-1", () => {
    const ns = sim.stateAt(notReady.index + 3).netnsById('node-1')!;
    expect(ns.routes.map(formatRoute)).toContain(
      '10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink',
    );
    expect(ns.fdb.some((f) => f.port === 'flannel.1' && f.dst === '192.168.1.11')).toBe(true);
    expect(ns.neighbors.some((n) => n.dev === 'flannel.1' && n.ip === '10.244.1.0')).toBe(true);
  });

  it('evicts the pod 300 s later: Terminating for good, and a replacement on a live node', () => {
    const evicted = factsOf(sim, 'node.pod-evicted')[0];
    expect(evicted.facts.pod).toBe(dead);
    expect(evicted.timeUs - notReady.timeUs).toBe(300e6);
    const final = last(sim);
    expect(final.pods.find((p) => p.name === 'web-5b8cff8d54-wnd4f')?.deletion).toBeDefined();
    const replacement = factsOf(sim, 'rs.create').find((s) => s.index > evicted.index)!;
    const placed = factsOf(sim, 'scheduler.bind').find(
      (s) => s.facts.pod === replacement.facts.pod,
    )!;
    expect(['node-1', 'node-3']).toContain(placed.facts.node);
    const pods = clusterObjects(sim, sim.steps.length - 1).pods;
    expect(pods.find((p) => p.name === 'web-5b8cff8d54-wnd4f')?.deleting).toBe(true);
  });
});

describe('[FAULT10] a /28 node runs out of addresses', () => {
  const sim = simulate(publicScenario('fault-ipam-exhausted.yaml'));

  it("fails the 14th pod of each node with host-local's error in the kubelet's event", () => {
    const failed = factsOf(sim, 'cni.ipam-exhausted');
    expect(failed.map((s) => s.facts.node)).toEqual(['node-1', 'node-2']);
    const pod = last(sim).pods.find((p) => p.reason && p.node === 'node-1')!;
    expect(pod.reason).toBe(
      `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${pod.sandboxId}": plugin type="flannel" failed (add): failed to delegate add: failed to allocate for range 0: no IP addresses available in range set: 10.244.0.1-10.244.0.14`,
    );
    expect(pod.sandboxId).toMatch(/^[0-9a-f]{64}$/);
  });

  it('shows the pod ContainerCreating with no IP, 13 running per node', () => {
    const pods = clusterObjects(sim, sim.steps.length - 1).pods;
    const stuck = pods.filter((p) => !p.podIP);
    expect(stuck).toHaveLength(2);
    for (const p of stuck)
      expect(p.containers[0]).toMatchObject({ state: 'waiting', reason: 'ContainerCreating' });
    for (const n of ['node-1', 'node-2'])
      expect(pods.filter((p) => p.podIP && p.nodeName === n)).toHaveLength(13);
  });
});

describe('[FAULT11] max-pods stops the scheduler long before a /24 is full', () => {
  it('says 0/3 nodes are available: 3 Too many pods, as kube-scheduler does', () => {
    const text = withActions('fault-ipam-exhausted.yaml', [
      'scale: {deployment: web, replicas: 331}',
    ])
      .replace('  nodeCIDRMaskSize: 28\n', '')
      .replace(
        '    - {name: node-2, ip: 192.168.1.11}\n',
        '    - {name: node-2, ip: 192.168.1.11}\n    - {name: node-3, ip: 192.168.1.12}\n',
      );
    const sim = simulate(text);
    const failed = factsOf(sim, 'scheduler.failed');
    expect(failed).toHaveLength(1);
    expect(failed[0].facts.message).toBe(
      '0/3 nodes are available: 3 Too many pods. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
    );
    for (const n of ['node-1', 'node-2', 'node-3'])
      expect(last(sim).pods.filter((p) => p.node === n)).toHaveLength(110);
    expect(factsOf(sim, 'cni.ipam-exhausted')).toHaveLength(0);
  });

  it('lists the pod no node took as Pending with no IP and no node, until a scale down deletes it first', () => {
    const text = (actions: string[]) =>
      withActions('fault-ipam-exhausted.yaml', actions)
        .replace('  nodeCIDRMaskSize: 28\n', '')
        .replace(
          '    - {name: node-2, ip: 192.168.1.11}\n',
          '    - {name: node-2, ip: 192.168.1.11}\n    - {name: node-3, ip: 192.168.1.12}\n',
        );
    const sim = simulate(
      text(['scale: {deployment: web, replicas: 331}', 'scale: {deployment: web, replicas: 330}']),
    );
    const failed = sim.steps.findIndex((s) => s.facts.type === 'scheduler.failed');
    const pod = (sim.steps[failed].facts as { pod: string }).pod.split('/')[1];
    const get = (i: number) =>
      kubectlGet(clusterObjects(sim, i), resolveResource('pods')!, {
        wide: true,
        namespace: 'default',
      }).out.split('\n');
    // kubectl's printPod for a pod with no status yet: READY 0/1, STATUS Pending, IP and NODE <none>.
    const row = get(failed).find((l) => l.startsWith(`${pod} `));
    expect(row).toMatch(
      /^web-\w+-\w{5}\s+0\/1\s+Pending\s+0\s+\d+s\s+<none>\s+<none>\s+<none>\s+<none>$/,
    );
    expect(get(failed - 1).some((l) => l.startsWith(`${pod} `))).toBe(false);
    const pending = (i: number) => clusterObjects(sim, i).pods.filter((p) => !p.nodeName);
    expect(pending(failed).map((p) => p.name)).toEqual([pod]);
    // The scale to 330 deletes the unscheduled pod first (getPodsToDelete's rule 1).
    const deleted = sim.steps.findIndex(
      (s) => s.facts.type === 'rs.delete' && (s.facts as { pod: string }).pod === `default/${pod}`,
    );
    expect(deleted).toBeGreaterThan(failed);
    expect(pending(deleted - 1)).toHaveLength(1);
    expect(pending(deleted)).toHaveLength(0);
    expect(pending(sim.steps.length - 1)).toHaveLength(0);
  });

  it('names each reason with its count, sorted, as FitError does', () => {
    expect(fitError(3, ['node(s) were unschedulable', 'Too many pods', 'Too many pods'])).toBe(
      '0/3 nodes are available: 1 node(s) were unschedulable, 2 Too many pods. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    );
  });
});

describe('[FAULT12] what scale, drain and node-down are checked for when the file loads', () => {
  const errors = (action: string) => {
    const r = loadScenario(withActions('fault-scale-drain.yaml', [action]));
    return r.ok ? '' : formatDiagnostics(r.errors, 's.yaml');
  };
  it.each([
    [
      'scale: {deployment: wbe, replicas: 2}',
      `Error from server (NotFound): deployments.apps "wbe" not found in namespace default; did you mean 'default/web'?`,
    ],
    [
      'scale: {deployment: web, replicas: -1}',
      'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    ],
    ['scale: {deployment: web, replicas: 10001}', 'replicas must be at most 10000'],
    ['scale: {deployment: web}', 'scale needs replicas'],
    [
      'drain: {node: node-9}',
      `Error from server (NotFound): nodes "node-9" not found; did you mean 'node-1'?`,
    ],
    ['drain: {node: node-1, force: yes}', 'force must be true or false'],
    [
      'node-down: {node: nod-2}',
      `Error from server (NotFound): nodes "nod-2" not found; did you mean 'node-2'?`,
    ],
    ['node-dwn: {node: node-2}', "unknown action 'node-dwn'; did you mean 'node-down'?"],
  ])('%s → %s', (action, message) => {
    const text = errors(action);
    expect(text).toContain(message);
    expect(text).toMatch(/^s\.yaml:\d+:\d+: error:/);
  });
  it('accepts deployment/NAME and a namespaced name', () => {
    expect(errors('scale: {deployment: deployment/web, replicas: 1}')).toBe('');
    expect(errors('scale: {deployment: default/web, replicas: 0}')).toBe('');
  });
});
