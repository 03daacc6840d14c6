import { describe, expect, it } from 'vitest';
import type { SimulationProgress } from './api.ts';
import type { Simulation } from './api.ts';
import { createSimulation } from './simulation.ts';
import { fromTransfer, simulationOf, toTransfer } from './transfer.ts';
import type { State } from './dataplane/world.ts';
import { hamtEmpty, hamtSet } from './engine/hamt.ts';
import { omapEmpty, omapSet, type OrderedMap } from './engine/ordered-map.ts';
import type { PodStatus } from './model.ts';
import { publicScenario, simulate } from './test/driver.ts';

/** What the page receives from the worker: the payload after one structured clone (postMessage's). */
const overTheWire = (sim: Simulation) => fromTransfer(structuredClone(toTransfer(sim)));

/** Indices spread over the trace, with both ends. */
const sample = (n: number, count = 12) => [
  ...new Set(Array.from({ length: count }, (_, k) => Math.round((k * (n - 1)) / (count - 1)))),
];

// Built-ins that carry each kind of state: iptables' statistic/recent Maps, IPVS, TLS and its keylog.
const BUILTINS = ['service-affinity.yaml', 'service-ipvs.yaml', 'ingress-https.yaml'];

describe('a finished simulation crosses a structured clone (sim-core/transfer.ts)', () => {
  for (const file of BUILTINS) {
    it(`[XFER1] ${file}: the same steps, states, captures and keylog after the clone`, () => {
      const sim = simulate(publicScenario(file));
      const copy = overTheWire(sim);
      expect(copy.steps.length).toBe(sim.steps.length);
      expect(copy.scenario).toEqual(sim.scenario);
      // Every step, with its decoded layers (rebuilt lazily from the frame on this side).
      expect(copy.steps).toEqual(sim.steps);
      const framed = sim.steps.findIndex((s) => s.frame);
      expect(copy.steps[framed].layers?.length).toBeGreaterThan(1);
      expect(copy.initial).toEqual(sim.initial);
      for (const i of sample(sim.steps.length)) {
        const [a, b] = [sim.stateAt(i), copy.stateAt(i)];
        expect(b).toEqual(a);
        expect(b.netnsList()).toEqual(a.netnsList());
        expect(b.netnsById(a.netnsList()[0].id)).toEqual(a.netnsById(a.netnsList()[0].id));
      }
      expect(copy.exportPcap()).toEqual(sim.exportPcap());
      expect(copy.exportPcapng()).toEqual(sim.exportPcapng());
      expect(copy.capturePoints()).toEqual(sim.capturePoints());
      const point = sim.capturePoints()[0];
      expect(copy.exportCapture(point)).toEqual(sim.exportCapture(point));
      expect(copy.keylog()).toBe(sim.keylog());
      // A copy transfers again (the page could hand it on, to a second tab or back to a worker).
      expect(overTheWire(copy).exportPcap()).toEqual(sim.exportPcap());
    });
  }

  it('[XFER1] the HTTPS built-in keeps its TLS keylog lines through the clone', () => {
    const copy = overTheWire(simulate(publicScenario('ingress-https.yaml')));
    expect(copy.keylog()).toMatch(/^CLIENT_HANDSHAKE_TRAFFIC_SECRET [0-9a-f]{64} [0-9a-f]{96}$/m);
  });

  it('[XFER2] states share what did not change between steps, on the receiving side as in the worker', () => {
    const sim = simulate(publicScenario('service-clusterip.yaml'));
    const copy = overTheWire(sim);
    let shared = 0;
    for (const i of sample(sim.steps.length - 1, 20)) {
      const [a0, a1, b0, b1] = [
        sim.stateAt(i),
        sim.stateAt(i + 1),
        copy.stateAt(i),
        copy.stateAt(i + 1),
      ];
      for (const ns of a0.netnsList()) {
        const same = a0.netnsById(ns.id) === a1.netnsById(ns.id);
        expect(b0.netnsById(ns.id) === b1.netnsById(ns.id)).toBe(same);
        if (same) shared++;
        // Tables inside a namespace too: an unchanged netfilter state is one object in both steps.
        const [x0, x1] = [a0.netnsById(ns.id), a1.netnsById(ns.id)];
        const [y0, y1] = [b0.netnsById(ns.id), b1.netnsById(ns.id)];
        if (x0?.netfilter && x1?.netfilter)
          expect(y0?.netfilter === y1?.netfilter).toBe(x0.netfilter === x1.netfilter);
      }
      expect(b0.api === b1.api).toBe(a0.api === a1.api);
      expect(b0.nodes === b1.nodes).toBe(a0.nodes === a1.nodes);
    }
    // Most namespaces are untouched by a step: sharing is the rule, not a coincidence.
    expect(shared).toBeGreaterThan(20 * 5);
  });

  it('[XFER2] the payload carries no function, getter or class instance (a clone would refuse or flatten them)', () => {
    const payload = toTransfer(simulate(publicScenario('service-affinity.yaml')));
    const seen = new Set<object>();
    const odd: string[] = [];
    const walk = (v: unknown, path: string): void => {
      if (typeof v === 'function') odd.push(`function at ${path}`);
      if (typeof v !== 'object' || v === null || seen.has(v)) return;
      seen.add(v);
      if (v instanceof Uint8Array) return;
      if (v instanceof Map) return v.forEach((x, k) => walk(x, `${path}.get(${String(k)})`));
      const proto = Object.getPrototypeOf(v) as object | null;
      if (proto !== Object.prototype && proto !== Array.prototype && proto !== null)
        odd.push(`${proto.constructor.name} at ${path}`);
      for (const [k, d] of Object.entries(Object.getOwnPropertyDescriptors(v))) {
        if (d.get) odd.push(`getter at ${path}.${k}`);
        else walk(d.value, `${path}.${k}`);
      }
    };
    walk(payload, '');
    expect(odd).toEqual([]);
  });

  it('[XFER2] a node with 20,000 pods crosses the clone (its ordered map’s log would overflow V8’s serializer)', () => {
    let group: OrderedMap<PodStatus> = omapEmpty();
    const states: State[] = [];
    const base = {
      timeUs: 0,
      nodes: [],
      netns: hamtEmpty(),
      order: ['node-1'],
      api: { services: [], endpointSlices: [] },
    };
    for (let i = 0; i < 20_000; i++) {
      group = omapSet(group, `default/p${i}`, { name: `p${i}` } as unknown as PodStatus);
      if (i % 5000 === 4999)
        states.push({ ...base, pods: hamtSet(hamtEmpty(), 'node-1', group) } as State);
    }
    // The raw state is a 20,000-cell linked list: a structured clone of it overflows the stack.
    expect(() => structuredClone(states.at(-1))).toThrow(/call stack/);
    const sim = simulationOf({
      scenario: simulate(publicScenario('same-node.yaml')).scenario,
      steps: [],
      initial: states[0],
      states,
      keylog: () => '',
    });
    const copy = overTheWire(sim);
    for (const i of [0, 1, 2, 3]) expect(copy.stateAt(i).pods).toEqual(sim.stateAt(i).pods);
    expect(
      copy
        .stateAt(3)
        .pods.map((p) => p.name)
        .slice(-2),
    ).toEqual(['p19998', 'p19999']);
    // Earlier states' logs are the tails of later ones, and stay shared (each cell sent once).
    expect(toTransfer(sim).cells.length).toBe(20_000);
  });

  it('[XFER1] toTransfer decodes no frame: a step’s layers are left for whoever inspects it', () => {
    const sim = simulate(publicScenario('same-node.yaml'));
    const payload = toTransfer(sim);
    expect(payload.steps.some((s) => 'layers' in s)).toBe(false);
    expect(payload.steps.filter((s) => s.frame).length).toBe(
      sim.steps.filter((s) => s.frame).length,
    );
  });

  it('[XFER1] fromTransfer refuses what is not a transfer, with a message', () => {
    expect(() => fromTransfer({} as never)).toThrow(/not a Kubewire simulation transfer/);
  });
});

describe('progress while simulating (createSimulation onProgress)', () => {
  const text = publicScenario('service-many-endpoints.yaml');

  it('[XFER3] reports rise to the totals, and the trace is the same byte for byte with or without them', () => {
    const reports: SimulationProgress[] = [];
    const r = createSimulation(text, { onProgress: (p) => reports.push(p) });
    if (!r.ok) throw new Error('refused');
    const plain = simulate(text);
    expect(r.sim.exportPcapng()).toEqual(plain.exportPcapng());
    expect(r.sim.steps.map((s) => s.summary)).toEqual(plain.steps.map((s) => s.summary));

    const { actions } = r.sim.scenario.scenario;
    const last = reports.at(-1)!;
    expect(last.actions).toBe(actions.length);
    expect(last.actionsTotal).toBe(actions.length);
    expect(last.pods).toBe(r.sim.scenario.pods.length);
    expect(last.podsTotal).toBe(r.sim.scenario.pods.length);
    expect(last.steps).toBeLessThanOrEqual(r.sim.steps.length);
    // One at each pod started and each action done, and more while the steps pile up.
    expect(reports.length).toBeGreaterThanOrEqual(actions.length + r.sim.scenario.pods.length);
    for (const [i, p] of reports.entries()) {
      if (i === 0) continue;
      const q = reports[i - 1];
      expect(p.steps).toBeGreaterThanOrEqual(q.steps);
      expect(p.actions).toBeGreaterThanOrEqual(q.actions);
      expect(p.pods).toBeGreaterThanOrEqual(q.pods);
    }
    // Between two reports there are never more than a few hundred steps of work.
    const gaps = [0, ...reports.map((p) => p.steps), r.sim.steps.length];
    expect(Math.max(...gaps.slice(1).map((s, i) => s - gaps[i]))).toBeLessThanOrEqual(256);
  });

  it('[XFER3] a refused scenario reports nothing', () => {
    const reports: SimulationProgress[] = [];
    const r = createSimulation('kind: Nonsense\n', { onProgress: (p) => reports.push(p) });
    expect(r.ok).toBe(false);
    expect(reports).toEqual([]);
  });
});
