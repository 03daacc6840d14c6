/**
 * The inspector's before/after of a NAT step: which fields and bytes a DNAT
 * changes. Linux's nf_nat_ipv4_manip_pkt (net/netfilter/nf_nat_proto.c)
 * rewrites the IPv4 address and fixes the header checksum (csum_replace4);
 * the TCP manip (tcp_manip_pkt) rewrites the port and updates the TCP
 * checksum for both the pseudo-header address and the port. Nothing else in
 * the packet changes: not the source, not the TTL (a bridged DNAT is not
 * routed), not the MACs around it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSimulation, decodeFrame, type Field, type Layer } from '@kubewire/sim-core';
import { changedBytes, changedPaths, flattenLayers } from './fieldIndex.ts';

function natStep(summary: RegExp) {
  const text = readFileSync(
    new URL('../../public/scenarios/service-clusterip.yaml', import.meta.url),
    'utf8',
  );
  const result = createSimulation(text);
  if (!result.ok) throw new Error(result.errors[0]?.message);
  const step = result.sim.steps.find((s) => summary.test(s.summary) && s.before);
  if (!step?.before || !step.frame || !step.layers) throw new Error(`no step ${summary}`);
  return { before: decodeFrame(step.before), after: step.layers, step };
}

/** tshark field names of the changed fields (leaves and parents), for readable assertions. */
function changedNames(before: readonly Layer[], after: readonly Layer[]): Set<string> {
  const paths = changedPaths(before, after);
  const names = new Set<string>();
  const walk = (fields: readonly Field[], prefix: string) =>
    fields.forEach((f, i) => {
      if (paths.has(`${prefix}.${i}`)) names.add(f.name);
      if (f.children) walk(f.children, `${prefix}.${i}`);
    });
  after.forEach((l, i) => walk(l.fields, `${i}`));
  return names;
}

describe('a NAT step, before and after', () => {
  it('a DNAT changes the destination address and port and both checksums, nothing else', () => {
    const { before, after } = natStep(/nat PREROUTING: DNAT/);
    const names = changedNames(before, after);
    expect(names).toContain('ip.dst');
    expect(names).toContain('ip.checksum');
    expect(names).toContain('tcp.dstport');
    expect(names).toContain('tcp.checksum');
    for (const same of ['ip.src', 'ip.ttl', 'tcp.srcport', 'tcp.seq', 'eth.src', 'eth.dst'])
      expect(names).not.toContain(same);
    // The Ethernet layer is untouched; the IP and TCP layers' titles (addresses, ports) changed.
    const paths = changedPaths(before, after);
    expect(paths.has('0')).toBe(false);
    expect(paths.has('1')).toBe(true);
    expect(paths.has('2')).toBe(true);
  });

  it("the reply's un-DNAT changes the source address and port back, and the checksums", () => {
    const { before, after } = natStep(/conntrack un-NATs source/);
    const names = changedNames(before, after);
    expect(names).toContain('ip.src');
    expect(names).toContain('tcp.srcport');
    expect(names).toContain('ip.checksum');
    expect(names).not.toContain('ip.dst');
    expect(names).not.toContain('tcp.dstport');
  });

  it('the changed bytes are the address, port and checksum bytes', () => {
    const { step, after } = natStep(/nat PREROUTING: DNAT/);
    const bytes = changedBytes(step.before!, step.frame!);
    const flat = flattenLayers(after);
    const at = (name: string) => flat.find((x) => x.label === name);
    // Every changed byte lies in the IP destination (30–33), the IP checksum (24–25),
    // the TCP destination port (36–37) or the TCP checksum (50–51).
    const allowed = new Set([24, 25, 30, 31, 32, 33, 36, 37, 50, 51]);
    for (const b of bytes) expect(allowed.has(b)).toBe(true);
    expect([...bytes].some((b) => b >= 30 && b <= 33)).toBe(true);
    expect(at('Destination Port')?.offset).toBe(36);
  });
});
