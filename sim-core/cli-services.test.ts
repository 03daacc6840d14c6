/**
 * [CLI5] The Services half from the CLI, as a user runs it: kubectl get's
 * tables (kubectl's columns; widths by its tab writer: each column its widest
 * cell + 3, at least 6; the last column unpadded), describe endpointslices,
 * kube-proxy's restore input, ipvsadm and ipset, and the refusals.
 * Names and addresses are the scenario's (seeded); the layout is stated here.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSimulation } from './simulation.ts';
import { kubewire, repoRoot } from './test/cli.ts';

const scenario = join(repoRoot, 'public/scenarios/service-clusterip.yaml');
const text = readFileSync(scenario, 'utf8');
const loaded = createSimulation(text);
if (!loaded.ok) throw new Error('service-clusterip.yaml does not load');
const { scenario: s } = loaded.sim;
const [rs] = s.deployments;
const web = s.services.find((x) => x.metadata.name === 'web')!;
/** The web pods in name order (the API server lists by name), with node and IP. */
const podsByName = [...rs.pods].sort();

function variant(name: string, edit: (t: string) => string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'kubewire-cli-')), name);
  writeFileSync(file, edit(text));
  return file;
}

describe('kubewire get (kubectl get)', () => {
  it('[CLI5] get pods -o wide: NAME READY STATUS RESTARTS AGE IP NODE NOMINATED NODE READINESS GATES', () => {
    const r = kubewire('get', 'pods', scenario, '-o', 'wide');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    // NAME is 20 wide (web-<10>-<5>): 23 with padding; IP 10 → 13; NODE 6 → 9; NOMINATED NODE 14 → 17.
    expect(lines[0]).toBe(
      'NAME                   READY   STATUS    RESTARTS   AGE   IP           NODE     NOMINATED NODE   READINESS GATES',
    );
    expect(lines[1]).toBe(
      'client                 1/1     Running   0          2s    10.244.0.2   node-1   <none>           <none>',
    );
    expect(lines.slice(2, 5).map((l) => l.split(/\s+/)[0])).toEqual(podsByName);
    for (const l of lines.slice(2, 5))
      expect(l).toMatch(
        /^web-\S{10}-\S{5} {3}1\/1 {5}Running {3}0 {10}2s {4}10\.244\.[01]\.\d {3}node-[12] {3}<none> {11}<none>$/,
      );
    expect(lines[5]).toBe('');
  });

  it('[CLI5] get pods --at a step inside a sandbox setup: 0/1 ContainerCreating', () => {
    const at = loaded.sim.steps.findIndex(
      (x) => x.facts.type === 'kubelet.sandbox' && x.facts.pod === `default/${rs.pods[1]}`,
    );
    const r = kubewire('get', 'po', scenario, '--at', String(at));
    expect(r.out).toContain(`\n${rs.pods[1]}   0/1     ContainerCreating   0          0s\n`);
    expect(r.out).not.toContain(rs.pods[2]);
  });

  it('[CLI5] get svc -o wide: 80/TCP, <none> external IP, SELECTOR app=web; -A adds NAMESPACE', () => {
    const ip = web.spec.clusterIP!;
    const w = Math.max(ip.length, 'CLUSTER-IP'.length) + 3;
    expect(kubewire('get', scenario, 'svc', '-o', 'wide').out).toBe(
      [
        `NAME         TYPE        ${'CLUSTER-IP'.padEnd(w)}EXTERNAL-IP   PORT(S)   AGE   SELECTOR`,
        `kubernetes   ClusterIP   ${'10.96.0.1'.padEnd(w)}<none>        443/TCP   2s    <none>`,
        `web          ClusterIP   ${ip.padEnd(w)}<none>        80/TCP    2s    app=web`,
        '',
      ].join('\n'),
    );
    const all = kubewire('get', 'services', scenario, '-A').out.split('\n');
    expect(all[0]).toMatch(
      /^NAMESPACE {3}NAME {9}TYPE {8}CLUSTER-IP +EXTERNAL-IP {3}PORT\(S\) {3}AGE$/,
    );
    expect(all[2]).toMatch(/^default {5}web {10}ClusterIP {3}/);
  });

  it('[CLI5] a NodePort Service prints 80:NODEPORT/TCP', () => {
    const file = variant('np.yaml', (t) =>
      t.replace(
        '  selector: {app: web}\n  ports: [{name: http, port: 80, targetPort: http}]',
        '  type: NodePort\n  selector: {app: web}\n  ports: [{name: http, port: 80, targetPort: http, nodePort: 31234}]',
      ),
    );
    expect(kubewire('get', 'svc', file).out).toMatch(
      /\nweb +NodePort +10\.\S+ +<none> +80:31234\/TCP +\d+s\n/,
    );
  });

  it('[CLI5] get endpointslices: kubectl’s "+ 1 more..." past three addresses; before the controller runs only kubernetes', () => {
    const four = variant('four.yaml', (t) => t.replace('replicas: 3', 'replicas: 4'));
    const lines = kubewire('get', 'endpointslices', four).out.split('\n');
    // ENDPOINTS: "a,b,c + 1 more..." is 44 characters, so the column is 47 wide.
    expect(lines[0]).toMatch(/^NAME {9}ADDRESSTYPE {3}PORTS {3}ENDPOINTS {38}AGE$/);
    expect(lines[1]).toMatch(/^kubernetes {3}IPv4 {10}6443 {4}192\.168\.1\.10 +\ds$/);
    expect(lines[2]).toMatch(
      /^web-\S{5} {4}IPv4 {10}8080 {4}10\.244\.\d\.\d,10\.244\.\d\.\d,10\.244\.\d\.\d \+ 1 more\.\.\. {3}\ds$/,
    );
    const before = loaded.sim.steps.findIndex((x) => x.facts.type === 'eps.write') - 1;
    const early = kubewire('get', 'endpointslice', scenario, '--at', String(before)).out;
    expect(early.trim().split('\n')).toHaveLength(2);
  });

  it('[CLI5] get deployments and replicasets', () => {
    expect(kubewire('get', 'deploy', scenario).out).toBe(
      'NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    3/3     3            3           2s\n',
    );
    const n = rs.replicaSet.length + 3;
    expect(kubewire('get', 'rs', scenario).out).toBe(
      `${'NAME'.padEnd(n)}DESIRED   CURRENT   READY   AGE\n${rs.replicaSet.padEnd(n)}3         3         3       2s\n`,
    );
  });

  it('[CLI5] an empty namespace: kubectl’s notice on stderr, exit 0', () => {
    expect(kubewire('get', 'pods', scenario, '-n', 'kube-system')).toMatchObject({
      code: 0,
      out: '',
      err: 'No resources found in kube-system namespace.\n',
    });
  });

  it('[CLI5] refusals are usage errors (exit 2) with no stack trace', () => {
    const foo = kubewire('get', 'foo', scenario);
    expect(foo).toMatchObject({
      code: 2,
      out: '',
      err: 'error: the server doesn\'t have a resource type "foo"\n',
    });
    // EndpointSlice has no short name in the API server's discovery.
    expect(kubewire('get', 'eps', scenario).err).toBe(
      'error: the server doesn\'t have a resource type "eps"\n',
    );
    const yaml = kubewire('get', 'svc', scenario, '-o', 'yaml');
    expect(yaml.code).toBe(2);
    expect(yaml.err).toMatch(/^kubewire: get -o yaml: only the table and -o wide are printed/);
    expect(kubewire('get', scenario).err).toContain('error: Required resource not specified.');
    for (const r of [foo, yaml]) expect(r.err).not.toMatch(/\n\s+at /);
  });
});

describe('kubewire endpointslices (kubectl describe endpointslices)', () => {
  it('[CLI5] --service default/web: the slice with each endpoint’s Ready, TargetRef and NodeName', () => {
    const r = kubewire('endpointslices', scenario, '--service', 'default/web');
    expect(r.code).toBe(0);
    const pods = loaded.sim.stateAt(loaded.sim.steps.length - 1).pods;
    const lines = r.out.split('\n');
    expect(lines.slice(0, 11)).toEqual([
      expect.stringMatching(/^Name: {9}web-\S{5}$/),
      'Namespace:    default',
      'Labels:       endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io',
      '              kubernetes.io/service-name=web',
      'Annotations:  <none>',
      'AddressType:  IPv4',
      'Ports:',
      '  Name  Port  Protocol',
      '  ----  ----  --------',
      '  http  8080  TCP',
      'Endpoints:',
    ]);
    const first = pods.find((p) => p.ip === lines[11].split(/\s+/).at(-1))!;
    expect(lines.slice(11, 18)).toEqual([
      `  - Addresses:  ${first.ip}`,
      '    Conditions:',
      '      Ready:    true',
      '    Hostname:   <unset>',
      `    TargetRef:  Pod/${first.name}`,
      `    NodeName:   ${first.node}`,
      '    Zone:       <unset>',
    ]);
    expect(lines.at(-2)).toBe('Events:         <none>');
  });

  it('[CLI5] a bad --service is refused with the Services there are', () => {
    expect(kubewire('endpointslices', scenario, '--service', 'default/nope')).toMatchObject({
      code: 2,
      err: 'kubewire: no Service "default/nope" (Services: default/kubernetes, default/web)\n',
    });
    expect(kubewire('endpointslices', scenario, '--service', 'a/b/c').code).toBe(2);
  });
});

describe('kubewire iptables-save --as-written, ipvsadm, ipset', () => {
  it('[CLI5] --as-written is kube-proxy’s restore input: %0.10f probabilities, not iptables-save’s %.11f', () => {
    const written = kubewire(
      'iptables-save',
      scenario,
      '--node',
      'node-1',
      '--as-written',
      '-t',
      'nat',
    ).out;
    expect(written.startsWith('*nat\n')).toBe(true);
    expect(written.endsWith('COMMIT\n')).toBe(true);
    expect(written).not.toContain('*filter');
    // Three endpoints: kube-proxy writes 1/3 then 1/2 (TestOverallIPTablesRules' format).
    expect(written).toContain('--probability 0.3333333333 ');
    expect(written).toContain('--probability 0.5000000000 ');
    const saved = kubewire('iptables-save', scenario, '--node', 'node-1', '-t', 'nat').out;
    expect(saved).toContain('--probability 0.33333333349 ');
    expect(saved.split('\n').filter((l) => l.startsWith('*'))).toEqual(['*nat']);
  });

  it('[CLI5] ipvsadm -Ln in an IPVS-mode cluster lists each Service with its endpoints as Masq weight 1', () => {
    const ipvs = variant('ipvs.yaml', (t) =>
      t.replace('spec:\n  nodes:', 'spec:\n  kubeProxy: {mode: ipvs}\n  nodes:'),
    );
    const out = kubewire('ipvsadm', ipvs, '--node', 'node-1').out.split('\n');
    expect(out.slice(0, 5)).toEqual([
      'IP Virtual Server version 1.2.1 (size=4096)',
      'Prot LocalAddress:Port Scheduler Flags',
      '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
      'TCP  10.96.0.1:443 rr',
      '  -> 192.168.1.10:6443            Masq    1      0          0         ',
    ]);
    expect(out[5]).toBe(`TCP  ${web.spec.clusterIP}:80 rr`);
    expect(out.slice(6, 9).map((l) => l.split(/\s+/)[2])).toEqual([
      '10.244.0.3:8080',
      '10.244.0.4:8080',
      '10.244.1.2:8080',
    ]);
    const sets = kubewire('ipset', ipvs, '--node', 'node-1').out;
    expect(sets).toMatch(/^Name: KUBE-LOOP-BACK\nType: hash:ip,port,ip\n/);
    expect(sets).toContain(`\n${web.spec.clusterIP},tcp:80\n`);
  });

  it('[CLI5] --as-written in IPVS mode: only the set-matching rules kube-proxy restores with --noflush', () => {
    const ipvs = join(repoRoot, 'public/scenarios/service-ipvs.yaml');
    const nat = kubewire(
      'iptables-save',
      ipvs,
      '--node',
      'node-1',
      '--as-written',
      '-t',
      'nat',
    ).out;
    expect(nat).toContain('-m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT');
    expect(nat).not.toMatch(/KUBE-(SVC|SEP)-/);
    // After the trace the connections are in IPVS's table, as ipvsadm -Lnc lists them.
    const conns = kubewire('ipvsadm', ipvs, '--node', 'node-1', '-c').out.split('\n');
    expect(conns[0]).toBe('IPVS connection entries');
    expect(conns.filter((l) => / TIME_WAIT /.test(l))).toHaveLength(2);
  });

  it('[CLI5] in an iptables-mode cluster: ipvsadm prints the bare header, ipset nothing', () => {
    expect(
      kubewire('ipvsadm', scenario, '--node', 'node-1', '--stats').out.split('\n'),
    ).toHaveLength(4);
    expect(kubewire('ipset', scenario, '--node', 'node-1')).toMatchObject({ code: 0, out: '' });
  });
});
