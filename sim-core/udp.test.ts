/**
 * [UDP1] UDP sockets send and receive: `send` is `printf DATA | nc -u -w 1`,
 * a connected socket on a random port of ip_local_port_range (no parity
 * rule), a DF datagram; a container's UDP containerPort is a bound socket
 * that receives it; a closed port answers ICMP port unreachable, which the
 * connected sender's socket takes as ECONNREFUSED.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFrame } from './dataplane/frames.ts';
import type { FactOfType } from './narration/index.ts';
import { simulate } from './test/driver.ts';
import { parseUdp } from './wire/udp.ts';

const sim = simulate(
  readFileSync(new URL('./test/fixtures/udp/send.yaml', import.meta.url), 'utf8'),
);
const first = sim.steps.filter((s) => s.action === 0);
const second = sim.steps.filter((s) => s.action === 1);

describe('[UDP1] a datagram from a connected socket', () => {
  it('leaves pod-a from a port of 32768–60999 with DF set and the data as written', () => {
    const out = first.find((s) => s.captured && s.summary.includes('→ 514'))!;
    const f = parseFrame(out.frame!);
    expect(f.ip!.repr.dontFragment).toBe(true);
    expect(f.ip!.repr.srcAddr).toBe('10.244.0.2');
    const udp = parseUdp(f.ip!.payload).repr;
    expect(udp.dstPort).toBe(514);
    expect(udp.srcPort).toBeGreaterThanOrEqual(32768);
    expect(udp.srcPort).toBeLessThanOrEqual(60999);
    expect(new TextDecoder().decode(udp.payload)).toBe('hello');
    const send = out.facts as FactOfType<'neigh.xmit'>;
    expect(send.cause).toMatchObject({ type: 'udp.send', len: 5 });
  });

  it('is received by the container that declared UDP 514; the socket is ESTAB until nc exits', () => {
    const got = first.find((s) => s.facts.type === 'udp.deliver')!;
    expect(got.facts).toMatchObject({ owner: 'syslog', socket: '0.0.0.0:514' });
    const sockets = (i: number) =>
      sim.stateAt(i).netns['node-1/default/pod-a'].sockets?.filter((s) => s.protocol === 'udp') ??
      [];
    expect(sockets(got.index)).toEqual([
      expect.objectContaining({ state: 'ESTAB', peerAddr: '10.244.0.3', peerPort: 514 }),
    ]);
    const exit = first.find((s) => s.facts.type === 'udp.exit')!;
    expect(exit.timeUs - first[0].timeUs).toBeGreaterThanOrEqual(1_000_000);
    expect(sockets(exit.index)).toEqual([]);
  });

  it('to a closed port: ICMP port unreachable, taken by the sender’s socket as ECONNREFUSED', () => {
    const icmp = second.find((s) => s.captured && s.summary.startsWith('Destination unreachable'))!;
    const f = parseFrame(icmp.frame!);
    expect(f.ip!.repr.srcAddr).toBe('10.244.0.3');
    const refused = second.find((s) => s.facts.type === 'udp.refused')!;
    expect(refused.facts).toMatchObject({ from: '10.244.0.3' });
  });
});
