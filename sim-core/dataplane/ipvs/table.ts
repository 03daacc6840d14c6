/**
 * The IPVS table as persistent data: services and their destinations'
 * counters (ip_vs_bind_dest / set_tcp_state / ip_vs_conn_expire keep
 * activeconns, inactconns and persistconns), per-service and per-destination
 * stats (ip_vs_in_stats / ip_vs_out_stats / ip_vs_conn_stats), and the
 * connection table. Connections expire lazily: an entry past its expiry is
 * dropped, and its destination's counter with it, when it is next looked up
 * or the table is listed — what the kernel's per-connection timer does.
 */
import { hamtDelete, hamtEmpty, hamtGet, hamtSet, hamtValues } from '../../engine/hamt.ts';
import type { IpvsStats, RealServer } from '../../k8s/kube-proxy/ipvs/virtual-server.ts';
import type { IpvsConnEntry } from '../../k8s/kube-proxy/ipvs/ipvsadm.ts';
import { inKey, outKey, templateKey } from './conn-key.ts';
import type { IpvsConn, IpvsService, IpvsState } from './state.ts';

export function emptyIpvs(conntrack: boolean): IpvsState {
  return {
    services: hamtEmpty(),
    order: [],
    conns: hamtEmpty(),
    out: hamtEmpty(),
    nextConnId: 1,
    conntrack,
  };
}

export function putService(st: IpvsState, key: string, svc: IpvsService): IpvsState {
  const known = hamtGet(st.services, key) !== undefined;
  return {
    ...st,
    services: hamtSet(st.services, key, svc),
    ...(known ? {} : { order: [...st.order, key] }),
  };
}

export function services(st: IpvsState): IpvsService[] {
  return st.order.map((k) => hamtGet(st.services, k)!).filter(Boolean);
}

/** A destination changed in place (its counters or stats). */
function withDest(
  st: IpvsState,
  service: string,
  dest: { ip: string; port: number },
  fn: (d: RealServer) => RealServer,
): IpvsState {
  const svc = hamtGet(st.services, service);
  if (!svc) return st;
  const realServers = svc.realServers.map((d) =>
    d.address === dest.ip && d.port === dest.port ? fn(d) : d,
  );
  return { ...st, services: hamtSet(st.services, service, { ...svc, realServers }) };
}

const addStats = (s: IpvsStats, d: Partial<IpvsStats>): IpvsStats => ({
  conns: s.conns + (d.conns ?? 0),
  inPkts: s.inPkts + (d.inPkts ?? 0),
  outPkts: s.outPkts + (d.outPkts ?? 0),
  inBytes: s.inBytes + (d.inBytes ?? 0),
  outBytes: s.outBytes + (d.outBytes ?? 0),
});

/** Count into the service's and the destination's stats. */
export function countStats(st: IpvsState, cp: IpvsConn, d: Partial<IpvsStats>): IpvsState {
  const svc = hamtGet(st.services, cp.service);
  if (!svc) return st;
  const next = {
    ...st,
    services: hamtSet(st.services, cp.service, { ...svc, stats: addStats(svc.stats, d) }),
  };
  return withDest(next, cp.service, cp.dest, (r) => ({ ...r, stats: addStats(r.stats, d) }));
}

export function connKey(cp: IpvsConn): string {
  return cp.template
    ? templateKey(cp.protocol, cp.client.ip, cp.virtual)
    : inKey(cp.protocol, cp.client, cp.virtual);
}

/** ip_vs_conn_new + ip_vs_bind_dest: in the table, counted by its destination. */
export function insertConn(st: IpvsState, cp: IpvsConn): IpvsState {
  const key = connKey(cp);
  let next: IpvsState = {
    ...st,
    conns: hamtSet(st.conns, key, cp),
    out: cp.template ? st.out : hamtSet(st.out, outKey(cp.protocol, cp.dest, cp.client), key),
    nextConnId: Math.max(st.nextConnId, cp.id + 1),
  };
  next = withDest(next, cp.service, cp.dest, (d) =>
    cp.template
      ? { ...d, persistConns: d.persistConns + 1 }
      : cp.inactive
        ? { ...d, inactConns: d.inactConns + 1 }
        : { ...d, activeConns: d.activeConns + 1 },
  );
  return next;
}

/** The entry again after a state change; the destination's active/inactive counts follow. */
export function updateConn(st: IpvsState, before: IpvsConn, after: IpvsConn): IpvsState {
  let next: IpvsState = { ...st, conns: hamtSet(st.conns, connKey(after), after) };
  if (before.inactive !== after.inactive && !after.template)
    next = withDest(next, after.service, after.dest, (d) =>
      after.inactive
        ? { ...d, activeConns: d.activeConns - 1, inactConns: d.inactConns + 1 }
        : { ...d, activeConns: d.activeConns + 1, inactConns: d.inactConns - 1 },
    );
  return next;
}

/** ip_vs_conn_expire + ip_vs_unbind_dest. */
export function removeConn(st: IpvsState, cp: IpvsConn): IpvsState {
  let next: IpvsState = {
    ...st,
    conns: hamtDelete(st.conns, connKey(cp)),
    out: cp.template ? st.out : hamtDelete(st.out, outKey(cp.protocol, cp.dest, cp.client)),
  };
  next = withDest(next, cp.service, cp.dest, (d) =>
    cp.template
      ? { ...d, persistConns: d.persistConns - 1 }
      : cp.inactive
        ? { ...d, inactConns: d.inactConns - 1 }
        : { ...d, activeConns: d.activeConns - 1 },
  );
  return next;
}

/** Every entry whose timer has fired, removed. */
export function ipvsExpire(st: IpvsState, nowUs: number): IpvsState {
  let next = st;
  for (const cp of hamtValues(st.conns)) if (cp.expiresUs <= nowUs) next = removeConn(next, cp);
  return next;
}

/** The live entries, oldest first. */
export function ipvsConns(st: IpvsState, nowUs: number): IpvsConn[] {
  return [...hamtValues(st.conns)].filter((c) => c.expiresUs > nowUs).sort((a, b) => a.id - b.id);
}

/** The entries as /proc/net/ip_vs_conn gives them to `ipvsadm -Lnc` (seconds left, rounded down). */
export function ipvsConnEntries(st: IpvsState, nowUs: number): IpvsConnEntry[] {
  return ipvsConns(st, nowUs).map((c) => ({
    protocol: c.protocol,
    expires: Math.floor((c.expiresUs - nowUs) / 1e6),
    state: c.state,
    client: c.client,
    virtual: c.virtual,
    destination: c.dest,
  }));
}
