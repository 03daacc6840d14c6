/**
 * IPVS schedulers as pure state machines (net/netfilter/ipvs/ip_vs_{rr,wrr,
 * lc,wlc,sh}.c). Each takes the service's destinations in the kernel's list
 * order with their current weights and connection counts, and returns the
 * destination picked for a new connection (an index into that list, or
 * undefined for "no destination available") together with the new state.
 * States are plain frozen data, so the simulator can keep every step's.
 *
 * Positions are indices into the destination list; -1 is the list head
 * (&svc->destinations), where a scheduler starts.
 */

/** What a scheduler reads of a destination (struct ip_vs_dest). */
export interface SchedDest {
  readonly weight: number;
  readonly activeConns: number;
  readonly inactConns: number;
  /** IP_VS_DEST_F_OVERLOAD (upper threshold reached); kube-proxy sets no thresholds. */
  readonly overloaded?: boolean;
}

export type SchedulerName = 'rr' | 'wrr' | 'lc' | 'wlc' | 'sh';

export type SchedulerState =
  /** ip_vs_rr: sched_data, the last destination picked. */
  | { readonly kind: 'rr'; readonly last: number }
  /** ip_vs_wrr_mark: current dest, current weight, max weight, gcd of weights. */
  | {
      readonly kind: 'wrr';
      readonly cl: number;
      readonly cw: number;
      readonly mw: number;
      readonly di: number;
    }
  | { readonly kind: 'lc' }
  | { readonly kind: 'wlc' }
  /** ip_vs_sh_state: 256 buckets, each a destination index or -1. */
  | { readonly kind: 'sh'; readonly buckets: readonly number[] };

export interface SchedulerResult {
  readonly dest: number | undefined;
  readonly state: SchedulerState;
}

/** What the scheduler sees of the packet: the source address (and port, unused here). */
export interface SchedPacket {
  readonly sourceIP: string;
}

export const SH_TAB_BITS = 8;
export const SH_TAB_SIZE = 1 << SH_TAB_BITS;

function gcd(a: number, b: number): number {
  while (b > 0) [a, b] = [b, a % b];
  return a;
}

/** ip_vs_wrr_gcd_weight: the gcd of the positive weights, 1 when there are none. */
function wrrGcd(dests: readonly SchedDest[]): number {
  let g = 0;
  for (const d of dests) if (d.weight > 0) g = g > 0 ? gcd(d.weight, g) : d.weight;
  return g || 1;
}

/** ip_vs_dest_conn_overhead: active connections weigh 256 times an inactive one. */
export function connOverhead(d: SchedDest): number {
  return d.activeConns * 256 + d.inactConns;
}

/** ip_vs_sh_hashkey with port 0: hash_32(ntohl(saddr), 8), hash_32 multiplying by GOLDEN_RATIO_32. */
export function shHashKey(sourceIP: string): number {
  const [a, b, c, d] = sourceIP.split('.').map(Number);
  const addr = ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
  return (Math.imul(addr, 0x61c88647) >>> (32 - SH_TAB_BITS)) & (SH_TAB_SIZE - 1);
}

/**
 * ip_vs_sh_reassign: walk the 256 buckets, giving each destination as many
 * consecutive buckets as its weight, round and round the list.
 */
function shBuckets(dests: readonly SchedDest[]): number[] {
  const buckets: number[] = [];
  if (dests.length === 0) return new Array<number>(SH_TAB_SIZE).fill(-1);
  let p = 0;
  let count = 0;
  for (let i = 0; i < SH_TAB_SIZE; i++) {
    buckets.push(p);
    if (++count >= dests[p].weight) {
      p = (p + 1) % dests.length;
      count = 0;
    }
  }
  return buckets;
}

/**
 * The scheduler's state for a service with these destinations (init_service);
 * also what the kernel recomputes when a destination is added, removed or
 * updated (add_dest/del_dest/upd_dest) for wrr and sh.
 */
export function initScheduler(name: SchedulerName, dests: readonly SchedDest[]): SchedulerState {
  switch (name) {
    case 'rr':
      return Object.freeze({ kind: 'rr', last: -1 });
    case 'wrr': {
      const di = wrrGcd(dests);
      const max = dests.reduce((m, d) => Math.max(m, d.weight), 0);
      const mw = max - (di - 1);
      return Object.freeze({ kind: 'wrr', cl: -1, cw: mw, mw, di });
    }
    case 'lc':
      return Object.freeze({ kind: 'lc' });
    case 'wlc':
      return Object.freeze({ kind: 'wlc' });
    case 'sh':
      return Object.freeze({ kind: 'sh', buckets: Object.freeze(shBuckets(dests)) });
  }
}

const usable = (d: SchedDest) => !d.overloaded && d.weight > 0;

/** ip_vs_rr_schedule: the next usable destination after the last one, wrapping once. */
function rr(last: number, dests: readonly SchedDest[]): number | undefined {
  const n = dests.length;
  const order: number[] = [];
  for (let i = last + 1; i < n; i++) order.push(i);
  if (last >= 0) for (let i = 0; i <= last; i++) order.push(i);
  return order.find((i) => usable(dests[i]));
}

/** ip_vs_wrr_schedule, step for step (cw falls by di each time the walk passes the head). */
function wrr(
  s: Extract<SchedulerState, { kind: 'wrr' }>,
  dests: readonly SchedDest[],
): SchedulerResult {
  let { cw } = s;
  const { mw, di } = s;
  if (mw === 0) return { dest: undefined, state: s };
  const last = s.cl;
  let dest = s.cl;
  let stop: number | undefined;
  let lastPass = false;
  let restarted = false;
  const done = (d: number | undefined, cl: number): SchedulerResult => ({
    dest: d,
    state: Object.freeze({ kind: 'wrr', cl, cw, mw, di }),
  });
  for (;;) {
    for (dest = dest + 1; dest < dests.length; dest++) {
      const d = dests[dest];
      if (!d.overloaded && d.weight >= cw) return done(dest, dest);
      if (dest === stop) return done(undefined, dest);
    }
    dest = -1;
    cw -= di;
    if (cw <= 0) {
      cw = mw;
      if (lastPass || last === -1) return done(undefined, dest);
      restarted = true;
    }
    lastPass = cw <= di;
    if (lastPass && restarted && last !== -1) stop = last;
  }
}

/** ip_vs_lc_schedule: the least overhead among usable destinations; ties go to the first. */
function lc(dests: readonly SchedDest[]): number | undefined {
  let least: number | undefined;
  for (let i = 0; i < dests.length; i++) {
    const d = dests[i];
    if (d.overloaded || d.weight === 0) continue;
    if (least === undefined || connOverhead(d) < connOverhead(dests[least])) least = i;
  }
  return least;
}

/**
 * ip_vs_wlc_schedule: the least overhead/weight, compared as
 * overhead(least) * weight(d) > overhead(d) * weight(least) to stay in integers.
 */
function wlc(dests: readonly SchedDest[]): number | undefined {
  const first = dests.findIndex(usable);
  if (first < 0) return undefined;
  let least = first;
  for (let i = first + 1; i < dests.length; i++) {
    const d = dests[i];
    if (d.overloaded) continue;
    if (connOverhead(dests[least]) * d.weight > connOverhead(d) * dests[least].weight) least = i;
  }
  return least;
}

/** Pick a destination for a new connection. */
export function schedule(
  state: SchedulerState,
  dests: readonly SchedDest[],
  packet: SchedPacket,
): SchedulerResult {
  switch (state.kind) {
    case 'rr': {
      const dest = rr(state.last, dests);
      if (dest === undefined) return { dest, state };
      return { dest, state: Object.freeze({ kind: 'rr', last: dest }) };
    }
    case 'wrr':
      return wrr(state, dests);
    case 'lc':
      return { dest: lc(dests), state };
    case 'wlc':
      return { dest: wlc(dests), state };
    case 'sh': {
      const b = state.buckets[shHashKey(packet.sourceIP)];
      const d = b === undefined || b < 0 ? undefined : dests[b];
      return { dest: d && usable(d) ? b : undefined, state };
    }
  }
}
