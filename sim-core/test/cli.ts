/** The CLI as a user runs it, for tests: a real process, its exit code, stdout and stderr. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const repoRoot = new URL('../..', import.meta.url).pathname;

export function kubewire(...args: string[]) {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'sim-core/cli.ts'), ...args],
    {
      cwd: repoRoot,
      encoding: 'utf8',
    },
  );
  return { code: r.status, out: r.stdout, err: r.stderr };
}
