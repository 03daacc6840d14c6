/**
 * Cilium native routing against this machine's kernel (issue 8): the
 * built-in cilium-native scenario (routingMode: native, autoDirectNodeRoutes)
 * next to the same node pair built from real network namespaces WITHOUT eBPF
 * (test/linux/cilium-topology.ts, written from Cilium's docs and cilium-cni,
 * not from our tables). Pod A pings pod B and sends it one byte over TCP;
 * what both pods' eth0 and node-1's eth0 carried must be the simulation's
 * frames field by field outside what Linux makes random per run
 * (test/linux/frames.ts): the pod's ARP for the router IP answered with the
 * lxc's MAC, node-1's ARP for node-2, MACs, TTLs, IP header.
 *
 * Where the eBPF path and the no-eBPF kernel differ, and why the frames
 * still agree:
 * - TTL: in the simulation the sender's cil_from_container returns
 *   CTX_ACT_OK and the kernel forwards (TTL − 1), and on the receiver
 *   cil_from_netdev's ipv4_local_delivery lowers it again (TTL − 1); the
 *   kernel build forwards on both nodes. Both lower it once per node, so
 *   pod B sees 62 either way — compared, not excluded.
 * - The last hop: eBPF redirects to the lxc with the pod's MAC from the
 *   endpoint map, no route lookup and no ARP; the kernel build needs a
 *   per-endpoint route and a permanent neighbour for it, so node tables
 *   are not compared (they hold those two extra entries by construction);
 *   the frames on pod B's eth0 agree (source MAC the lxc's, no host ARP).
 * - bpf_lxc answers the pod's ARP for the router IP itself; in the kernel
 *   the lxc device answers because the router IP is local (cilium_host).
 *   Same reply frame.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulation } from './api.ts';
import type { Snapshot } from './model.ts';
import { captureSteps } from './capture.ts';
import { routeLines } from './format/tables.ts';
import { simulate } from './test/driver.ts';
import { Lab, whyNoLab } from './test/linux/lab.ts';
import { diffCaptures } from './test/linux/frames.ts';
import { captureWhile, expectedCounts, finalState, pingThenSend } from './test/linux/run.ts';
import { realRoutes } from './test/linux/tables.ts';
import {
  buildCiliumNativePair,
  type CiliumNode,
  type CiliumPair,
} from './test/linux/cilium-topology.ts';

const reason = whyNoLab();
if (reason) console.warn(`SKIP cilium-linux.test.ts (real network namespaces): ${reason}`);

/** The built-in scenario, its connect sending one byte and closing, as pingThenSend does. */
const scenario = () =>
  readFileSync(new URL('../public/scenarios/cilium-native.yaml', import.meta.url), 'utf8').replace(
    'connect: {from: pod-a, to: pod-b, port: 8080}',
    'connect: {from: pod-a, to: pod-b, port: 8080, data: "x", close: true}',
  );

/** Addresses and MACs Cilium allocates at random are the simulation's; routes and devices are not read from it. */
function pair(sim: Snapshot): CiliumPair {
  const node = (name: string, ip: string, podCidr: string, pod: string): CiliumNode => {
    const host = sim.netns[name];
    const ns = sim.netns[`${name}/default/${pod}`];
    const lxc = host.ifaces.find((f) => f.name.startsWith('lxc'))!;
    const podIp = sim.pods.find((p) => p.name === pod)!.ip!;
    // The router IP: the pod's default gateway (cilium-cni's prepareIP).
    const routerIp = routeLines(ns)
      .find((l) => l.startsWith('default via '))!
      .split(' ')[2];
    return {
      name,
      ip,
      mac: host.ifaces.find((f) => f.name === 'eth0')!.mac,
      podCidr,
      routerIp,
      pod: {
        name: pod,
        ip: podIp,
        mac: ns.ifaces.find((f) => f.name === 'eth0')!.mac,
        lxc: lxc.name,
        lxcMac: lxc.mac,
      },
    };
  };
  return {
    prefix: 24,
    gateway: '172.18.0.1',
    nodes: [
      node('node-1', '172.18.0.10', '10.0.0.0/24', 'pod-a'),
      node('node-2', '172.18.0.11', '10.0.1.0/24', 'pod-b'),
    ],
  };
}

const POINTS = ['node-1/default/pod-a/eth0', 'node-2/default/pod-b/eth0', 'node-1/eth0'];

interface CiliumRun {
  readonly frames: Record<string, Uint8Array[]>;
  readonly routes: Record<string, string[]>;
}

const frameProblems = (sim: Simulation, run: CiliumRun) =>
  Object.entries(run.frames).flatMap(([point, frames]) => {
    const ours = captureSteps(sim.steps, point).map((s) => s.frame!);
    if (!frames.length) return [`${point}: the kernel put no frames there`];
    return diffCaptures(ours, frames).map((d) => `${point}: ${d}`);
  });

async function settle(sim: Simulation): Promise<CiliumRun> {
  const topo = pair(finalState(sim));
  for (let n = 1; ; n++) {
    const lab = new Lab(`cilnat${n}`);
    try {
      const built = await buildCiliumNativePair(lab, topo);
      const points: Record<string, [string, string]> = {
        'node-1/default/pod-a/eth0': [built['node-1/pod-a'], 'eth0'],
        'node-2/default/pod-b/eth0': [built['node-2/pod-b'], 'eth0'],
        'node-1/eth0': [built['node-1'], 'eth0'],
      };
      const { frames, after: routes } = await captureWhile(
        lab,
        points,
        [expectedCounts(sim, POINTS)],
        async () => {
          await pingThenSend(
            lab,
            built['node-1/pod-a'],
            built['node-2/pod-b'],
            topo.nodes[1].pod.ip,
          );
          return {
            'node-1/default/pod-a': await realRoutes(lab, built['node-1/pod-a']),
            'node-2/default/pod-b': await realRoutes(lab, built['node-2/pod-b']),
          };
        },
      );
      const run = { frames, routes };
      const why = frameProblems(sim, run);
      if (!why.length || n === 3) return run;
      console.warn(`cilium-linux: attempt ${n} differs, again:\n  ${why.join('\n  ')}`);
    } catch (e) {
      if (n === 3) throw e;
      console.warn(`cilium-linux: attempt ${n} failed, again: ${String(e)}`);
    } finally {
      lab.teardown();
    }
  }
}

describe.skipIf(reason !== undefined)(
  'Cilium native routing against real network namespaces',
  () => {
    afterAll(() => Lab.teardownAll());
    let sim: Simulation;
    let run: CiliumRun;
    beforeAll(async () => {
      sim = simulate(scenario());
      run = await settle(sim);
    }, 90_000);

    it("[CIL-LINUX] both pods' eth0 and node-1's eth0 carry the simulation's frames (ARP for the router IP, TTLs, MACs)", () => {
      expect(frameProblems(sim, run)).toEqual([]);
      // Pod b receives the echo request with TTL 62: lowered once on each node.
      const req = run.frames['node-2/default/pod-b/eth0'].find((f) => f[23] === 1 && f[34] === 8)!;
      expect(req[22]).toBe(62);
    });
    it("the pods' routes are the simulation's", () => {
      const snap = finalState(sim);
      for (const id of Object.keys(run.routes))
        expect(routeLines(snap.netns[id])).toEqual(run.routes[id]);
    });
    it('leaves none of its namespaces behind', () => {
      expect(Lab.leftovers()).toEqual([]);
    });
  },
);
