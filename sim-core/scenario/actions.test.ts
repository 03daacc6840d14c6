import { describe, expect, it } from 'vitest';
import { CLUSTER, errorsOf, loadOk, pod } from './testing.ts';

// Lines 1-5 cluster, 6-11 client, 12-17 default/web, 18-23 team/api; the Scenario starts at 24.
const WORLD = CLUSTER + pod('client') + pod('web') + pod('api', 'team');

/** A Scenario document whose actions are the given lines; the first action is on line 32 (31 with a 3-line head). */
function scenario(
  actions: string[],
  head = ['metadata: {name: demo}', 'spec:', '  title: Demo', '  goal: Watch'],
): string {
  return (
    WORLD +
    [
      '---',
      'apiVersion: kubewire/v1',
      'kind: Scenario',
      ...head,
      '  actions:',
      ...actions.map((a) => `    - ${a}`),
      '',
    ].join('\n')
  );
}

describe('Scenario: actions', () => {
  it('reads every supported action with its defaults and position', () => {
    const s = loadOk(
      scenario([
        'ping: {from: client, to: 10.244.1.2}',
        'ping: {from: default/client, to: team/api, count: 3}',
        'connect: {from: client, to: web, port: 80}',
        'crash: {pod: team/api, container: app}',
        'delete: {pod: web}',
      ]),
    );
    const client = { namespace: 'default', name: 'client' };
    expect(s.scenario).toEqual({
      name: 'demo',
      title: 'Demo',
      goal: 'Watch',
      actions: [
        { kind: 'ping', from: client, to: '10.244.1.2', count: 1, pos: { line: 32, column: 7 } },
        { kind: 'ping', from: client, to: 'team/api', count: 3, pos: { line: 33, column: 7 } },
        { kind: 'connect', from: client, to: 'web', port: 80, pos: { line: 34, column: 7 } },
        {
          kind: 'crash',
          pod: { namespace: 'team', name: 'api' },
          container: 'app',
          pos: { line: 35, column: 7 },
        },
        {
          kind: 'delete',
          pod: { namespace: 'default', name: 'web' },
          wait: true,
          pos: { line: 36, column: 7 },
        },
      ],
    });
  });

  it('accepts any IPv4 destination, inside the cluster or not', () => {
    const s = loadOk(scenario(['ping: {from: client, to: 8.8.8.8}']));
    expect(s.scenario.actions[0]).toMatchObject({ to: '8.8.8.8' });
  });

  it('defaults the name to the cluster name and the title to the name', () => {
    const s = loadOk(scenario(['delete: {pod: web}'], ['spec:']));
    expect(s.scenario).toMatchObject({ name: 'lab', title: 'lab', goal: '' });
    const t = loadOk(scenario(['delete: {pod: web}'], ['metadata: {name: x}', 'spec:']));
    expect(t.scenario).toMatchObject({ name: 'x', title: 'x', goal: '' });
  });

  it('accepts a Scenario with no spec or no actions', () => {
    const text = WORLD + '---\napiVersion: kubewire/v1\nkind: Scenario\nmetadata: {name: empty}\n';
    expect(loadOk(text).scenario).toEqual({ name: 'empty', title: 'empty', goal: '', actions: [] });
  });
});

describe('Scenario: errors', () => {
  it('refuses planned actions by name at the key', () => {
    expect(
      errorsOf(
        scenario([
          'http: {from: client, url: "http://web.default/"}',
          'dig: {from: client, name: web, type: A}',
        ]),
      ),
    ).toEqual([
      "33:27 dig needs the cluster's DNS: add dns: {upstream: <a host>} to the Cluster spec, or give the server to ask",
    ]);
  });

  it('reports unknown actions with a suggestion', () => {
    expect(errorsOf(scenario(['pnig: {from: client, to: web}', 'curl: {}']))).toEqual([
      "32:7 unknown action 'pnig'; did you mean 'ping'? (actions: ping, connect, send, crash, delete, ready, iptables, http, dig, resolve, scale, drain, node-down)",
      "33:7 unknown action 'curl' (actions: ping, connect, send, crash, delete, ready, iptables, http, dig, resolve, scale, drain, node-down)",
    ]);
  });

  it('reports an item with two kinds or none', () => {
    expect(
      errorsOf(scenario(['{ping: {from: client, to: web}, delete: {pod: web}}', '{}'])),
    ).toEqual([
      '32:7 an action has exactly one kind, but this one has 2: ping, delete; start each action with its own "- "',
      '33:7 an action needs exactly one kind: ping, connect, send, crash, delete, ready, iptables, http, dig, resolve, scale, drain, node-down',
    ]);
  });

  it('reports pod references to pods that do not exist, at the value', () => {
    expect(
      errorsOf(
        scenario([
          'ping: {from: clinet, to: web}',
          'ping: {from: client, to: api}',
          'connect: {from: team/client, to: default/wbe, port: 80}',
          'delete: {pod: a/b/c}',
        ]),
      ),
    ).toEqual([
      "32:20 there is no pod default/clinet in this scenario; did you mean 'default/client'?",
      '33:32 there is no pod default/api in this scenario; a name without a namespace means namespace default: did you mean team/api?',
      '34:23 there is no pod team/client in this scenario',
      "34:40 there is no pod default/wbe in this scenario; did you mean 'default/web'?",
      '35:21 \'a/b/c\' is not a pod reference: write "namespace/name" or just "name"',
    ]);
  });

  it('reports an invalid IPv4 destination', () => {
    expect(errorsOf(scenario(['ping: {from: client, to: 10.244.1.300}']))).toEqual([
      '32:32 10.244.1.300 is not a valid IPv4 address',
    ]);
  });

  it('reports ports and counts out of range, and missing fields', () => {
    expect(
      errorsOf(
        scenario([
          'connect: {from: client, to: web, port: 0}',
          'connect: {from: client, to: web, port: 65536}',
          'connect: {from: client, to: web}',
          'ping: {from: client, to: web, count: 0}',
          'ping: {to: web}',
          'ping: {from: client}',
          'crash: {pod: web}',
          'delete: {}',
        ]),
      ),
    ).toEqual([
      '32:46 port must be between 1 and 65535, not 0',
      '33:46 port must be between 1 and 65535, not 65536',
      '34:16 connect needs a port (1..65535)',
      '35:44 count must be between 1 and 100, not 0',
      '36:13 ping needs from: the pod that sends it',
      '37:13 ping needs to: a pod or an IPv4 address',
      '38:14 crash needs container: which container in the pod crashes',
      '39:15 delete needs pod: the pod to delete',
    ]);
  });

  it("reports a crash naming a container the pod doesn't have", () => {
    expect(
      errorsOf(scenario(['crash: {pod: web, container: ap}', 'crash: {pod: web, container: db}'])),
    ).toEqual([
      "32:36 pod default/web has no container named ap (containers: app); did you mean 'app'?",
      '33:36 pod default/web has no container named db (containers: app)',
    ]);
  });

  it('reports unknown fields in the Scenario and its actions', () => {
    const head = ['metadata: {name: demo, namespace: x}', 'spec:', '  titel: Demo'];
    expect(errorsOf(scenario(['ping: {from: client, to: web, cuont: 2}'], head))).toEqual([
      "27:24 unknown field 'namespace' in the Scenario metadata",
      "29:3 unknown field 'titel' in the Scenario spec; did you mean 'title'?",
      "31:37 unknown field 'cuont' in a ping action; did you mean 'count'?",
    ]);
  });

  it('reports an action body that is not a mapping, and actions that are not a list', () => {
    expect(errorsOf(scenario(['delete: web']))).toEqual([
      '32:15 spec.actions[0].delete must be a mapping (key: value pairs), not a string ("web")',
    ]);
    const text =
      WORLD + '---\napiVersion: kubewire/v1\nkind: Scenario\nspec: {actions: {ping: {}}}\n';
    expect(errorsOf(text)).toEqual(['27:17 spec.actions must be a list, not a mapping']);
  });

  it('refuses a second Scenario document at its kind', () => {
    const second = '---\napiVersion: kubewire/v1\nkind: Scenario\nmetadata: {name: again}\n';
    expect(errorsOf(scenario(['delete: {pod: web}']) + second)).toEqual([
      '35:7 a scenario file has only one Scenario document (the first is at line 26)',
    ]);
  });

  it('does not blame pod references when a document could not be parsed', () => {
    const broken = '---\napiVersion: v1\nkind: Pod\nmetadata: {name: ghost\n';
    const errors = errorsOf(
      scenario(['delete: {pod: ghost}']).replace(
        '---\napiVersion: kubewire/v1\nkind: Scenario',
        broken + '---\napiVersion: kubewire/v1\nkind: Scenario',
      ),
    );
    expect(errors.every((e) => e.includes('YAML syntax error'))).toBe(true);
  });
});

describe('Scenario: aliases', () => {
  it('reports an action list item that is an alias to nothing', () => {
    expect(errorsOf(scenario(['*missing']))).toEqual([
      '32:7 *missing refers to no anchor &missing in this document (anchors do not reach across ---)',
    ]);
  });
});
