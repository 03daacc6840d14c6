/**
 * ip_vs_schedule and ip_vs_sched_persist (ip_vs_core.c): a new connection
 * to a virtual service gets a destination from the service's scheduler —
 * or, for a persistent service (kube-proxy's sessionAffinity ClientIP,
 * `ipvsadm -p TIMEOUT`), from the client's persistence template, a
 * connection entry with client port 0 that remembers the destination
 * (state NONE, expiring TIMEOUT seconds after the last connection it made).
 * A template whose destination is gone or has weight 0 is dropped and the
 * scheduler asked again (ip_vs_check_template).
 */
import { hamtGet } from '../../engine/hamt.ts';
import {
  initScheduler,
  schedule,
  type SchedulerName,
} from '../../k8s/kube-proxy/ipvs/schedulers.ts';
import { virtualServerKey } from '../../k8s/kube-proxy/ipvs/virtual-server.ts';
import { templateKey } from './conn-key.ts';
import type { IpvsConn, IpvsEndpoint, IpvsService, IpvsState } from './state.ts';
import { insertConn, putService, removeConn, updateConn } from './table.ts';

const SCHEDULERS: readonly string[] = ['rr', 'wrr', 'lc', 'wlc', 'sh'];

/** How the destination was chosen, for the step's facts. */
export type ScheduleWhy =
  | {
      readonly how: 'scheduler';
      readonly scheduler: string;
      /** The destination's place in the service's list (the kernel's order) and the list's length. */
      readonly position: number;
      readonly of: number;
      /** For rr: the destination picked before this one, if any. */
      readonly after?: string;
    }
  | { readonly how: 'template'; readonly timeout: number }
  | { readonly how: 'none'; readonly scheduler: string; readonly of: number };

export interface Scheduled {
  readonly state: IpvsState;
  readonly conn?: IpvsConn;
  readonly template?: IpvsConn;
  readonly why: ScheduleWhy;
}

export function schedulerOf(name: string): SchedulerName {
  return (SCHEDULERS.includes(name) ? name : 'rr') as SchedulerName;
}

const endpoint = (ip: string, port: number): IpvsEndpoint => ({ ip, port });

/** The scheduler's pick, with the service's new scheduler state stored. */
function pick(
  st: IpvsState,
  svc: IpvsService,
  clientIp: string,
): { state: IpvsState; index?: number; why: ScheduleWhy } {
  const key = virtualServerKey(svc);
  const dests = svc.realServers;
  const sched =
    svc.sched.kind === schedulerOf(svc.scheduler)
      ? svc.sched
      : initScheduler(schedulerOf(svc.scheduler), dests);
  const before = sched.kind === 'rr' && sched.last >= 0 ? dests[sched.last] : undefined;
  const r = schedule(sched, dests, { sourceIP: clientIp });
  const state = r.state === svc.sched ? st : putService(st, key, { ...svc, sched: r.state });
  if (r.dest === undefined)
    return { state, why: { how: 'none', scheduler: svc.scheduler, of: dests.length } };
  return {
    state,
    index: r.dest,
    why: {
      how: 'scheduler',
      scheduler: svc.scheduler,
      position: r.dest + 1,
      of: dests.length,
      ...(before ? { after: `${before.address}:${before.port}` } : {}),
    },
  };
}

/** A new connection for this packet, or none when no destination is available. */
export function ipvsScheduleConn(
  st: IpvsState,
  svc: IpvsService,
  client: IpvsEndpoint,
  virt: IpvsEndpoint,
  nowUs: number,
): Scheduled {
  const service = virtualServerKey(svc);
  const protocol = svc.protocol;
  let state = st;
  let dest: IpvsEndpoint | undefined;
  let why: ScheduleWhy | undefined;
  let template: IpvsConn | undefined;
  const timeout = svc.persistentTimeout;
  if (timeout !== undefined) {
    const tk = templateKey(protocol, client.ip, virt);
    let tpl = hamtGet(state.conns, tk);
    if (tpl && tpl.expiresUs <= nowUs) {
      state = removeConn(state, tpl);
      tpl = undefined;
    }
    const cur = tpl && hamtGet(state.services, service);
    const rs = cur?.realServers.find(
      (d) => d.address === tpl!.dest.ip && d.port === tpl!.dest.port,
    );
    if (tpl && (!rs || rs.weight <= 0)) {
      state = removeConn(state, tpl);
      tpl = undefined;
    }
    if (tpl) {
      // ip_vs_conn_put(ct): the template's timer starts again.
      template = { ...tpl, expiresUs: nowUs + timeout * 1e6 };
      state = updateConn(state, tpl, template);
      dest = tpl.dest;
      why = { how: 'template', timeout };
    }
  }
  if (!dest) {
    const p = pick(state, hamtGet(state.services, service) ?? svc, client.ip);
    state = p.state;
    why = p.why;
    if (p.index === undefined) return { state, why };
    const rs = svc.realServers[p.index];
    dest = endpoint(rs.address, rs.port);
    if (timeout !== undefined) {
      template = {
        id: state.nextConnId,
        protocol,
        client: endpoint(client.ip, 0),
        virtual: virt,
        dest,
        state: 'NONE',
        expiresUs: nowUs + timeout * 1e6,
        template: true,
        inactive: true,
        service,
      };
      state = insertConn(state, template);
    }
  }
  const conn: IpvsConn = {
    id: state.nextConnId,
    protocol,
    client,
    virtual: virt,
    dest,
    state: protocol === 'UDP' ? 'UDP' : 'NONE',
    expiresUs: nowUs,
    inactive: true,
    service,
    ...(template ? { control: templateKey(protocol, client.ip, virt) } : {}),
  };
  state = insertConn(state, conn);
  return { state, conn, ...(template ? { template } : {}), why: why! };
}
