/**
 * [LO2] A pod's connection to its own pod IP never leaves the pod: the local
 * routing table sends it through lo (`local 10.244.0.2 dev lo`), so TCP uses
 * lo's MTU — MSS 65495, windows 65495 / 65483 — not eth0's.
 */
import { describe, expect, it } from 'vitest';
import { captured, scenarioYaml, simulate } from './test/driver.ts';
import { parseTcp } from './wire/tcp.ts';

describe('a pod reaching its own IP', () => {
  it('[LO2] goes over lo with lo’s MSS and windows', () => {
    const sim = simulate(
      scenarioYaml({
        mode: 'vxlan',
        pods: [{ name: 'web', ports: [80] }],
        actions: ['connect: {from: web, to: web, port: 80}'],
      }),
    );
    const frames = captured(sim).filter((f) => f.ip?.repr.protocol === 6);
    expect(frames.length).toBeGreaterThanOrEqual(3);
    for (const f of frames) {
      expect([f.eth.src, f.eth.dst]).toEqual(['00:00:00:00:00:00', '00:00:00:00:00:00']);
      expect([f.ip!.repr.srcAddr, f.ip!.repr.dstAddr]).toEqual(['10.244.0.2', '10.244.0.2']);
      expect(f.step.place.iface).toBe('lo');
    }
    const [syn, synAck] = frames.map((f) => parseTcp(f.ip!.payload).repr);
    expect(syn.options[0]).toEqual({ kind: 'mss', value: 65495 });
    expect(synAck.options[0]).toEqual({ kind: 'mss', value: 65495 });
    expect([syn.window, synAck.window]).toEqual([65495, 65483]);
  });
});
