/**
 * [NF5] REJECT answers on the wire, as ipt_REJECT does: a filter rule on the
 * node REJECTs a pod's connection with tcp-reset (the client gets a RST in
 * the server's name) or with an ICMP port unreachable (quoting the SYN).
 */
import { describe, expect, it } from 'vitest';
import { captureSteps } from './capture.ts';
import { simulate } from './test/driver.ts';
import { parseFrame } from './dataplane/frames.ts';
import { parseIcmp } from './wire/icmp.ts';

const scenario = (rejectWith: string) => `apiVersion: kubewire/v1
kind: Cluster
metadata: {name: reject}
spec:
  cni: {plugin: flannel, mode: host-gw}
  nodes:
    - name: node-1
      ip: 192.168.1.10
      sysctls: {net.bridge.bridge-nf-call-iptables: 0}
      iptables: |
        *filter
        :INPUT ACCEPT [0:0]
        :FORWARD ACCEPT [0:0]
        :OUTPUT ACCEPT [0:0]
        -A FORWARD -d 10.244.1.2/32 -p tcp -m tcp --dport 8080 -j REJECT --reject-with ${rejectWith}
        COMMIT
    - {name: node-2, ip: 192.168.1.11}
---
apiVersion: v1
kind: Pod
metadata: {name: a}
spec: {nodeName: node-1, containers: [{name: c, image: nc}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b}
spec: {nodeName: node-2, containers: [{name: c, image: nc, ports: [{containerPort: 8080}]}]}
---
apiVersion: kubewire/v1
kind: Scenario
metadata: {name: t}
spec:
  actions:
    - connect: {from: a, to: b, port: 8080, timeout: 2}
`;

const atClient = (rejectWith: string) => {
  const sim = simulate(scenario(rejectWith));
  return {
    sim,
    frames: captureSteps(sim.steps, 'node-1/default/a/eth0').map((s) => parseFrame(s.frame!)),
  };
};

describe('REJECT', () => {
  it('[NF5] --reject-with tcp-reset: the client gets a RST from 10.244.1.2:8080 and connect() fails', () => {
    const { sim, frames } = atClient('tcp-reset');
    const rst = frames.find((f) => f.ip?.repr.protocol === 6 && (f.ip.payload[13] & 0x04) !== 0)!;
    expect(rst).toBeDefined();
    expect([rst.ip!.repr.srcAddr, rst.ip!.repr.dstAddr]).toEqual(['10.244.1.2', '10.244.0.2']);
    expect(rst.ip!.payload[13]).toBe(0x14); // RST,ACK: the SYN carried no ACK
    expect(sim.steps.some((s) => s.summary.startsWith('filter FORWARD: REJECT'))).toBe(true);
    expect(sim.steps.some((s) => /Connection refused/.test(s.summary))).toBe(true);
    expect(frames.some((f) => f.eth.src.startsWith('0a:58:0a:f4:01'))).toBe(false); // node-2 never saw it
  });

  it('[NF5] the default (icmp-port-unreachable): ICMP type 3 code 3 from the node, quoting the SYN', () => {
    const { frames } = atClient('icmp-port-unreachable');
    const icmp = frames.find((f) => f.ip?.repr.protocol === 1)!;
    const m = parseIcmp(icmp.ip!.payload).repr;
    expect([m.type, m.code]).toEqual([3, 3]);
    expect(icmp.ip!.repr.srcAddr).toBe('10.244.0.1');
  });
});
