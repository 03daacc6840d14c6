import { describe, expect, it } from 'vitest';
import { formatDiagnostic, formatDiagnostics } from './format.ts';
import { loadScenario } from './load.ts';
import { CLUSTER, pod } from './testing.ts';

describe('formatDiagnostics', () => {
  it('prints one compiler-style line per error', () => {
    const errors = [
      { line: 3, column: 18, message: 'first', path: 'metadata.name' },
      { line: 12, column: 7, message: 'second' },
    ];
    expect(formatDiagnostics(errors, 'lab.yaml')).toBe(
      'lab.yaml:3:18: error: first\nlab.yaml:12:7: error: second',
    );
  });

  it('prints nothing for no errors', () => {
    expect(formatDiagnostics([], 'lab.yaml')).toBe('');
  });

  it('keeps a multi-line message on one line', () => {
    expect(formatDiagnostic({ line: 1, column: 1, message: 'a\n  b' }, 'x.yaml')).toBe(
      'x.yaml:1:1: error: a b',
    );
  });

  it('formats what loadScenario reports', () => {
    const r = loadScenario(CLUSTER + pod('web', 'default', '  nodeName: node-9'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(formatDiagnostics(r.errors, 'public/scenarios/lab.yaml')).toBe(
      "public/scenarios/lab.yaml:11:13: error: nodeName node-9 is not a node of this cluster (nodes: node-1, node-2); did you mean 'node-1'?",
    );
  });
});
