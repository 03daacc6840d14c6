/**
 * The connect action's netcat options: `data` (printf DATA |), `close`
 * (nc -N) and `timeout` (nc -w), each optional, each checked with its place.
 */
import { describe, expect, it } from 'vitest';
import { CLUSTER, errorsOf, loadOk, pod } from './testing.ts';

const WORLD = CLUSTER + pod('client') + pod('web');

/** The Scenario's first action is on line 24. */
function scenario(actions: string[]): string {
  return (
    WORLD +
    [
      '---',
      'apiVersion: kubewire/v1',
      'kind: Scenario',
      'metadata: {name: demo}',
      'spec:',
      '  title: Demo',
      '  goal: Watch',
      '  actions:',
      ...actions.map((a) => `    - ${a}`),
      '',
    ].join('\n')
  );
}

describe('Scenario: connect', () => {
  it('reads data, close and timeout, and leaves them out when not given', () => {
    const s = loadOk(
      scenario([
        'connect: {from: client, to: web, port: 80, data: "conn-1\\n", close: true, timeout: 3}',
        'connect: {from: client, to: web, port: 80}',
      ]),
    );
    const [full, bare] = s.scenario.actions;
    expect(full).toMatchObject({ kind: 'connect', data: 'conn-1\n', close: true, timeout: 3 });
    expect(Object.keys(bare).sort()).toEqual(['from', 'kind', 'port', 'pos', 'to']);
  });

  it('refuses a close that is not true/false, a timeout out of range, data that is not text', () => {
    const lines = errorsOf(
      scenario([
        'connect: {from: client, to: web, port: 80, close: yes}',
        'connect: {from: client, to: web, port: 80, timeout: 0}',
        'connect: {from: client, to: web, port: 80, data: [1]}',
        'connect: {from: client, to: web, port: 80, wait: 3}',
      ]),
    );
    expect(lines[0]).toMatch(/^\d+:\d+ .*close must be true or false, not a string \("yes"\)/);
    expect(lines[1]).toMatch(/timeout must be between 1 and 600 seconds, not 0/);
    expect(lines[2]).toMatch(/data must be a string, not a list/);
    expect(lines[3]).toMatch(/unknown field 'wait' in a connect action/);
    expect(lines).toHaveLength(4);
  });
});
