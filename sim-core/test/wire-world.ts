/**
 * For tests only: the reference 4b client (kwr-podc, 10.244.0.4, MAC
 * 0a:58:0a:f4:00:04, MTU 1500) alone on a wire, so a test can play the
 * other side with the reference capture's own frames. Whatever the pod
 * sends is recorded and then dropped at the far end (its MAC is nobody's).
 */
import type { Netns, Socket } from '../model.ts';
import { createRng } from '../engine/rng.ts';
import { LOOPBACK } from '../k8s/node.ts';
import { decodeFrame, summarizeFrame } from '../wire/describe.ts';
import { createKernel, runEvents } from '../dataplane/kernel.ts';
import type { Transport } from '../dataplane/transport.ts';
import type { Dataplane } from '../dataplane/types.ts';
import { World } from '../dataplane/world.ts';

export const CLIENT = 'node-1/default/kwr-podc';
const WIRE = 'wire';

export interface WireWorld {
  readonly dp: Dataplane;
  readonly transport: Transport;
  /** The frames the client put on its eth0, with their times (µs). */
  sent(): { timeUs: number; frame: Uint8Array; summary: string }[];
  /** A frame arrives on the client's eth0 at `timeUs`. */
  inject(frame: Uint8Array, timeUs: number): void;
  run(untilUs?: number): void;
  sockets(): readonly Socket[];
  /** The summaries of the 'tcp' steps (connect's results, state changes), in order. */
  notes(): string[];
}

export function wireWorld(sysctls?: Record<string, string>): WireWorld {
  const client: Netns = {
    id: CLIENT,
    node: 'node-1',
    kind: 'pod',
    pod: 'default/kwr-podc',
    ifaces: [
      LOOPBACK,
      {
        name: 'eth0',
        kind: 'veth',
        mac: '0a:58:0a:f4:00:04',
        ip: '10.244.0.4',
        prefixLength: 24,
        mtu: 1500,
        ifindex: 2,
        peer: { netns: WIRE, iface: 'far' },
      },
    ],
    routes: [
      { dst: 'default', via: '10.244.0.1', dev: 'eth0' },
      { dst: '10.244.0.0/24', dev: 'eth0', proto: 'kernel', scope: 'link', src: '10.244.0.4' },
    ],
    // As the reference client had them by frame 7: the gateway and the endpoint (learned from its ARP).
    neighbors: [
      { ip: '10.244.0.1', dev: 'eth0', mac: '0a:58:0a:f4:00:01', state: 'PERMANENT', updatedUs: 0 },
      { ip: '10.244.0.2', dev: 'eth0', mac: '0a:58:0a:f4:00:02', state: 'PERMANENT', updatedUs: 0 },
    ],
    fdb: [],
    ...(sysctls ? { sysctls } : {}),
  };
  const wire: Netns = {
    id: WIRE,
    node: 'wire',
    kind: 'network',
    ifaces: [
      {
        name: 'far',
        kind: 'veth',
        mac: '02:00:00:00:00:99',
        mtu: 1500,
        ifindex: 1,
        peer: { netns: CLIENT, iface: 'eth0' },
      },
    ],
    routes: [],
    neighbors: [],
    fdb: [],
  };
  const world = new World(
    [{ name: 'node-1', ip: '192.168.1.10', podCIDR: '10.244.0.0/24', ipam: [] }],
    [client, wire],
    { layers: decodeFrame, summary: summarizeFrame },
  );
  world.action = 0;
  const { dp, transport } = createKernel({
    world,
    rng: createRng(1).fork('net'),
    vxlanSeed: 1,
    ipIdRng: createRng(1).fork('ip-id'),
    hooks: { mtu: () => 1500 },
    label: (id) => (id === CLIENT ? 'pod kwr-podc' : id),
  });
  return {
    dp,
    transport,
    sent: () =>
      world.steps
        .filter((s) => s.kind === 'transmit' && s.from?.netns === CLIENT && s.frame)
        .map((s) => ({ timeUs: s.timeUs, frame: s.frame!, summary: s.summary })),
    inject(frame, timeUs) {
      dp.queue.push(timeUs, { type: 'rx', netns: CLIENT, iface: 'eth0', frame });
    },
    run(untilUs) {
      runEvents(dp, untilUs === undefined ? { untilQuiet: true } : { untilUs });
    },
    sockets: () => world.netns(CLIENT).sockets ?? [],
    notes: () => world.steps.filter((s) => s.kind === 'tcp').map((s) => s.summary),
  };
}
