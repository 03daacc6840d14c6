/**
 * IPVS's netfilter hooks (net/netfilter/ipvs/ip_vs_core.c, ip_vs_ops4),
 * for masquerading (NAT) virtual services, the only kind kube-proxy makes:
 *
 * - ip_vs_in_hook at LOCAL_IN (NF_IP_PRI_NAT_SRC − 1 = 99, after the filter
 *   table) and at LOCAL_OUT (NF_IP_PRI_NAT_DST + 2 = −98): a packet to a
 *   virtual service — local, because kube-ipvs0 holds the address — is
 *   matched to its connection, or, if it is a TCP SYN (any UDP packet),
 *   scheduled to a real server and a connection made. ip_vs_nat_xmit then
 *   rewrites the destination, lowers the TTL, updates conntrack
 *   (net.ipv4.vs.conntrack=1), marks the skb (ipvs_property) and sends it
 *   through LOCAL_OUT and POSTROUTING toward the real server: NF_STOLEN.
 * - ip_vs_out_hook at LOCAL_IN (NF_IP_PRI_NAT_SRC − 2 = 98), FORWARD (100)
 *   and LOCAL_OUT (NF_IP_PRI_NAT_DST + 1 = −99): a packet from a real server
 *   of a connection (handle_response) gets the virtual address back as its
 *   source. br_netfilter calls the FORWARD hook for bridged frames too, so
 *   a reply from a pod on the same bridge is un-NATed as well.
 *
 * TCP connections change state by IPVS's own table (proto-tcp.ts), with
 * each state's timeout.
 */
import { reframe } from '../frames.ts';
import type { Fact } from '../../narration/facts.ts';
import { ICMP_DEST_UNREACHABLE } from '../../wire/icmp.ts';
import { decrementTtl, IP_PROTO_TCP, IP_PROTO_UDP } from '../../wire/ipv4.ts';
import { hamtGet } from '../../engine/hamt.ts';
import { virtualServerKey } from '../../k8s/kube-proxy/ipvs/virtual-server.ts';
import { icmpSend } from '../icmp.ts';
import { ipOutput } from '../ip-output.ts';
import { natRewrite } from '../nat-rewrite.ts';
import { nfHook } from '../nf-hook.ts';
import { lookupRoute } from '../route.ts';
import { setPacket } from '../skb.ts';
import type { Dataplane, NfHookOps, NfHookPoint, NfVerdict, Skb } from '../types.ts';
import { place } from '../types.ts';
import { connOut, hasIpvsProperty, inKey, setIpvsProperty } from './conn-key.ts';
import { ipvsUpdateConntrack } from './nfct.ts';
import {
  TCP_TIMEOUTS,
  tcpNextState,
  UDP_TIMEOUT,
  type IpvsDir,
  type IpvsTcpState,
} from './proto-tcp.ts';
import { ipvsScheduleConn } from './schedule.ts';
import type { IpvsConn, IpvsState } from './state.ts';
import { countStats, removeConn, updateConn } from './table.ts';

const ACCEPT: NfVerdict = { verdict: 'accept' };
const STOLEN: NfVerdict = { verdict: 'stolen' };

/** NF_IP_PRI_NAT_DST (−100) and NF_IP_PRI_NAT_SRC (100), as ip_vs_ops4 offsets them. */
export const IPVS_PRIORITY = {
  outLocalIn: 98,
  inLocalIn: 99,
  outLocalOut: -99,
  inLocalOut: -98,
  outForward: 100,
} as const;

const PROTO: Readonly<Record<number, IpvsConn['protocol']>> = { 6: 'TCP', 17: 'UDP' };

interface L4 {
  readonly sport: number;
  readonly dport: number;
  readonly flags: number;
}

function l4(skb: Skb): L4 | undefined {
  const p = skb.packet;
  const hl = (p[0] & 0x0f) * 4;
  if (skb.ip.protocol !== IP_PROTO_TCP && skb.ip.protocol !== IP_PROTO_UDP) return undefined;
  return {
    sport: (p[hl] << 8) | p[hl + 1],
    dport: (p[hl + 2] << 8) | p[hl + 3],
    flags: skb.ip.protocol === IP_PROTO_TCP ? p[hl + 13] : 0,
  };
}

const ep = (e: { ip: string; port: number }) => `${e.ip}:${e.port}`;

/** ip_vs_set_state: the protocol's state machine, then the state's timeout. */
function setState(cp: IpvsConn, dir: IpvsDir, flags: number, nowUs: number): IpvsConn {
  if (cp.protocol !== 'TCP') return { ...cp, state: 'UDP', expiresUs: nowUs + UDP_TIMEOUT * 1e6 };
  const next = tcpNextState(cp.state as IpvsTcpState, dir, flags);
  let inactive = cp.inactive;
  if (next !== cp.state) {
    if (!inactive && next !== 'ESTABLISHED') inactive = true;
    else if (inactive && next === 'ESTABLISHED') inactive = false;
  }
  return { ...cp, state: next, inactive, expiresUs: nowUs + TCP_TIMEOUTS[next] * 1e6 };
}

function record(
  dp: Dataplane,
  skb: Skb,
  summary: string,
  facts: Fact,
  original?: Uint8Array,
): void {
  const ns = dp.world.netns(skb.netns);
  // A rewrite: the frame the skb holds (its received MAC header) around the packet, before and after.
  const frames =
    original && skb.frame
      ? {
          before: reframe(skb.frame, original),
          frame: reframe(skb.frame, skb.packet),
        }
      : {};
  dp.world.record({
    kind: 'netfilter',
    place: place(ns, skb.inDev ?? skb.outDev),
    summary,
    facts,
    ...frames,
  });
}

function save(dp: Dataplane, skb: Skb, st: IpvsState): void {
  dp.world.setNetns({ ...dp.world.netns(skb.netns), ipvs: st });
}

/** ip_vs_in: find or schedule the connection, then forward by NAT. */
function ipVsIn(dp: Dataplane, skb: Skb, hook: NfHookPoint): NfVerdict {
  if (hasIpvsProperty(skb)) return ACCEPT;
  let st = dp.world.netns(skb.netns).ipvs;
  const proto = PROTO[skb.ip.protocol];
  const f = l4(skb);
  if (!st || !proto || !f) return ACCEPT;
  const now = dp.world.timeUs;
  const client = { ip: skb.ip.srcAddr, port: f.sport };
  const virt = { ip: skb.ip.dstAddr, port: f.dport };
  const key = inKey(proto, client, virt);
  let cp = hamtGet(st.conns, key);
  if (cp && cp.expiresUs <= now) {
    st = removeConn(st, cp);
    cp = undefined;
  }
  if (!cp) {
    const vsKey = virtualServerKey({ address: virt.ip, port: virt.port, protocol: proto });
    const svc = hamtGet(st.services, vsKey);
    if (!svc) return ACCEPT;
    // tcp_conn_schedule: only a SYN (without RST) starts a connection; anything else goes on to the stack.
    if (proto === 'TCP' && (!(f.flags & 0x02) || f.flags & 0x04)) return ACCEPT;
    const s = ipvsScheduleConn(st, svc, client, virt, now);
    st = s.state;
    if (!s.conn) {
      save(dp, skb, st);
      const fact: Fact = {
        type: 'ipvs.no-dest',
        service: vsKey,
        scheduler: svc.scheduler,
        of: svc.realServers.length,
      };
      record(dp, skb, `IPVS: no destination for ${vsKey}`, fact);
      // ip_vs_leave: ICMP port unreachable, and the packet is dropped.
      icmpSend(dp, skb, ICMP_DEST_UNREACHABLE, 3, fact);
      return { verdict: 'drop', fact };
    }
    cp = s.conn;
    st = countStats(st, cp, { conns: 1 });
    save(dp, skb, st);
    const why = s.why;
    record(dp, skb, `IPVS ${svc.scheduler}: ${vsKey} → ${ep(cp.dest)}`, {
      type: 'ipvs.schedule',
      service: vsKey,
      client: ep(client),
      dest: ep(cp.dest),
      how: why.how === 'template' ? 'template' : 'scheduler',
      scheduler: svc.scheduler,
      ...(why.how === 'scheduler'
        ? { position: why.position, of: why.of, ...(why.after ? { after: why.after } : {}) }
        : {}),
      ...(svc.persistentTimeout !== undefined ? { persistent: svc.persistentTimeout } : {}),
      ...(why.how === 'scheduler' && s.template ? { newTemplate: true } : {}),
    });
  }
  const before = cp;
  const after = setState(cp, 'INPUT', f.flags, now);
  st = updateConn(st, before, after);
  st = countStats(st, after, { inPkts: 1, inBytes: skb.packet.length });
  save(dp, skb, st);
  return natXmit(dp, skb, after, before.state, hook);
}

/** ip_vs_nat_xmit and ip_vs_nat_send_or_cont. */
function natXmit(
  dp: Dataplane,
  skb: Skb,
  cp: IpvsConn,
  previous: string,
  hook: NfHookPoint,
): NfVerdict {
  const ns = dp.world.netns(skb.netns);
  const route = lookupRoute(ns, cp.dest.ip);
  if (!route)
    return {
      verdict: 'drop',
      fact: { type: 'ip.no-route', who: dp.label(skb.netns), dst: cp.dest.ip },
    };
  const ttl = skb.ip.ttl;
  if (ttl <= 1)
    return { verdict: 'drop', fact: { type: 'ip.ttl-expired', who: dp.label(skb.netns), ttl } };
  const beforeDst = `${skb.ip.dstAddr}:${cp.virtual.port}`;
  const original = skb.packet;
  setPacket(
    skb,
    natRewrite(decrementTtl(skb.packet), 'DST', { addr: cp.dest.ip, port: cp.dest.port }),
  );
  const tracked = ns.ipvs?.conntrack !== false && ipvsUpdateConntrack(skb, cp);
  setIpvsProperty(skb);
  const fact: Fact = {
    type: 'ipvs.nat',
    hook,
    service: cp.service,
    before: beforeDst,
    after: ep(cp.dest),
    state: cp.state,
    previous,
    ttl: skb.ip.ttl,
    conntrack: tracked,
  };
  record(dp, skb, `IPVS masquerades ${beforeDst} → ${ep(cp.dest)}`, fact, original);
  // Now a locally sent packet: it leaves through LOCAL_OUT toward the real server.
  skb.origin = place(ns, skb.inDev ?? skb.outDev);
  skb.why = fact;
  skb.outDev = route.dev;
  delete skb.bridged;
  delete skb.physIn;
  delete skb.physOut;
  nfHook(dp, 'ipv4', 'OUTPUT', skb, (s) => ipOutput(dp, s, route));
  return STOLEN;
}

/** ip_vs_out / handle_response: a real server's packet gets the virtual address back. */
function ipVsOut(dp: Dataplane, skb: Skb, hook: NfHookPoint): NfVerdict {
  if (hasIpvsProperty(skb)) return ACCEPT;
  let st = dp.world.netns(skb.netns).ipvs;
  const proto = PROTO[skb.ip.protocol];
  const f = l4(skb);
  if (!st || !proto || !f) return ACCEPT;
  const now = dp.world.timeUs;
  const cp = connOut(
    st,
    proto,
    { ip: skb.ip.srcAddr, port: f.sport },
    { ip: skb.ip.dstAddr, port: f.dport },
    now,
  );
  if (!cp) return ACCEPT;
  const before = `${skb.ip.srcAddr}:${f.sport}`;
  const original = skb.packet;
  setPacket(skb, natRewrite(skb.packet, 'SRC', { addr: cp.virtual.ip, port: cp.virtual.port }));
  const after = setState(cp, 'OUTPUT', f.flags, now);
  st = updateConn(st, cp, after);
  st = countStats(st, after, { outPkts: 1, outBytes: skb.packet.length });
  save(dp, skb, st);
  setIpvsProperty(skb);
  record(
    dp,
    skb,
    `IPVS un-NATs source ${before} → ${ep(cp.virtual)}`,
    {
      type: 'ipvs.reply',
      hook,
      service: cp.service,
      before,
      after: ep(cp.virtual),
      state: after.state,
      previous: cp.state,
    },
    original,
  );
  return ACCEPT;
}

/** ip_vs_ops4, the IPv4 hooks IPVS registers in a namespace with virtual services. */
export function ipvsHooks(): NfHookOps[] {
  const ops = (
    hook: NfHookPoint,
    priority: number,
    name: string,
    fn: NfHookOps['fn'],
  ): NfHookOps => ({
    family: 'ipv4',
    hook,
    priority,
    name,
    fn,
  });
  return [
    ops('INPUT', IPVS_PRIORITY.outLocalIn, 'ipvs out INPUT', (dp, skb) =>
      ipVsOut(dp, skb, 'INPUT'),
    ),
    ops('INPUT', IPVS_PRIORITY.inLocalIn, 'ipvs in INPUT', (dp, skb) => ipVsIn(dp, skb, 'INPUT')),
    ops('OUTPUT', IPVS_PRIORITY.outLocalOut, 'ipvs out OUTPUT', (dp, skb) =>
      ipVsOut(dp, skb, 'OUTPUT'),
    ),
    ops('OUTPUT', IPVS_PRIORITY.inLocalOut, 'ipvs in OUTPUT', (dp, skb) =>
      ipVsIn(dp, skb, 'OUTPUT'),
    ),
    ops('FORWARD', IPVS_PRIORITY.outForward, 'ipvs out FORWARD', (dp, skb) =>
      ipVsOut(dp, skb, 'FORWARD'),
    ),
  ];
}
