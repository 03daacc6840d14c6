/**
 * Test helpers: YAML written inline in tests, indented with the code, and
 * errors flattened to "line:column message" strings so an assertion shows the
 * exact position and wording a student would see.
 */
import { loadScenario } from './load.ts';
import type { Diagnostic, LoadedScenario } from './types.ts';

/** Tagged template: drops the first newline and the common indentation. */
export function y(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = strings.reduce(
    (acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''),
    '',
  );
  const lines = raw
    .replace(/^\n/, '')
    .replace(/\n[ \t]*$/, '\n')
    .split('\n');
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length);
  const cut = Math.min(...indents);
  return lines.map((l) => l.slice(cut)).join('\n');
}

export function show(d: Diagnostic): string {
  return `${d.line}:${d.column} ${d.message}`;
}

/** Errors of a file that must fail to load, as "line:col message". */
export function errorsOf(text: string): string[] {
  const r = loadScenario(text);
  if (r.ok) throw new Error('expected errors, but the scenario loaded');
  return r.errors.map(show);
}

/** Diagnostics (with paths) of a file that must fail to load. */
export function diagnosticsOf(text: string): readonly Diagnostic[] {
  const r = loadScenario(text);
  if (r.ok) throw new Error('expected errors, but the scenario loaded');
  return r.errors;
}

/** Warnings of a file, loaded or not, as "line:col message". */
export function warningsOf(text: string): string[] {
  return loadScenario(text).warnings.map(show);
}

/** A file that must load; fails the test with every error otherwise. */
export function loadOk(text: string): LoadedScenario {
  const r = loadScenario(text);
  if (!r.ok) throw new Error(`expected the scenario to load:\n${r.errors.map(show).join('\n')}`);
  return r.scenario;
}

/** A minimal valid Cluster document (5 lines, ending in a newline). */
export const CLUSTER = [
  'apiVersion: kubewire/v1',
  'kind: Cluster',
  'metadata: {name: lab}',
  'spec:',
  '  nodes: [{name: node-1, ip: 192.168.1.10}, {name: node-2, ip: 192.168.1.11}]',
  '',
].join('\n');

/** A Pod document with one container "app"; `extra` lines go under spec. */
export function pod(name: string, namespace = 'default', extra = ''): string {
  return [
    '---',
    'apiVersion: v1',
    'kind: Pod',
    `metadata: {name: ${name}, namespace: ${namespace}}`,
    'spec:',
    ...(extra ? [extra] : []),
    '  containers: [{name: app, image: nginx}]',
    '',
  ].join('\n');
}
