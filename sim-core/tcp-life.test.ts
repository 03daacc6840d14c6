/**
 * A TCP connection's whole life against the same-node reference
 * (`printf x | nc -N 10.244.0.3 8080` to `nc -l 8080`, frames 5–12):
 * [TCP4] data, its ACK and the FIN exchange byte for byte outside the
 * random fields, which follow the reference's patterns; [TCP5] the windows
 * at flannel's MTU 1450; [TCP6] the sockets in the per-step store;
 * [TCP11] TIME-WAIT's 60 s; [TCP12] a crashed container's connections.
 */
import { describe, expect, it } from 'vitest';
import type { Simulation } from './api.ts';
import type { Socket } from './model.ts';
import { formatSs } from './format/ss.ts';
import { fixtureFields, fixtureFrames } from './test/fixtures/index.ts';
import { captured, findStep, publicScenario, scenarioYaml, simulate } from './test/driver.ts';
import { parseFrame } from './dataplane/frames.ts';
import { parseTcp, type TcpRepr } from './wire/tcp.ts';

const A = 'node-1/default/pod-a';
const B = 'node-1/default/pod-b';
const S = 1_000_000;

const tcpFrames = (sim: Simulation) => captured(sim).filter((f) => f.ip?.repr.protocol === 6);
const tcp = (frame: Uint8Array) => parseTcp(parseFrame(frame).ip!.payload).repr;
const ts = (seg: TcpRepr) => {
  const o = seg.options.find((x) => x.kind === 'timestamps');
  return o?.kind === 'timestamps' ? o : { tsval: NaN, tsecr: NaN };
};
const tcpSockets = (sim: Simulation, step: number, netns: string): Socket[] =>
  (sim.stateAt(step).netns[netns]?.sockets ?? []).filter((s) => s.protocol === 'tcp');

/** Offsets in a 66/67-byte data-phase frame that are random per run, or partial in the capture. */
const RANDOM = [
  [18, 20], // IP ID
  [24, 26], // IP header checksum
  [34, 38], // ports
  [38, 46], // seq, ack
  [50, 52], // TCP checksum
  [58, 66], // TSval, TSecr
];

/** The same-node reference's shape, at MTU 1500 (host-gw keeps the pods' MTU at 1500). */
const atMtu1500 = () =>
  simulate(
    scenarioYaml({
      mode: 'host-gw',
      pods: [{ name: 'pod-a' }, { name: 'pod-b', ports: [8080] }],
      actions: ['connect: {from: pod-a, to: pod-b, port: 8080, data: "x", close: true}'],
    }),
  );

/** Sequence numbers relative to each side's ISN, IP IDs relative to each socket's first. */
function patterns(frames: Uint8Array[]) {
  const segs = frames.map(tcp);
  const [issA, issB] = [segs[0].seq, segs[1].seq];
  const fromA = (f: Uint8Array) => parseFrame(f).ip!.repr.srcAddr === '10.244.0.2';
  const ids = frames.map((f) => parseFrame(f).ip!.repr.identification);
  const firstB = frames.findIndex((f, i) => i > 1 && !fromA(f));
  return segs.map((s, i) => {
    const a = fromA(frames[i]);
    return {
      seq: (s.seq - (a ? issA : issB)) >>> 0,
      ack: s.flags.ack ? (s.ack - (a ? issB : issA)) >>> 0 : 0,
      id: i === 1 ? ids[i] : (ids[i] - ids[a ? 0 : firstB]) & 0xffff,
      len: s.payload.length,
    };
  });
}

describe('the connection after the handshake (reference same-node frames 8–12)', () => {
  it('[TCP4] PSH,ACK with x, the ACK, FIN,ACK, FIN,ACK, ACK: byte for byte outside the random fields', () => {
    const ours = tcpFrames(atMtu1500()).map((f) => f.step.frame!);
    const ref = fixtureFrames('same-node').slice(4, 12);
    expect(ours.map((f) => f.length)).toEqual(ref.map((f) => f.length));
    for (let i = 3; i < 8; i++) {
      const diff = [...ref[i].keys()].filter(
        (k) => ours[i][k] !== ref[i][k] && !RANDOM.some(([s, e]) => k >= s && k < e),
      );
      expect(diff, `reference frame ${i + 5}`).toEqual([]);
    }
    expect(tcp(ours[3]).payload).toEqual(new TextEncoder().encode('x'));
  });

  it('[TCP4] the random fields follow the reference: seq/ack from the ISNs, IP IDs +1 per socket, SYN-ACK ID 0', () => {
    const ours = tcpFrames(atMtu1500()).map((f) => f.step.frame!);
    const ref = fixtureFrames('same-node').slice(4, 12);
    expect(patterns(ours)).toEqual(patterns(ref));
    // B's segments after the handshake start a fresh random base (reference 0xd30c), not 0.
    expect(parseFrame(ours[4]).ip!.repr.identification).not.toBe(0);
  });

  it('[TCP4] TSecr echoes the last TSval from the peer; TSval ticks at 1 kHz from a per-connection offset', () => {
    const frames = tcpFrames(atMtu1500());
    const segs = frames.map((f) => tcp(f.step.frame!));
    const src = frames.map((f) => f.ip!.repr.srcAddr);
    segs.forEach((s, i) => {
      if (i === 0) return expect(ts(s).tsecr).toBe(0);
      const last = src.slice(0, i).lastIndexOf(src.find((x) => x !== src[i])!);
      expect(ts(s).tsecr).toBe(ts(segs[last]).tsval);
      const first = src.indexOf(src[i]);
      const ms = (t: number) => Math.floor(t / 1000);
      expect(ts(s).tsval - ts(segs[first]).tsval).toBe(
        ms(frames[i].step.timeUs) - ms(frames[first].step.timeUs),
      );
    });
    // Each side's clock has its own random offset (reference: 2435963932 vs 3373206169).
    expect(ts(segs[0]).tsval).not.toBe(ts(segs[1]).tsval);
    expect(segs[0].srcPort % 2).toBe(0);
  });

  it('[TCP5] at flannel vxlan MTU 1450 the windows are 64 (client) and 63 (server), as in reference cross-vxlan-extra', () => {
    const ours = tcpFrames(simulate(publicScenario('same-node.yaml'))).map((f) =>
      tcp(f.step.frame!),
    );
    const ref = fixtureFields('cross-vxlan-extra')
      .filter((r) => r['tcp.srcport'])
      .map((r) => Number(r['tcp.window_size_value']));
    expect(ours.map((s) => s.window)).toEqual(ref);
    expect(ref.slice(2)).toEqual([64, 64, 63, 64, 63, 64]);
  });
});

describe('sockets in the per-step store', () => {
  const sim = simulate(publicScenario('same-node.yaml'));
  const at = (pred: (s: Simulation['steps'][number]) => boolean, from = 0) =>
    findStep(sim.steps, pred, from);
  const connect = at((s) => s.kind === 'action' && s.summary.startsWith('connect'));
  const sent = (flags: string, from = connect) =>
    at((s) => s.captured === true && s.summary.includes(`[${flags}]`), from);

  it('[TCP6] pod-b listens from the start: 0.0.0.0:8080, owned by its web container, backlog 4096', () => {
    expect(tcpSockets(sim, connect - 1, B)).toEqual([
      {
        protocol: 'tcp',
        state: 'LISTEN',
        localAddr: '0.0.0.0',
        localPort: 8080,
        owner: 'web',
        recvQ: 0,
        sendQ: 4096,
      },
    ]);
    expect(tcpSockets(sim, connect - 1, A)).toEqual([]);
  });

  it('[TCP6] stepping back shows each socket as it was: SYN-SENT, ESTAB, CLOSE-WAIT, LAST-ACK, TIME-WAIT', () => {
    const syn = sent('SYN');
    const synAck = sent('SYN, ACK');
    const data = sent('PSH, ACK');
    const dataAck = sent('ACK', data + 1);
    const finA = sent('FIN, ACK');
    const closeWait = at((s) => s.summary.endsWith('CLOSE-WAIT'), finA);
    const finB = sent('FIN, ACK', finA + 1);
    const lastAck = sent('ACK', finB + 1);
    const conn = (i: number, ns: string) =>
      tcpSockets(sim, i, ns)
        .filter((s) => s.state !== 'LISTEN')
        .map((s) => [s.state, s.recvQ, s.sendQ]);
    expect(conn(syn, A)).toEqual([['SYN-SENT', 0, 1]]);
    expect(conn(synAck, B)).toEqual([['SYN-RECV', 0, 0]]);
    expect(conn(data, A)).toEqual([['ESTAB', 0, 1]]);
    expect(conn(dataAck, B)).toEqual([['ESTAB', 1, 0]]);
    expect(conn(finA, A)).toEqual([['FIN-WAIT-1', 0, 1]]);
    // The byte and the FIN, both unread: nc -l has not run yet.
    expect(conn(closeWait, B)).toEqual([['CLOSE-WAIT', 2, 0]]);
    expect(conn(finB, B)).toEqual([['LAST-ACK', 0, 1]]);
    expect(conn(lastAck, A)).toEqual([['TIME-WAIT', 0, 0]]);
    const end = sim.steps.length - 1;
    expect(conn(end, A)).toEqual([['TIME-WAIT', 0, 0]]);
    expect(conn(end, B)).toEqual([]);
    // Still there after the connection: pod-b's listener.
    expect(tcpSockets(sim, end, B).map((s) => s.state)).toEqual(['LISTEN']);
  });

  it('[TCP6] ss -tan in pod-a at the end lists the TIME-WAIT socket as ss prints it', () => {
    const end = sim.stateAt(sim.steps.length - 1).netns[A];
    const port = end.sockets!.find((s) => s.protocol === 'tcp')!.localPort;
    expect(formatSs(end)).toBe(
      [
        'State     Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess',
        `TIME-WAIT 0      0         10.244.0.2:${port}   10.244.0.3:8080       `,
      ].join('\n'),
    );
  });

  it('[TCP11] TIME-WAIT lasts 60 s (TCP_TIMEWAIT_LEN), then the socket is gone', () => {
    const long = simulate(
      scenarioYaml({
        mode: 'host-gw',
        pods: [{ name: 'a' }, { name: 'b', ports: [8080] }],
        actions: [
          'connect: {from: a, to: b, port: 8080, data: "x", close: true}',
          'ping: {from: b, to: a, count: 65}',
        ],
      }),
    );
    const frames = tcpFrames(long);
    const lastAck = frames.at(-1)!.step;
    const over = long.steps.find((s) => s.summary.endsWith('TIME-WAIT over'))!;
    expect(over.timeUs - lastAck.timeUs).toBe(60 * S);
    expect(tcpSockets(long, over.index - 1, 'node-1/default/a')[0].state).toBe('TIME-WAIT');
    expect(tcpSockets(long, over.index, 'node-1/default/a')).toEqual([]);
  });
});

describe('a container that crashes', () => {
  it("[TCP12] its process's connections get a FIN from the kernel; its listener goes and comes back with it", () => {
    const sim = simulate(
      scenarioYaml({
        pods: [{ name: 'client' }, { name: 'web', ports: [80] }],
        actions: [
          'connect: {from: client, to: web, port: 80}',
          'crash: {pod: web, container: app}',
        ],
      }),
    );
    const crash = findStep(sim.steps, (s) => s.kind === 'action' && s.summary.startsWith('crash'));
    const fin = findStep(
      sim.steps,
      (s) => s.captured === true && s.summary.includes('[FIN, ACK]'),
      crash,
    );
    expect(tcp(sim.steps[fin].frame!).srcPort).toBe(80);
    const web = 'node-1/default/web';
    const crashed = findStep(sim.steps, (s) => s.summary.endsWith('app crashed'), crash);
    const restarted = findStep(sim.steps, (s) => s.summary.includes('app restarted'), crash);
    expect(tcpSockets(sim, crashed, web).filter((s) => s.state === 'LISTEN')).toEqual([]);
    expect(tcpSockets(sim, restarted, web).filter((s) => s.state === 'LISTEN')).toHaveLength(1);
    // The client's nc reads the end of the stream and closes too; the dead process's side waits in TIME-WAIT.
    const end = sim.steps.length - 1;
    expect(tcpSockets(sim, end, 'node-1/default/client')).toEqual([]);
    expect(tcpSockets(sim, end, web).map((s) => [s.state, s.owner])).toEqual([
      ['TIME-WAIT', ''],
      ['LISTEN', 'app'],
    ]);
  });
});
