/**
 * [PROP1-4] Property tests (fast-check) on random clusters and random
 * action/fault sequences (crash, delete, ready, scale, drain, node-down),
 * and on arbitrary input to the loader:
 *
 * - PROP1 no IP is ever held by two pods (nor written in two host-local files) at any step;
 * - PROP2 every echo request a ping sends ends in a reply, an ICMP error, or a
 *   step that drops it and says why; every connection ends in an outcome;
 * - PROP3 stepping back then forward gives identical state (stateAt(k) after
 *   visiting k+n, and in a fresh simulation of the same file);
 * - PROP4 the loader never throws on arbitrary text, bytes or YAML-ish
 *   structures, and every refusal is located inside the file.
 *
 * Seeded and bounded: the same cases every run. When a property fails,
 * fast-check prints the seed, the path and the shrunk counter-example; a bug
 * one of them found is fixed and kept below as a plain regression test.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Simulation } from './api.ts';
import type { Snapshot, Step } from './model.ts';
import { narrate } from './narration/index.ts';
import { createSimulation } from './simulation.ts';
import { loadScenario } from './scenario/load.ts';

/** fast-check's seed for this file: fixed, so CI and a laptop run the same cases. */
const SEED = 20261202;

// ---------------------------------------------------------------- clusters

interface ClusterCase {
  readonly cni: 'flannel-vxlan' | 'flannel-host-gw' | 'calico-bgp';
  readonly nodes: number;
  /** Plain pods: [node index, listens on 8080, label app=web]. */
  readonly pods: readonly (readonly [number, boolean, boolean])[];
  /** A Deployment's replicas (0: none), behind the Service `web`. */
  readonly replicas: number;
  readonly service: boolean;
  readonly actions: readonly string[];
  readonly seed: number;
}

const podName = (i: number) => `p${i}`;

function actionArb(
  pods: number,
  service: boolean,
  nodes: number,
  deployment: boolean,
): fc.Arbitrary<string> {
  const node = fc.integer({ min: 1, max: nodes }).map((n) => `node-${n}`);
  const pod = fc.integer({ min: 0, max: pods - 1 }).map(podName);
  const target = fc.oneof(
    pod,
    ...(service ? [fc.constant('web')] : []),
    fc.constantFrom(
      '10.244.0.2',
      '10.244.1.3',
      '10.244.9.9',
      '192.168.1.10',
      '10.96.0.1',
      '10.244.0.255',
      '255.255.255.255',
      '224.0.0.1',
    ),
  );
  return fc.oneof(
    fc
      .record({
        from: pod,
        to: target,
        count: fc.integer({ min: 1, max: 2 }),
        b: fc.boolean(),
      })
      .map(
        (a) =>
          `ping: {from: ${a.from}, to: ${a.to}, count: ${a.count}${a.b ? ', broadcast: true' : ''}}`,
      ),
    fc
      .record({ from: pod, to: target, port: fc.constantFrom(80, 8080, 9) })
      .map((a) => `connect: {from: ${a.from}, to: ${a.to}, port: ${a.port}, timeout: 2}`),
    pod.map((p) => `crash: {pod: ${p}, container: app}`),
    fc.record({ p: pod, wait: fc.boolean() }).map((a) => `delete: {pod: ${a.p}, wait: ${a.wait}}`),
    fc.record({ p: pod, r: fc.boolean() }).map((a) => `ready: {pod: ${a.p}, ready: ${a.r}}`),
    // The workload and node faults (FAULT6–12): the controllers and the scheduler at work.
    ...(deployment
      ? [fc.integer({ min: 0, max: 6 }).map((n) => `scale: {deployment: web, replicas: ${n}}`)]
      : []),
    fc.record({ n: node, f: fc.boolean() }).map((a) => `drain: {node: ${a.n}, force: ${a.f}}`),
    node.map((n) => `node-down: {node: ${n}}`),
  );
}

const clusterArb: fc.Arbitrary<ClusterCase> = fc
  .record({
    cni: fc.constantFrom('flannel-vxlan', 'flannel-host-gw', 'calico-bgp') as fc.Arbitrary<
      ClusterCase['cni']
    >,
    nodes: fc.integer({ min: 1, max: 3 }),
    podCount: fc.integer({ min: 1, max: 5 }),
    replicas: fc.integer({ min: 0, max: 3 }),
    service: fc.boolean(),
    seed: fc.integer({ min: 1, max: 1000 }),
  })
  .chain((c) =>
    fc.record({
      cni: fc.constant(c.cni),
      nodes: fc.constant(c.nodes),
      replicas: fc.constant(c.replicas),
      service: fc.constant(c.service),
      seed: fc.constant(c.seed),
      pods: fc.array(
        fc.tuple(fc.integer({ min: 0, max: c.nodes - 1 }), fc.boolean(), fc.boolean()),
        { minLength: c.podCount, maxLength: c.podCount },
      ),
      actions: fc.array(actionArb(c.podCount, c.service, c.nodes, c.replicas > 0), {
        minLength: 1,
        maxLength: 6,
      }),
    }),
  );

function clusterYaml(c: ClusterCase): string {
  const cni =
    c.cni === 'calico-bgp'
      ? '{plugin: calico, mode: bgp, ipPool: 10.244.0.0/16}'
      : `{plugin: flannel, mode: ${c.cni === 'flannel-vxlan' ? 'vxlan' : 'host-gw'}}`;
  const docs = [
    `apiVersion: kubewire/v1
kind: Cluster
metadata: {name: prop}
spec:
  cni: ${cni}
  seed: ${c.seed}
  nodes:
${Array.from({ length: c.nodes }, (_, i) => `    - {name: node-${i + 1}, ip: 192.168.1.${10 + i}}`).join('\n')}`,
    ...c.pods.map(
      ([node, listens, web], i) => `apiVersion: v1
kind: Pod
metadata: {name: ${podName(i)}${web ? ', labels: {app: web}' : ''}}
spec:
  nodeName: node-${node + 1}
  containers:
    - name: app
      image: nginx${listens ? '\n      ports: [{containerPort: 8080}]' : ''}`,
    ),
  ];
  if (c.replicas > 0)
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: ${c.replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: app, image: nginx, ports: [{containerPort: 8080}]}]`);
  if (c.service)
    docs.push(`apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]`);
  docs.push(`apiVersion: kubewire/v1
kind: Scenario
metadata: {name: prop}
spec:
  title: property
  goal: property
  actions:
${c.actions.map((a) => `    - ${a}`).join('\n')}`);
  return docs.join('\n---\n') + '\n';
}

function simulateCase(c: ClusterCase): Simulation {
  const text = clusterYaml(c);
  const r = createSimulation(text);
  if (!r.ok)
    throw new Error(
      `refused:\n${r.errors.map((e) => `${e.line}:${e.column} ${e.message}`).join('\n')}\n${text}`,
    );
  return r.sim;
}

// ---------------------------------------------------------------- helpers

/** A snapshot as text: every pod, node and namespace (tables, sockets, conntrack…), in order. */
function serialize(s: Snapshot): string {
  // JSON.stringify throws on a cycle: that would be a bug in the model too.
  return JSON.stringify(
    { timeUs: s.timeUs, nodes: s.nodes, pods: s.pods, api: s.api, netns: s.netnsList() },
    (_key, value: unknown) => {
      if (typeof value === 'bigint') return `${value}n`;
      if (typeof value === 'function') return undefined;
      if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
      if (value instanceof Map) return { map: [...value.entries()] };
      if (value instanceof Set) return { set: [...value] };
      return value;
    },
  );
}

/** Pods that hold an address at a step: sandbox up, not Failed. */
function heldIps(s: Snapshot): Map<string, string[]> {
  const by = new Map<string, string[]>();
  for (const p of s.pods) {
    if (!p.ip || p.phase === 'Failed' || !s.netnsById(p.netns)) continue;
    const key = `${p.namespace}/${p.name}`;
    by.set(p.ip, [...(by.get(p.ip) ?? []), key]);
  }
  return by;
}

/** Steps that end a packet's journey on purpose, each saying why. */
const DROPS = new Set<string>([
  'nf.drop',
  'nf.reject',
  'ip.no-route',
  'ip.blackhole',
  'ip.no-forward',
  'ip.unreachable-out',
  'ip.ttl-expired',
  'neigh.failed',
  'nud.failed',
  'bridge.hairpin-drop',
  'dev.no-link',
  'vxlan.no-fdb',
  'ipvs.no-dest',
  'blackhole',
  'action.not-running',
  'action.no-target',
  'ping.local-error',
  'ping.broadcast-refused',
  'icmp.ignore-broadcast',
  'ip.not-member',
]);

/** A step's fact and the facts nested in it (a transmit's `cause`, a flood's `sent`). */
function factsOf(step: Step): { type: string; seq?: number }[] {
  const out: { type: string; seq?: number }[] = [];
  const walk = (v: unknown, depth: number) => {
    if (!v || typeof v !== 'object' || depth > 4 || v instanceof Uint8Array) return;
    const o = v as Record<string, unknown>;
    if (typeof o.type === 'string') out.push(o as { type: string; seq?: number });
    for (const x of Object.values(o)) walk(x, depth + 1);
  };
  walk(step.facts, 0);
  return out;
}

const has = (step: Step, type: string, seq?: number) =>
  factsOf(step).some((f) => f.type === type && (seq === undefined || f.seq === seq));

const isDrop = (s: Step) => s.kind === 'error' || factsOf(s).some((f) => DROPS.has(f.type));

function headline(s: Step): string {
  return narrate(s.facts).headline;
}

const params = (numRuns: number) => ({ seed: SEED, numRuns });

// ---------------------------------------------------------------- properties

describe('[PROP0] the random fault sequences', () => {
  it('include scale, drain and node-down among the 25 cases each property runs', () => {
    const cases = fc.sample(clusterArb, params(25));
    for (const kind of ['scale', 'drain', 'node-down', 'crash', 'delete'])
      expect(
        cases.filter((c) => c.actions.some((a) => a.startsWith(`${kind}:`))).length,
        kind,
      ).toBeGreaterThan(2);
  });
});

describe('[PROP1] no IP is ever held by two pods', () => {
  it('at every step of random clusters and fault sequences (and never in two host-local files)', () => {
    fc.assert(
      fc.property(clusterArb, (c) => {
        const sim = simulateCase(c);
        let last: Snapshot | undefined;
        for (let k = -1; k < sim.steps.length; k++) {
          const s = sim.stateAt(k);
          if (last && last.pods === s.pods && last.nodes === s.nodes) continue;
          last = s;
          for (const [ip, pods] of heldIps(s))
            expect(pods, `step ${k}: ${ip} held by ${pods.join(', ')}`).toHaveLength(1);
          const files = s.nodes.flatMap((n) =>
            n.ipam.filter((f) => /\/\d+\.\d+\.\d+\.\d+$/.test(f.path)).map((f) => f.path),
          );
          const ips = files.map((f) => f.slice(f.lastIndexOf('/') + 1));
          expect(new Set(ips).size, `step ${k}: ${ips.join(' ')}`).toBe(ips.length);
        }
      }),
      params(25),
    );
  });
});

describe('[PROP2] every packet ends delivered or dropped with a reason', () => {
  it('each echo request is answered, errored or dropped; each connect ends; each drop says why', () => {
    fc.assert(
      fc.property(clusterArb, (c) => {
        const sim = simulateCase(c);
        const byAction = new Map<number, Step[]>();
        for (const s of sim.steps) {
          const list = byAction.get(s.action);
          if (list) list.push(s);
          else byAction.set(s.action, [s]);
          if (isDrop(s)) {
            const h = headline(s);
            expect(h, `step ${s.index} (${s.facts.type})`).not.toBe('');
            expect(h, `step ${s.index} (${s.facts.type})`).not.toMatch(/undefined|NaN|\[object/);
          }
        }
        sim.scenario.scenario.actions.forEach((a, i) => {
          const steps = byAction.get(i) ?? [];
          const where = `action ${i} (${a.kind}) of\n${clusterYaml(c)}`;
          expect(steps.length, where).toBeGreaterThan(0);
          const dropped = steps.some(isDrop);
          if (a.kind === 'ping') {
            const sent = steps.filter((s) => has(s, 'ping.request'));
            for (const req of sent) {
              const seq = factsOf(req).find((f) => f.type === 'ping.request')!.seq;
              const ended = steps.some(
                (s) =>
                  s.index > req.index && (has(s, 'ping.reply', seq) || has(s, 'ping.error', seq)),
              );
              const droppedAfter = steps.some((s) => s.index > req.index && isDrop(s));
              expect(ended || droppedAfter, `seq ${seq} of ${where}`).toBe(true);
            }
            expect(sent.length > 0 || dropped, where).toBe(true);
          }
          if (a.kind === 'connect') {
            const outcome = steps.some((s) =>
              [
                'tcp.established',
                'tcp.refused',
                'tcp.timed-out',
                'tcp.connect-error',
                'tcp.reset-by-peer',
                'nc.connect-timeout',
              ].some((t) => has(s, t)),
            );
            expect(outcome || dropped, where).toBe(true);
          }
        });
      }),
      params(25),
    );
  });
});

describe('[PROP3] stepping back then forward reproduces identical state', () => {
  it('stateAt(k) is the same after visiting k+n and back, and in a fresh simulation', () => {
    fc.assert(
      fc.property(
        clusterArb,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 40 }),
        (c, at, n) => {
          const sim = simulateCase(c);
          const k = Math.floor(at * (sim.steps.length - 1));
          const before = serialize(sim.stateAt(k));
          for (let j = k + 1; j <= Math.min(k + n, sim.steps.length - 1); j++) sim.stateAt(j);
          sim.stateAt(sim.steps.length - 1);
          for (let j = k + n; j > k; j--) sim.stateAt(Math.min(j, sim.steps.length - 1));
          expect(serialize(sim.stateAt(k))).toBe(before);
          // Forward from k to k+n gives the same states as a fresh run's.
          const fresh = simulateCase(c);
          for (let j = k; j <= Math.min(k + n, sim.steps.length - 1); j += Math.max(1, n >> 2))
            expect(serialize(fresh.stateAt(j)), `step ${j}`).toBe(serialize(sim.stateAt(j)));
        },
      ),
      params(20),
    );
  });
});

// ---------------------------------------------------------------- the loader

function expectLocated(text: string): void {
  let r: ReturnType<typeof loadScenario>;
  try {
    r = loadScenario(text);
  } catch (e) {
    throw new Error(`loadScenario threw ${String(e)} on ${JSON.stringify(text.slice(0, 2000))}`);
  }
  if (r.ok) return;
  const lines = text.split(/\r\n|\r|\n/).length;
  expect(r.errors.length).toBeGreaterThan(0);
  for (const e of r.errors) {
    expect(typeof e.message).toBe('string');
    expect(e.message.trim()).not.toBe('');
    expect(e.message).not.toMatch(/\n\s+at |TypeError|undefined is not|Cannot read prop/);
    expect(Number.isInteger(e.line) && e.line >= 1 && e.line <= lines + 1, `line ${e.line}`).toBe(
      true,
    );
    expect(Number.isInteger(e.column) && e.column >= 1, `column ${e.column}`).toBe(true);
  }
}

const KINDS = [
  ['kubewire/v1', 'Cluster'],
  ['kubewire/v1', 'Scenario'],
  ['v1', 'Pod'],
  ['v1', 'Service'],
  ['v1', 'List'],
  ['v1', 'Namespace'],
  ['discovery.k8s.io/v1', 'EndpointSlice'],
  ['apps/v1', 'Deployment'],
  ['apps/v1', 'StatefulSet'],
  ['networking.k8s.io/v1', 'Ingress'],
] as const;
const KEYS = [
  'metadata',
  'name',
  'namespace',
  'labels',
  'spec',
  'nodes',
  'ip',
  'podCIDR',
  'cni',
  'plugin',
  'mode',
  'seed',
  'containers',
  'ports',
  'containerPort',
  'selector',
  'replicas',
  'template',
  'actions',
  'ping',
  'connect',
  'from',
  'to',
  'port',
  'items',
  'endpoints',
  'addresses',
  'rules',
];
/** Values that have broken YAML loaders: tags, anchors, huge numbers, odd strings. */
const NASTY = fc.constantFrom(
  '',
  '~',
  'null',
  '1e12',
  '-0',
  '0x1F',
  '1.0',
  'NaN',
  '.inf',
  '9007199254740993',
  '10.244.1.255',
  '255.255.255.255',
  '::1',
  'é',
  '\u0000',
  '<<',
  '__proto__',
  'constructor',
  'x'.repeat(5000),
);

const leafArb = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  NASTY,
);
const yamlishArb: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string()), tie('value'), {
      maxKeys: 5,
    }),
  ),
})).value;

const documentArb = fc
  .tuple(
    fc.constantFrom(...KINDS),
    fc.dictionary(fc.constantFrom(...KEYS), yamlishArb, { maxKeys: 4 }),
  )
  .map(([[apiVersion, kind], body]) => ({ apiVersion, kind, ...body }));

describe('[PROP4] the loader never throws and its refusals are located', () => {
  it('on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400, unit: 'binary' }), expectLocated),
      params(300),
    );
  });

  it('on random bytes read as UTF-8', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) =>
        expectLocated(new TextDecoder().decode(bytes)),
      ),
      params(300),
    );
  });

  it('on YAML-ish structures: documents of the kinds it reads with random fields', () => {
    fc.assert(
      fc.property(fc.array(documentArb, { minLength: 1, maxLength: 3 }), (docs) =>
        expectLocated(docs.map((d) => stringify(d)).join('---\n')),
      ),
      params(200),
    );
  });

  it('on arbitrary JSON values (JSON is YAML) and their text cut anywhere', () => {
    fc.assert(
      fc.property(yamlishArb, fc.nat(), (v, cut) => {
        const text = JSON.stringify(v) ?? '';
        expectLocated(text);
        expectLocated(text.slice(0, cut % (text.length + 1)));
      }),
      params(200),
    );
  });

  it('on valid random clusters with lines dropped or duplicated', () => {
    fc.assert(
      fc.property(clusterArb, fc.nat(), fc.boolean(), (c, at, dup) => {
        const lines = clusterYaml(c).split('\n');
        const i = at % lines.length;
        if (dup) lines.splice(i, 0, lines[i]);
        else lines.splice(i, 1);
        expectLocated(lines.join('\n'));
      }),
      params(100),
    );
  });
});
