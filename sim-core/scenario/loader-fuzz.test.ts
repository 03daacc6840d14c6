/**
 * [MAN13] The loader never throws: random documents from a grammar of the
 * kinds and fields it reads, and random mutations of the built-ins, always
 * give a result (a scenario, or errors with a line and column). A small
 * seeded generator (fast-check is not installed): the same cases every run.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../engine/rng.ts';
import { loadScenario } from './load.ts';
import {
  CONTAINER_FIELDS,
  DEPLOYMENT_SPEC_FIELDS,
  OBJECT_META_FIELDS,
  POD_SPEC_FIELDS,
  SERVICE_SPEC_FIELDS,
  STATEFUL_SET_SPEC_FIELDS,
} from './kubernetes-fields.ts';

const KINDS = [
  ['v1', 'Pod'],
  ['v1', 'Service'],
  ['v1', 'ConfigMap'],
  ['v1', 'List'],
  ['v1', 'Namespace'],
  ['apps/v1', 'Deployment'],
  ['apps/v1', 'ReplicaSet'],
  ['apps/v1', 'StatefulSet'],
  ['apps/v1', 'DaemonSet'],
  ['batch/v1', 'Job'],
  ['kubewire/v1', 'Cluster'],
  ['kubewire/v1', 'Scenario'],
  ['example.com/v1', 'Widget'],
] as const;
const FIELDS = [
  ...OBJECT_META_FIELDS,
  ...POD_SPEC_FIELDS,
  ...CONTAINER_FIELDS,
  ...SERVICE_SPEC_FIELDS,
  ...DEPLOYMENT_SPEC_FIELDS,
  ...STATEFUL_SET_SPEC_FIELDS,
  'metadata',
  'spec',
  'items',
  'status',
  'nodes',
  'actions',
  'ping',
  'dig',
  'from',
  'matchLabels',
  'template',
];
const SCALARS = [
  'web',
  '0',
  '-1',
  '1.0',
  '99999',
  'null',
  '~',
  '""',
  'true',
  'None',
  'node-1',
  '10.96.0.1',
  '*a',
  'x'.repeat(300),
  'é',
];

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(0, xs.length - 1)];

function value(rng: Rng, depth: number, indent: string): string {
  const r = rng.int(0, 9);
  if (depth > 3 || r < 5) return ' ' + pick(rng, SCALARS);
  if (r < 7) return ` [${pick(rng, SCALARS)}, {${pick(rng, FIELDS)}: ${pick(rng, SCALARS)}}]`;
  if (r < 8) return `\n${indent}- ${pick(rng, FIELDS)}:${value(rng, depth + 1, indent + '    ')}`;
  return '\n' + mapping(rng, depth + 1, indent + '  ');
}

function mapping(rng: Rng, depth: number, indent: string): string {
  const n = rng.int(1, 4);
  const lines: string[] = [];
  for (let i = 0; i < n; i++)
    lines.push(`${indent}${pick(rng, FIELDS)}:${value(rng, depth, indent)}`);
  return lines.join('\n');
}

function document(rng: Rng): string {
  const [apiVersion, kind] = pick(rng, KINDS);
  return `apiVersion: ${apiVersion}\nkind: ${kind}\n${mapping(rng, 0, '')}\n`;
}

function mutate(rng: Rng, text: string): string {
  const at = rng.int(0, Math.max(0, text.length - 1));
  switch (rng.int(0, 5)) {
    case 0:
      return text.slice(0, at) + text.slice(at + rng.int(1, 20));
    case 1:
      return (
        text.slice(0, at) +
        pick(rng, [':', '-', '\t', '{', ']', '&a ', '*a', '\r', '---\n', '"']) +
        text.slice(at)
      );
    case 2:
      return text.slice(0, at) + text.slice(rng.int(0, text.length - 1));
    case 3:
      return text.replace(/\n {2}/, '\n');
    case 4:
      return text.slice(0, at) + '\n' + document(rng) + '---\n' + text.slice(at);
    default:
      return text.slice(0, at) + pick(rng, SCALARS) + text.slice(at);
  }
}

/** Never a throw; a refusal always says where and why. */
function check(text: string): void {
  let r: ReturnType<typeof loadScenario>;
  try {
    r = loadScenario(text);
  } catch (e) {
    throw new Error(`loadScenario threw on:\n${text}\n${String(e)}`);
  }
  if (!r.ok) {
    expect(r.errors.length, text).toBeGreaterThan(0);
    for (const e of r.errors) {
      expect(e.line, text).toBeGreaterThanOrEqual(1);
      expect(e.column, text).toBeGreaterThanOrEqual(1);
      expect(e.message, text).not.toBe('');
    }
  }
}

describe('[MAN13] the loader never throws', () => {
  it('on 400 random files from a grammar of kinds and fields', () => {
    const rng = createRng(13).fork('loader-fuzz');
    for (let i = 0; i < 400; i++) {
      const n = rng.int(1, 3);
      const docs = Array.from({ length: n }, () => document(rng));
      check(docs.join('---\n'));
    }
  });

  it('on 300 random mutations of the built-ins', () => {
    const dir = new URL('../../public/scenarios/', import.meta.url);
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => readFileSync(new URL(f, dir), 'utf8'))
      .filter((t) => t.length < 20_000);
    const rng = createRng(13).fork('loader-mutations');
    for (let i = 0; i < 300; i++) {
      let text = pick(rng, files);
      for (let k = rng.int(1, 3); k > 0; k--) text = mutate(rng, text);
      check(text);
    }
  });
});
