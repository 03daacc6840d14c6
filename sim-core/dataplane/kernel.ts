/**
 * The kernel, assembled: every stage entry point in one table (dp.ops), the
 * device drivers by kind, the IP protocol table and the per-namespace
 * netfilter hook registry. This is the only file that knows all stages; the
 * stages reach each other through what it hands them.
 */
import type { IfaceKind } from '../model.ts';
import { EventQueue } from '../engine/queue.ts';
import type { Rng } from '../engine/rng.ts';
import { bridgeDriver, bridgeHandleFrameFinish, bridgeInput, egress } from './bridge.ts';
import { devQueueXmit, netifReceive } from './dev.ts';
import { createDrivers } from './drivers.ts';
import { ipRcv, ipRcvFinish } from './ip-input.ts';
import { ipLocalOut } from './ip-output.ts';
import { neighOutput } from './neigh-output.ts';
import { ipSelectIdent } from './ip-ident.ts';
import { createTransport, type Transport, type TransportHooks } from './transport.ts';
import type {
  SockAddrProgram,
  TcHooks,
  Dataplane,
  Driver,
  Event,
  KernelOps,
  NfFamily,
  NfHookOps,
  NfHookPoint,
} from './types.ts';
import { vxlanDriver } from './vxlan.ts';
import { IP_PROTO_IPIP, ipipDriver, ipipRcv } from './ipip.ts';
import type { World } from './world.ts';

const OPS: KernelOps = {
  netifReceive,
  devQueueXmit,
  bridgeInput,
  bridgeFinish: bridgeHandleFrameFinish,
  bridgeEgress: egress,
  ipRcv,
  ipRcvFinish,
  ipLocalOut,
  neighOutput,
  unreachable: () => undefined, // replaced below by the transport's
};

const DRIVERS: Record<IfaceKind, Driver> = createDrivers(bridgeDriver, vxlanDriver, ipipDriver);

/** The per-netns netfilter hook registry (nf_register_net_hook). */
export class HookRegistry {
  private readonly byNetns = new Map<string, Map<string, NfHookOps[]>>();

  register(netns: string, ops: NfHookOps): void {
    let points = this.byNetns.get(netns);
    if (!points) this.byNetns.set(netns, (points = new Map()));
    const key = `${ops.family}/${ops.hook}`;
    const list = [...(points.get(key) ?? []), ops].sort((a, b) => a.priority - b.priority);
    points.set(key, list);
  }

  unregisterAll(netns: string): void {
    this.byNetns.delete(netns);
  }

  get(netns: string, family: NfFamily, hook: NfHookPoint): readonly NfHookOps[] {
    return this.byNetns.get(netns)?.get(`${family}/${hook}`) ?? NONE;
  }
}
const NONE: readonly NfHookOps[] = [];

export interface KernelOptions {
  readonly world: World;
  readonly rng: Rng;
  readonly vxlanSeed: number;
  readonly ipIdRng: Rng;
  readonly hooks: TransportHooks;
  label(netns: string): string;
  /** The CNI plugin's tc programs (Cilium's eBPF). */
  tc?(netns: string, dev: string): TcHooks | undefined;
  /** A cgroup connect4 program on the root cgroup (Cilium's kube-proxy replacement). */
  connect4?: SockAddrProgram;
}

export interface Kernel {
  readonly dp: Dataplane;
  readonly transport: Transport;
  readonly registry: HookRegistry;
}

const isForeground = (e: Event) => e.type === 'rx' || !e.background;

export function createKernel(opts: KernelOptions): Kernel {
  const { world } = opts;
  const queue = new EventQueue<Event>(isForeground);
  const registry = new HookRegistry();
  const transport = createTransport(() => dp, opts.hooks);
  const dp: Dataplane = {
    world,
    queue,
    rng: opts.rng,
    ops: {
      ...OPS,
      unreachable: (d, ns, packet, reason) => transport.unreachable(d, ns, packet, reason),
    },
    drivers: DRIVERS,
    protocols: new Map([...transport.protocols, [IP_PROTO_IPIP, ipipRcv]]),
    hooks: (netns, family, hook) => registry.get(netns, family, hook),
    tc: (netns, dev) => opts.tc?.(netns, dev),
    ...(opts.connect4 ? { connect4: opts.connect4 } : {}),
    vxlanSeed: opts.vxlanSeed,
    ipIdent: (netns, src, dst, protocol) =>
      ipSelectIdent(dp, opts.ipIdRng, netns, src, dst, protocol),
    label: opts.label,
    at(delayUs, fn) {
      queue.push(world.timeUs + delayUs, { type: 'run', fn });
    },
    timer(delayUs, fn) {
      queue.push(world.timeUs + delayUs, { type: 'run', fn, background: true });
    },
  };
  return { dp, transport, registry };
}

/**
 * Runs events in time order. With `untilQuiet`, stops when only background
 * timers are left (the traffic of an action is over); with `untilUs`, stops
 * before the first event after that time.
 */
export function runEvents(
  dp: Dataplane,
  opts: { untilUs?: number; untilQuiet?: boolean } = {},
): void {
  const untilUs = opts.untilUs ?? Infinity;
  for (;;) {
    const next = dp.queue.peek();
    if (!next || next.timeUs > untilUs) return;
    if (opts.untilQuiet && dp.queue.markedSize === 0) return;
    dp.queue.pop();
    dp.world.timeUs = Math.max(dp.world.timeUs, next.timeUs);
    const e = next.event;
    if (e.type === 'rx') dp.ops.netifReceive(dp, e.netns, e.iface, e.frame);
    else e.fn();
  }
}
