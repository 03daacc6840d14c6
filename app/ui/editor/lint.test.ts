import { describe, expect, it } from 'vitest';
import { Text } from '@codemirror/state';
import { checkScenario } from '@kubewire/sim-core';
import { offsetOf, toCmDiagnostics } from './lint.ts';

const deployment = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: web',
  'spec:',
  '  replicas: two',
  '  selector: {matchLabels: {app: web}}',
  '  template:',
  '    metadata: {labels: {app: web}}',
  '    spec:',
  '      containers: [{name: nginx, image: nginx:1.27}]',
  '---',
  'apiVersion: batch/v1',
  'kind: Job',
  'metadata: {name: backup}',
].join('\n');

describe('the editor’s inline diagnostics are validate’s, at the word they point at', () => {
  it('an error underlines the refused value, a warning its key, in document order', () => {
    const r = checkScenario(deployment);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const doc = Text.of(deployment.split('\n'));
    const marks = toCmDiagnostics(doc, r.errors, r.warnings).map((d) => ({
      severity: d.severity,
      text: doc.sliceString(d.from, d.to),
      line: doc.lineAt(d.from).number,
      message: d.message,
    }));
    expect(marks).toContainEqual(
      expect.objectContaining({ severity: 'error', text: 'two', line: 6 }),
    );
    expect(marks.find((m) => m.text === 'two')?.message).toMatch(/^6:13 spec\.replicas/);
    expect(marks).toContainEqual(expect.objectContaining({ severity: 'warning', line: 14 }));
    const lines = marks.map((m) => m.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });

  it('a place past the end of its line or the document is clamped, never thrown', () => {
    const doc = Text.of(['a: 1', 'b: 2']);
    expect(offsetOf(doc, 1, 99)).toBe(4);
    expect(offsetOf(doc, 9, 1)).toBe(5);
    expect(offsetOf(doc, 0, 0)).toBe(0);
    expect(toCmDiagnostics(doc, [{ line: 7, column: 40, message: 'x' }], [])[0]).toMatchObject({
      from: 9,
      to: 9,
    });
  });
});
