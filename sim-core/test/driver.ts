/**
 * A small test driver over createSimulation (tldraw's TestEditor idea):
 * build a scenario from parts, run it, and ask questions a student would.
 */
import { readFileSync } from 'node:fs';
import type { Simulation } from '../api.ts';
import type { Netns, Step } from '../model.ts';
import { createSimulation } from '../simulation.ts';
import { parseFrame } from '../dataplane/frames.ts';

export const publicScenario = (name: string) =>
  readFileSync(new URL(`../../public/scenarios/${name}`, import.meta.url), 'utf8');

export interface PodDef {
  name: string;
  node?: string;
  ports?: number[];
  containers?: string[];
}

export function scenarioYaml(opts: {
  nodes?: string[];
  mode?: 'vxlan' | 'host-gw';
  seed?: number;
  maskSize?: number;
  pods: PodDef[];
  actions: string[];
}): string {
  const nodes = opts.nodes ?? ['node-1'];
  const docs = [
    `apiVersion: kubewire/v1
kind: Cluster
metadata: {name: test}
spec:
  cni: {plugin: flannel, mode: ${opts.mode ?? 'vxlan'}}
  seed: ${opts.seed ?? 1}
${opts.maskSize ? `  nodeCIDRMaskSize: ${opts.maskSize}\n` : ''}  nodes:
${nodes.map((n, i) => `    - {name: ${n}, ip: 192.168.1.${10 + i}}`).join('\n')}`,
    ...opts.pods.map(
      (p) => `apiVersion: v1
kind: Pod
metadata: {name: ${p.name}}
spec:
${p.node ? `  nodeName: ${p.node}\n` : ''}  containers:
${(p.containers ?? ['app'])
  .map(
    (c, i) =>
      `    - name: ${c}\n      image: busybox${i === 0 && p.ports?.length ? `\n      ports:\n${p.ports.map((port) => `        - containerPort: ${port}`).join('\n')}` : ''}`,
  )
  .join('\n')}`,
    ),
    `apiVersion: kubewire/v1
kind: Scenario
metadata: {name: t}
spec:
  title: test
  goal: test
  actions:
${opts.actions.map((a) => `    - ${a}`).join('\n')}`,
  ];
  return docs.join('\n---\n') + '\n';
}

export function simulate(text: string): Simulation {
  const r = createSimulation(text);
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.line}:${e.column} ${e.message}`).join('\n'));
  return r.sim;
}

export function finalNetns(sim: Simulation, id: string): Netns {
  return sim.stateAt(sim.steps.length - 1).netns[id];
}

/** Frames a capture of the trace holds, parsed. */
export function captured(sim: Simulation) {
  return sim.steps
    .filter((s) => s.captured && s.frame)
    .map((s) => ({ step: s, ...parseFrame(s.frame!) }));
}

/** Index of the first step at or after `from` matching `pred`, or -1. */
export function findStep(steps: readonly Step[], pred: (s: Step) => boolean, from = 0): number {
  for (let i = from; i < steps.length; i++) if (pred(steps[i])) return i;
  return -1;
}
