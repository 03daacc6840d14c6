/**
 * Graceful pod termination (SPEC SVC16, SVC17, SVC20, SVC21): the pod fields
 * as the API server validates them, and the built-in service-graceful's
 * timeline — deletionTimestamp, the terminating endpoint, kube-proxy's
 * resync, the preStop hook, SIGTERM and the FIN, the pod gone — in iptables
 * and IPVS mode.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { simulate } from './test/driver.ts';
import { errorsOf, loadOk } from './scenario/testing.ts';
import { execSeconds } from './scenario/pods.ts';
import { clusterObjects } from './format/cluster-objects.ts';
import { printPod } from './format/kubectl-printers.ts';
import type { FactOfType } from './narration/index.ts';
import type { Simulation } from './api.ts';
import type { Step } from './model.ts';
import { services as listServices } from './dataplane/ipvs/table.ts';
import { iptablesSave } from './dataplane/netfilter/save.ts';

const builtin = readFileSync(
  new URL('../public/scenarios/service-graceful.yaml', import.meta.url),
  'utf8',
);
const VICTIM = 'default/web-66bc4dd597-78b5v';
const VICTIM_IP = '10.244.1.2';

const first = (sim: Simulation, type: Step['facts']['type'], from = 0) =>
  sim.steps.find((s) => s.index >= from && s.facts.type === type)!;
const all = (sim: Simulation, type: Step['facts']['type']) =>
  sim.steps.filter((s) => s.facts.type === type);

/** The built-in's web template with other termination settings (and without its actions). */
const withTemplate = (lifecycle: string) =>
  builtin
    .replace(
      / {6}terminationGracePeriodSeconds: 30\n[\s\S]*?preStop: \{sleep: \{seconds: 5\}\}\n/,
      lifecycle,
    )
    .replace(/---\napiVersion: kubewire\/v1\nkind: Scenario[\s\S]*$/, '');

/** The same, with the built-in's actions on the new template's replica on node-2. */
function withTemplateActions(lifecycle: string): string {
  const text = withTemplate(lifecycle);
  const victim = loadOk(text).pods.find(
    (p) => p.name.startsWith('web-') && p.nodeName === 'node-2',
  )!;
  const actions = builtin.slice(builtin.indexOf('---\napiVersion: kubewire/v1\nkind: Scenario'));
  return text + actions.replace('web-66bc4dd597-78b5v', victim.name);
}

describe('[SVC16] terminationGracePeriodSeconds and lifecycle.preStop, validated at their place', () => {
  const template = (grace: string, preStop: string) =>
    withTemplate(
      `${grace}      containers:\n        - name: nginx\n          image: nginx:1.27\n          ports: [{containerPort: 8080, name: http}]\n          lifecycle:\n            preStop: ${preStop}\n`,
    );
  it('sleep and exec are read; the grace period defaults to 30 s', () => {
    const s = loadOk(template('', '{exec: {command: [sh, -c, "sleep 3"]}}'));
    const web = s.pods.find((p) => p.name.startsWith('web-'))!;
    expect(web.terminationGracePeriodSeconds).toBeUndefined();
    expect(web.containers[0].preStop).toEqual({
      kind: 'exec',
      seconds: 3,
      command: ['sh', '-c', 'sleep 3'],
    });
    expect(
      loadOk(builtin).pods.find((p) => p.name.startsWith('web-'))!.containers[0].preStop,
    ).toEqual({ kind: 'sleep', seconds: 5 });
  });
  it('exec: `sleep N` bare or under sh -c takes N s, anything else none', () => {
    expect(execSeconds(['sleep', '15'])).toBe(15);
    expect(execSeconds(['/bin/sh', '-c', 'sleep 2'])).toBe(2);
    expect(execSeconds(['nginx', '-s', 'quit'])).toBe(0);
  });
  it('a sleep longer than the grace period is refused in the API server’s words (validateSleepAction)', () => {
    const errs = errorsOf(
      template('      terminationGracePeriodSeconds: 10\n', '{sleep: {seconds: 11}}'),
    );
    expect(errs).toEqual([
      expect.stringMatching(
        /preStop\.sleep: Invalid value: 11: must be non-negative and less than terminationGracePeriodSeconds \(10\)$/,
      ),
    ]);
    // A sleep equal to the grace period is allowed, and so is 0 (PodLifecycleSleepActionAllowZero).
    expect(() =>
      loadOk(template('      terminationGracePeriodSeconds: 10\n', '{sleep: {seconds: 10}}')),
    ).not.toThrow();
    expect(() => loadOk(template('', '{sleep: {seconds: 0}}'))).not.toThrow();
  });
  it('one handler exactly; httpGet is refused as not simulated; a negative grace period is invalid', () => {
    expect(errorsOf(template('', '{}'))).toEqual([
      expect.stringMatching(/preStop: Required value: must specify a handler type$/),
    ]);
    expect(errorsOf(template('', '{sleep: {seconds: 1}, exec: {command: [sleep, "1"]}}'))).toEqual([
      expect.stringMatching(/Forbidden: may not specify more than 1 handler type$/),
    ]);
    expect(errorsOf(template('', '{httpGet: {path: /drain, port: 8080}}'))).toEqual([
      expect.stringMatching(/preStop httpGet is not simulated by Kubewire/),
    ]);
    expect(
      errorsOf(template('      terminationGracePeriodSeconds: -1\n', '{sleep: {seconds: 1}}')),
    ).toEqual([
      expect.stringMatching(
        /spec\.terminationGracePeriodSeconds: Invalid value: -1: must be greater than or equal to 0$/,
      ),
    ]);
  });
  it('each error has its line and column', () => {
    const text = template('', '{sleep: {seconds: 99}}');
    const line = text.split('\n').findIndex((l) => l.includes('seconds: 99')) + 1;
    expect(errorsOf(text)[0]).toMatch(new RegExp(`^${line}:\\d+ `));
  });
});

describe('[SVC17] the EndpointSlice controller marks a deleted pod’s endpoint terminating', () => {
  const sim = simulate(builtin);
  it('ready: false, serving: true, terminating: true while nginx still runs; gone with the pod', () => {
    const deleting = first(sim, 'pod.deleting');
    const marked = first(sim, 'eps.write', deleting.index);
    expect(marked.timeUs - deleting.timeUs).toBe(2_000);
    const slice = sim
      .stateAt(marked.index)
      .api.endpointSlices.find((s) => s.metadata.name.startsWith('web-'))!;
    const victim = slice.endpoints.find((e) => e.addresses[0] === VICTIM_IP)!;
    expect(victim.conditions).toEqual({ ready: false, serving: true, terminating: true });
    expect(slice.endpoints.filter((e) => e.conditions.ready)).toHaveLength(1);
    const gone = first(sim, 'kubelet.delete');
    const removed = first(sim, 'eps.write', gone.index).facts as FactOfType<'eps.write'>;
    expect(removed.endpoints).not.toContain(VICTIM_IP);
    expect(removed.terminating).toBeUndefined();
  });
  it('kubectl get pods shows Terminating from the deletion until the pod is gone', () => {
    const status = (index: number) => {
      const objs = clusterObjects(sim, index);
      const pod = objs.pods.find((p) => `${p.namespace}/${p.name}` === VICTIM);
      return pod && printPod(pod, { nowUs: objs.nowUs, wide: false }).slice(1, 3);
    };
    const deleting = first(sim, 'pod.deleting').index;
    expect(status(deleting - 1)).toEqual(['1/1', 'Running']);
    expect(status(deleting)).toEqual(['1/1', 'Terminating']);
    // nginx has exited, the sandbox is not gone yet: 0/1 and still Terminating.
    expect(status(first(sim, 'kubelet.exited').index)).toEqual(['0/1', 'Terminating']);
    expect(status(first(sim, 'kubelet.delete').index)).toBeUndefined();
  });
});

describe('[SVC20] graceful termination on the wire: old connection kept, new ones elsewhere', () => {
  const sim = simulate(builtin);
  const deleting = first(sim, 'pod.deleting');
  const resync = sim.steps.find(
    (s) => s.index > deleting.index && s.facts.type === 'kube-proxy.sync',
  )!;
  const prestop = first(sim, 'kubelet.prestop');
  const sigterm = first(sim, 'kubelet.sigterm');
  const dnats = all(sim, 'nf.nat')
    .map((s) => s.facts as FactOfType<'nf.nat'>)
    .filter((f) => f.nat?.kind === 'DNAT');

  it('the timeline: Terminating, slice +2 ms, preStop, resync +1 s, SIGTERM after the 5 s sleep', () => {
    expect((deleting.facts as FactOfType<'pod.deleting'>).grace).toBe(30);
    expect(prestop.timeUs - deleting.timeUs).toBe(2_000);
    expect(resync.timeUs - deleting.timeUs).toBe(1_002_000);
    expect(sigterm.timeUs - prestop.timeUs).toBe(5_000_000);
    // killContainer: 30 s less the hook's 5 s.
    expect((sigterm.facts as FactOfType<'kubelet.sigterm'>).graceLeft).toBe(25);
    const gone = first(sim, 'kubelet.delete');
    expect(gone.timeUs - sigterm.timeUs).toBe(2_000);
    const last = all(sim, 'kube-proxy.sync').at(-1)!;
    expect(last.timeUs - gone.timeUs).toBe(1_002_000);
  });

  it('after the resync the terminating endpoint has no KUBE-SEP- chain; the new connection goes to the other pod', () => {
    const save = (i: number) => iptablesSave(sim.stateAt(i).netns['node-1'].netfilter!);
    expect(save(resync.index - 1)).toContain(`-j DNAT --to-destination ${VICTIM_IP}:8080`);
    expect(save(resync.index)).not.toContain(VICTIM_IP);
    expect(dnats.map((f) => f.nat!.after)).toEqual([`${VICTIM_IP}:8080`, '10.244.0.3:8080']);
    const secondDnat = all(sim, 'nf.nat').find(
      (s) => (s.facts as FactOfType<'nf.nat'>).nat?.after === '10.244.0.3:8080',
    )!;
    expect(secondDnat.timeUs).toBeGreaterThan(resync.timeUs);
    expect(secondDnat.timeUs).toBeLessThan(sigterm.timeUs);
  });

  it('SIGTERM: nginx’s FIN closes the old connection, un-NATed by conntrack after the KUBE-SEP is gone', () => {
    const fin = sim.steps.find(
      (s) =>
        s.index > sigterm.index &&
        s.kind === 'transmit' &&
        s.place.netns === 'node-1/default/client' &&
        /^80 → \d+ \[FIN, ACK\]/.test(s.summary),
    )!;
    expect(fin).toBeDefined();
    expect(fin.timeUs - sigterm.timeUs).toBeLessThan(100);
    const unnat = sim.steps.find(
      (s) =>
        s.index > sigterm.index &&
        s.index < fin.index &&
        s.place.node === 'node-1' &&
        s.summary.startsWith(`conntrack un-NATs source ${VICTIM_IP}:8080`),
    );
    expect(unnat).toBeDefined();
    // The client's socket goes through CLOSE-WAIT and LAST-ACK to closed.
    const end = sim.stateAt(sim.steps.length - 1);
    const client = end.netns['node-1/default/client'].sockets ?? [];
    // Only the second connection's TIME-WAIT is left (its client closed first).
    expect(client.map((s) => s.state)).toEqual(['TIME-WAIT']);
    expect(end.pods.map((p) => `${p.namespace}/${p.name}`)).not.toContain(VICTIM);
  });

  it('without a preStop hook SIGTERM comes 2 ms after the deletion, before kube-proxy’s resync', () => {
    const quick = simulate(
      withTemplateActions(
        `      containers:\n        - name: nginx\n          image: nginx:1.27\n          ports: [{containerPort: 8080, name: http}]\n`,
      ),
    );
    const d = first(quick, 'pod.deleting');
    const term = first(quick, 'kubelet.sigterm');
    const sync = quick.steps.find((s) => s.index > d.index && s.facts.type === 'kube-proxy.sync')!;
    expect(term.timeUs - d.timeUs).toBe(2_000);
    expect(term.timeUs).toBeLessThan(sync.timeUs);
    expect((term.facts as FactOfType<'kubelet.sigterm'>).graceLeft).toBe(30);
  });
});

describe('[SVC20] a pod whose sandbox never came up', () => {
  it('has no container to stop: Terminating, then deleted, with no SIGTERM', () => {
    const pod = (name: string) =>
      `---\napiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec: {containers: [{name: c, image: busybox}]}\n`;
    const sim = simulate(
      `apiVersion: kubewire/v1\nkind: Cluster\nmetadata: {name: full}\nspec:\n  nodeCIDRMaskSize: 30\n  nodes: [{name: node-1, ip: 192.168.1.10}]\n` +
        pod('a') +
        pod('b') +
        `---\napiVersion: kubewire/v1\nkind: Scenario\nmetadata: {name: x}\nspec:\n  actions: [{delete: {pod: b}}]\n`,
    );
    expect(first(sim, 'cni.ipam-exhausted')).toBeDefined();
    expect(all(sim, 'kubelet.sigterm')).toEqual([]);
    const gone = first(sim, 'kubelet.delete');
    expect(gone.summary).toBe('default/b deleted');
    expect(gone.timeUs - first(sim, 'pod.deleting').timeUs).toBe(4_000);
  });
});

describe('[SVC21] IPVS mode: the terminating real server drains at weight 0', () => {
  const sim = simulate(
    builtin.replace('spec:\n  nodes:', 'spec:\n  kubeProxy: {mode: ipvs}\n  nodes:'),
  );
  it('kube-proxy keeps it with its connection; rr skips it; it is still there at weight 0 at the end', () => {
    const q = all(sim, 'ipvs.rs-quiesce').map((s) => s.facts as FactOfType<'ipvs.rs-quiesce'>);
    expect(q).toEqual([
      expect.objectContaining({
        node: 'node-1',
        dest: `${VICTIM_IP}:8080`,
        active: 1,
        inactive: 0,
      }),
    ]);
    const chosen = sim.steps
      .filter((s) => s.summary.startsWith('IPVS rr:'))
      .map((s) => s.summary.split(' → ')[1]);
    expect(chosen).toEqual([`${VICTIM_IP}:8080`, '10.244.0.3:8080']);
    const end = sim.stateAt(sim.steps.length - 1).netns['node-1'].ipvs!;
    const web = listServices(end).find((v) => v.port === 80)!;
    expect(web.realServers.map((r) => `${r.address} w${r.weight}`).sort()).toEqual([
      '10.244.0.3 w1',
      `${VICTIM_IP} w0`,
    ]);
    // The RS check runs every minute: a trace that ends within it still shows the drained server.
    expect(all(sim, 'ipvs.rs-delete')).toEqual([]);
  });
});
