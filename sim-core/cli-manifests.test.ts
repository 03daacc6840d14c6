/** The CLI on pasted manifests (MAN11): warnings on stderr, compiler style, exit codes as without them. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubewire, repoRoot } from './test/cli.ts';

const fixture = join(repoRoot, 'sim-core/scenario/testdata/kubectl-get-deploy-svc.yaml');
const NO_CLUSTER =
  /:1:1: warning: this file has no Cluster document: Kubewire uses kubeadm and flannel defaults/;

describe('[MAN11] the CLI on pasted manifests', () => {
  it('validate prints ok, the warnings on stderr as file:line:col: warning:, and exits 0', () => {
    const r = kubewire('validate', fixture);
    expect(r.code).toBe(0);
    expect(r.out).toBe('ok\n');
    const err = r.err.trim().split('\n');
    expect(err[0]).toMatch(new RegExp(`^${fixture}${NO_CLUSTER.source}`));
    expect(err[1]).toBe(
      `${fixture}:157:11: warning: the API server makes the kubernetes Service itself (443 → 6443 at the first address of the service CIDR); this copy is ignored`,
    );
    expect(err[2]).toMatch(
      /^kubewire: \d+ fields kept but not modelled \(validate --ignored lists them\)$/,
    );
  });

  it('validate --ignored lists each ignored field as file:line:col: ignored: PATH', () => {
    const r = kubewire('validate', fixture, '--ignored');
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines).toContain(`${fixture}:12:5: ignored: metadata.managedFields`);
    expect(lines).toContain(`${fixture}:131:3: ignored: status`);
    expect(lines.at(-1)).toBe('ok');
  });

  it('an error still exits 1, with the warnings on stderr', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubewire-man-'));
    const file = join(dir, 'job.yaml');
    writeFileSync(file, 'apiVersion: batch/v1\nkind: Job\n---\napiVersion: v1\nkind: Pod\n');
    const r = kubewire('validate', file);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/job\.yaml:4:1: error: a Pod needs metadata\.name/);
    expect(r.err).toContain(
      `${file}:2:7: warning: Job is not simulated by Kubewire; it is ignored`,
    );
  });

  it('get pods on a StatefulSet without a Cluster document lists web-0..2 on node-1..3', () => {
    const r = kubewire(
      'get',
      'pods',
      join(repoRoot, 'public/scenarios/statefulset-dns.yaml'),
      '-o',
      'wide',
    );
    expect(r.code).toBe(0);
    const rows = r.out
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(/\s+/));
    expect(rows.map((c) => `${c[0]} ${c[6]}`)).toEqual([
      'web-0 node-1',
      'web-1 node-2',
      'web-2 node-3',
    ]);
  });
});
