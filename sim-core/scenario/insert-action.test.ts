/**
 * [FAULT5] A fault pressed on the picture is an action written into the
 * scenario's text at the current action: every built-in still loads with it
 * at that index, its other actions unchanged, and nothing else in the file moves.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { publicScenario, simulate } from '../test/driver.ts';
import { loadScenario } from './index.ts';
import { formatAction, insertAction } from './insert-action.ts';

const builtins = readdirSync(new URL('../../public/scenarios/', import.meta.url)).filter((f) =>
  f.endsWith('.yaml'),
);

const actionsOf = (text: string) => {
  const r = loadScenario(text);
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.line}:${e.column} ${e.message}`).join('\n'));
  return r.scenario;
};

describe('[FAULT5] insertAction', () => {
  it('writes one action in the built-ins’ flow style', () => {
    expect(formatAction({ crash: { pod: 'web-0', container: 'app' } })).toBe(
      'crash: {pod: web-0, container: app}',
    );
    expect(formatAction({ iptables: { node: 'node-2', args: '-D INPUT 1' } })).toBe(
      'iptables: {node: node-2, args: -D INPUT 1}',
    );
  });

  it.each(builtins)('%s: a delete at action 1 loads there, the rest as before', (file) => {
    const text = publicScenario(file);
    const before = actionsOf(text);
    const pod = before.pods.filter(
      (p) => !['kube-system', 'ingress-nginx'].includes(p.namespace),
    )[0];
    const at = Math.min(1, before.scenario.actions.length);
    const out = insertAction(text, at, { delete: { pod: `${pod.namespace}/${pod.name}` } });
    const after = actionsOf(out);
    expect(after.scenario.actions.length).toBe(before.scenario.actions.length + 1);
    const added = after.scenario.actions[at];
    expect(added.kind).toBe('delete');
    expect(added.kind === 'delete' && added.pod).toEqual({
      namespace: pod.namespace,
      name: pod.name,
    });
    const kinds = (a: typeof after) => a.scenario.actions.map((x) => x.kind);
    expect(kinds(after).toSpliced(at, 1)).toEqual(kinds(before));
    // One line more, every other line as written (comments included).
    const lines = out.split('\n');
    const added1 = lines.findIndex((l, i) => l !== text.split('\n')[i]);
    expect(lines.toSpliced(added1, 1).join('\n')).toBe(text);
  });

  it('appends past the end, and to a file with no Scenario document adds one', () => {
    const text = publicScenario('fault-vxlan-drop.yaml');
    const out = insertAction(text, 99, { ready: { pod: 'pod-b', ready: false } });
    expect(actionsOf(out).scenario.actions.at(-1)?.kind).toBe('ready');
    const bare = text.slice(0, text.lastIndexOf('---'));
    const added = insertAction(bare, 0, { crash: { pod: 'pod-b', container: 'web' } });
    expect(actionsOf(added).scenario.actions.map((a) => a.kind)).toEqual(['crash']);
  });

  it('an empty flow list takes the action (the document printed again, other documents kept)', () => {
    const text = publicScenario('fault-vxlan-drop.yaml').replace(
      / {2}actions:[\s\S]*$/,
      '  actions: []\n',
    );
    const out = insertAction(text, 0, { crash: { pod: 'pod-b', container: 'web' } });
    expect(actionsOf(out).scenario.actions.map((a) => a.kind)).toEqual(['crash']);
    expect(out.slice(0, text.lastIndexOf('---'))).toBe(text.slice(0, text.lastIndexOf('---')));
  });

  it('the crash it writes is simulated: the container restarts, the IP stays', () => {
    const text = insertAction(publicScenario('fault-vxlan-drop.yaml'), 1, {
      crash: { pod: 'pod-b', container: 'web' },
    });
    const sim = simulate(text);
    const first = sim.steps.findIndex((s) => s.action === 1);
    expect(first).toBeGreaterThan(0);
    const podB = (i: number) => sim.stateAt(i).pods.find((p) => p.name === 'pod-b');
    const ipBefore = podB(first - 1)?.ip;
    const end = podB(sim.steps.length - 1);
    expect(end?.ip).toBe(ipBefore);
    expect(end?.containers[0].restartCount).toBe(1);
  });
});
