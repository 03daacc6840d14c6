/**
 * The ClusterIP topology of linux-reference §4 as a scenario: one node with
 * the reference's own kube-proxy-style ruleset loaded, endpoints poda
 * (10.244.0.2) and podb (10.244.0.3) listening on 8080, and the client podc
 * (10.244.0.4). MTU 1500 (host-gw) and hairpin off, as the reference set it up.
 */
import { readFileSync } from 'node:fs';

export const CLUSTERIP_RULES = readFileSync(
  new URL('./fixtures/clusterip/clusterip-ruleset.iptables-restore', import.meta.url),
  'utf8',
);

export interface ClusterIpOptions {
  seed?: number;
  brNetfilter?: boolean;
  hairpin?: boolean;
  promiscuous?: boolean;
  actions: string[];
}

export function clusterIpScenario(o: ClusterIpOptions): string {
  const rules = CLUSTERIP_RULES.trimEnd()
    .split('\n')
    .map((l) => `        ${l}`)
    .join('\n');
  const sysctls =
    o.brNetfilter === false ? `      sysctls: {net.bridge.bridge-nf-call-iptables: 0}\n` : '';
  const promisc = o.promiscuous ? `      promiscuous: [cni0]\n` : '';
  const pod = (name: string, ports: boolean) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  containers:
    - {name: app, image: nc${ports ? ', ports: [{containerPort: 8080}]' : ''}}`;
  return (
    [
      `apiVersion: kubewire/v1
kind: Cluster
metadata: {name: clusterip}
spec:
  cni: {plugin: flannel, mode: host-gw, hairpinMode: ${o.hairpin ?? false}}
  seed: ${o.seed ?? 2}
  nodes:
    - name: node-1
      ip: 192.168.1.10
${sysctls}${promisc}      iptables: |
${rules}`,
      pod('poda', true),
      pod('podb', true),
      pod('podc', false),
      `apiVersion: kubewire/v1
kind: Scenario
metadata: {name: t}
spec:
  title: t
  actions:
${o.actions.map((a) => `    - ${a}`).join('\n')}`,
    ].join('\n---\n') + '\n'
  );
}
