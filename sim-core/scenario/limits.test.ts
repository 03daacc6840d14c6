import { describe, expect, it } from 'vitest';
import { checkScenario } from '../simulation.ts';
import { bigScenario } from '../bench/big-scenario.ts';
import { servicesScenario } from '../bench/services-scenario.ts';
import { SCENARIO_LIMITS } from './limits.ts';

/** Line and column (1-based) of the first occurrence of `needle` at or after line `fromLine`. */
function where(text: string, needle: string, nth = 1): { line: number; column: number } {
  const lines = text.split('\n');
  let seen = 0;
  for (const [i, l] of lines.entries()) {
    const c = l.indexOf(needle);
    if (c >= 0 && ++seen === nth) return { line: i + 1, column: c + 1 };
  }
  throw new Error(`${needle} not found`);
}

const cluster = (
  extra = '',
  nodes = '    - {name: node-1, ip: 192.168.1.10}',
) => `apiVersion: kubewire/v1
kind: Cluster
metadata: {name: limits}
spec:
  nodeNetwork: 192.168.0.0/16
  podCIDR: 10.128.0.0/9
${extra}  nodes:
${nodes}`;

const deployment = (name: string, replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: app, image: nginx}]`;

function errorsOf(text: string) {
  const r = checkScenario(text);
  expect(r.ok).toBe(false);
  return r.ok ? [] : r.errors;
}

describe('scenario limits', () => {
  it('[LIM1] a file over 16 MiB of UTF-8 is refused at the first byte past the limit, with the limit and its size', () => {
    const limit = SCENARIO_LIMITS.fileBytes;
    expect(limit).toBe(16 * 1024 * 1024);
    // "é" is two bytes in UTF-8: the byte past the limit is the "x" after limit/2 of them, on line 2.
    const text = `# header1\n# ${'é'.repeat((limit - 12) / 2)}x and more\n`;
    const bytes = new TextEncoder().encode(text).length;
    const [e, ...rest] = errorsOf(text);
    expect(rest).toEqual([]);
    expect({ line: e.line, column: e.column }).toEqual(where(text, 'x and more'));
    expect(e.message).toContain('16,777,216 bytes (16 MiB)');
    expect(e.message).toContain(`${bytes.toLocaleString('en-US')} bytes`);
    // One byte less is not over the limit (it fails for other reasons: no Cluster document).
    const fits = `# header1\n# ${'é'.repeat((limit - 12) / 2)}`;
    expect(new TextEncoder().encode(fits).length).toBe(limit);
    expect(errorsOf(fits).some((d) => /16 MiB/.test(d.message))).toBe(false);
  });

  it('[LIM2] pods in all: the Deployment whose replicas pass 10,000 is refused at its replicas:, and no pod of it is made', () => {
    const text = [
      cluster(),
      deployment('a', 6_000),
      deployment('b', 4_000),
      deployment('c', 3),
    ].join('\n---\n');
    const errors = errorsOf(text);
    expect(errors).toHaveLength(1);
    const key = where(text, 'replicas: 3');
    expect(errors[0]).toMatchObject({ line: key.line, column: key.column + 'replicas: '.length });
    expect(errors[0].message).toMatch(/too many pods: 10,003, over Kubewire's limit of 10,000/);
    // A written pod past the limit is refused at its name.
    const pod = `apiVersion: v1\nkind: Pod\nmetadata: {name: extra}\nspec:\n  containers: [{name: app, image: nginx}]`;
    const [e] = errorsOf(
      [cluster(), pod, pod.replace('extra', 'extra2'), deployment('a', 9_999)].join('\n---\n'),
    );
    expect(e.message).toMatch(/too many pods: 10,001/);
    // Exactly 10,000 over three nodes is allowed.
    const three = ['node-1', 'node-2', 'node-3']
      .map((n, i) => `    - {name: ${n}, ip: 192.168.1.${10 + i}}`)
      .join('\n');
    const ok = [
      cluster('  nodeCIDRMaskSize: 18\n', three),
      deployment('a', 6_000),
      deployment('b', 4_000),
    ];
    expect(checkScenario(ok.join('\n---\n')).ok).toBe(true);
  });

  it("[LIM3] pods on one node: the 5,001st on a node is refused at its Deployment's replicas:, though its /19 has room", () => {
    const text = [cluster('  nodeCIDRMaskSize: 19\n'), deployment('web', 5_001)].join('\n---\n');
    const errors = errorsOf(text);
    expect(errors).toHaveLength(1);
    const key = where(text, 'replicas: 5001');
    expect(errors[0]).toMatchObject({ line: key.line, column: key.column + 'replicas: '.length });
    expect(errors[0].message).toMatch(
      /too many pods on node node-1: 5,001, over Kubewire's limit of 5,000/,
    );
    // 4,000 pods on one node (issue 10's case) are allowed.
    expect(
      checkScenario([cluster('  nodeCIDRMaskSize: 20\n'), deployment('web', 4_000)].join('\n---\n'))
        .ok,
    ).toBe(true);
  });

  it('[LIM4] Services: the 5,001st is refused at its name', () => {
    const svc = (i: number) =>
      `apiVersion: v1\nkind: Service\nmetadata: {name: s${i}}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]`;
    const docs = [cluster()];
    for (let i = 0; i < 5_001; i++) docs.push(svc(i));
    const text = docs.join('\n---\n');
    const errors = errorsOf(text);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject(where(text, 's5000}'));
    expect(errors[0].message).toMatch(/too many Services: 5,001, over Kubewire's limit of 5,000/);
  });

  it('[LIM5] nodes: the 2,501st node is refused where it is written', () => {
    const nodes = Array.from(
      { length: 2_501 },
      (_, i) => `    - {name: n${i}, ip: 192.168.${(i >> 8) + 1}.${i & 255}}`,
    ).join('\n');
    const text = cluster('', nodes);
    const errors = errorsOf(text);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject(where(text, '{name: n2500,'));
    expect(errors[0].message).toMatch(/too many nodes: 2,501, over Kubewire's limit of 2,500/);
  });

  it('[LIM6] actions and pings: the 1,001st action, and the ping whose count passes 10,000 echo requests', () => {
    const pods = ['a', 'b'].map(
      (n) =>
        `apiVersion: v1\nkind: Pod\nmetadata: {name: ${n}}\nspec:\n  containers: [{name: app, image: nginx}]`,
    );
    const scenario = (actions: string[]) =>
      `apiVersion: kubewire/v1\nkind: Scenario\nmetadata: {name: s}\nspec:\n  title: t\n  goal: g\n  actions:\n${actions.join('\n')}`;
    const many = Array.from({ length: 1_001 }, (_, i) => `    - ping: {from: a, to: b}  # ${i}`);
    const text = [cluster(), ...pods, scenario(many)].join('\n---\n');
    const errors = errorsOf(text);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject(where(text, 'ping: {from: a, to: b}  # 1000'));
    expect(errors[0].message).toMatch(/too many actions: 1,001, over Kubewire's limit of 1,000/);

    // 100 pings of count 100 are 10,000 echo requests; a 101st of count 1 passes the limit.
    const pings = Array.from({ length: 100 }, () => '    - ping: {from: a, to: b, count: 100}');
    pings.push('    - ping: {from: b, to: a, count: 1}');
    const text2 = [cluster(), ...pods, scenario(pings)].join('\n---\n');
    const [e] = errorsOf(text2);
    expect(e).toMatchObject(where(text2, 'ping: {from: b, to: a, count: 1}'));
    expect(e.message).toMatch(/echo requests: 10,001 .*limit of 10,000/);
    expect(
      checkScenario([cluster(), ...pods, scenario(pings.slice(0, 100))].join('\n---\n')).ok,
    ).toBe(true);
  });

  it('[LIM6] the sizes the issue and the bench use are within the limits: 5,000 pods (50 × 100), and 2,501 pods with 2,000 Services', () => {
    expect(checkScenario(bigScenario(50, 100, 40, { podCIDR: '10.128.0.0/9' })).ok).toBe(true);
    const services = servicesScenario({
      nodes: 50,
      deployments: 500,
      replicas: 5,
      services: 2_000,
      mode: 'iptables',
      targets: [0, 1_000, 1_999],
    });
    expect(checkScenario(services).ok).toBe(true);
  });
});
