/**
 * kube-proxy's IPVS resync against what the kernel already holds, with the
 * graceful termination manager (pkg/proxy/ipvs/graceful_termination.go and
 * syncEndpoint in proxier.go):
 *
 * - a destination the sync still wants keeps its kernel object (counters,
 *   stats); one that was draining is taken out of the list and gets weight 1
 *   again (MoveRSOutofGracefulDeleteList, then AddRealServer);
 * - a destination it no longer wants (its endpoint left the slice, or is
 *   terminating while the Service has ready ones) goes to GracefulDeleteRS:
 *   deleted at once when it has no connections or the service is UDP
 *   (IsRsGracefulTerminationNeeded is false for UDP), else set to weight 0
 *   and kept, so schedulers skip it while its connections go on;
 * - a draining destination stays until the manager's check, every minute
 *   (rsCheckDeleteInterval), finds ActiveConn + InactiveConn = 0.
 */
import { hamtGet, hamtSet } from '../../../engine/hamt.ts';
import type { IpvsState } from '../../../dataplane/ipvs/state.ts';
import { ipvsExpire } from '../../../dataplane/ipvs/table.ts';
import { initScheduler } from './schedulers.ts';
import type { SchedulerName } from './schedulers.ts';
import type { RealServer } from './virtual-server.ts';

/** rsCheckDeleteInterval. */
export const RS_CHECK_DELETE_INTERVAL_US = 60_000_000;

/** A destination the manager acted on. */
export interface RsChange {
  /** The virtual service ("10.96.0.10:80/TCP"). */
  readonly service: string;
  /** "ip:port". */
  readonly dest: string;
  readonly active: number;
  readonly inactive: number;
}

/** The manager's list: "service/ip:port" of every destination at weight 0. */
export type DrainList = ReadonlySet<string>;

const destKey = (d: RealServer) => `${d.address}:${d.port}`;
const gracefulNeeded = (service: string) => !service.endsWith('/UDP');

export interface ResyncResult {
  readonly state: IpvsState;
  readonly draining: DrainList;
  /** Destinations set to weight 0 by this sync. */
  readonly quiesced: readonly RsChange[];
}

/**
 * `next`: the virtual servers as the sync computed them, fresh; `before`:
 * the kernel's table. Returns the kernel's table after the sync.
 */
export function resyncGracefully(
  before: IpvsState,
  next: IpvsState,
  draining: DrainList,
  nowUs: number,
  scheduler: (name: string) => SchedulerName,
): ResyncResult {
  const kernel = ipvsExpire(before, nowUs);
  const list = new Set(draining);
  const quiesced: RsChange[] = [];
  let services = next.services;
  for (const key of next.order) {
    const want = hamtGet(next.services, key)!;
    const had = hamtGet(kernel.services, key);
    if (!had) continue;
    const wanted = new Set(want.realServers.map(destKey));
    const old = new Map(had.realServers.map((d) => [destKey(d), d]));
    const kept = want.realServers.map((d) => {
      const was = old.get(destKey(d));
      if (!was) return d;
      list.delete(`${key}/${destKey(d)}`);
      return was.weight === d.weight ? was : { ...was, weight: d.weight };
    });
    const drained: RealServer[] = [];
    for (const d of had.realServers) {
      if (wanted.has(destKey(d))) continue;
      const id = `${key}/${destKey(d)}`;
      if (list.has(id)) {
        drained.push(d);
        continue;
      }
      if (!gracefulNeeded(key) || d.activeConns + d.inactConns === 0) continue;
      list.add(id);
      drained.push({ ...d, weight: 0 });
      quiesced.push({
        service: key,
        dest: destKey(d),
        active: d.activeConns,
        inactive: d.inactConns,
      });
    }
    const realServers = [...kept, ...drained];
    services = hamtSet(services, key, {
      ...want,
      stats: had.stats,
      realServers,
      sched: initScheduler(scheduler(want.scheduler), realServers),
    });
  }
  return {
    state: {
      ...next,
      services,
      conns: kernel.conns,
      out: kernel.out,
      nextConnId: kernel.nextConnId,
    },
    draining: list,
    quiesced,
  };
}

/** tryDeleteRs: every draining destination without connections is deleted. */
export function tryDeleteRs(
  before: IpvsState,
  draining: DrainList,
  nowUs: number,
  scheduler: (name: string) => SchedulerName,
): { state: IpvsState; draining: DrainList; deleted: RsChange[] } {
  let state = ipvsExpire(before, nowUs);
  const list = new Set(draining);
  const deleted: RsChange[] = [];
  for (const id of draining) {
    const cut = id.lastIndexOf('/');
    const [key, dest] = [id.slice(0, cut), id.slice(cut + 1)];
    const svc = hamtGet(state.services, key);
    const d = svc?.realServers.find((r) => destKey(r) === dest);
    if (!svc || !d) {
      list.delete(id);
      continue;
    }
    if (gracefulNeeded(key) && d.activeConns + d.inactConns !== 0) continue;
    list.delete(id);
    deleted.push({ service: key, dest, active: 0, inactive: 0 });
    const realServers = svc.realServers.filter((r) => r !== d);
    state = {
      ...state,
      services: hamtSet(state.services, key, {
        ...svc,
        realServers,
        sched: initScheduler(scheduler(svc.scheduler), realServers),
      }),
    };
  }
  return { state, draining: list, deleted };
}
