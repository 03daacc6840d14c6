/**
 * iptables in a namespace, hooked where the kernel hooks it (the
 * iptable_raw/mangle/nat/filter modules and nf_conntrack): conntrack first
 * (−200), the tables at their priorities, NAT's destination manip at
 * PREROUTING/OUTPUT (−100) and its source manip at POSTROUTING/INPUT
 * (+100), and conntrack's confirmation last. The nat table is consulted only
 * for a connection's first packet; every later packet, replies included, is
 * rewritten from the conntrack entry's binding. A new entry is inserted into
 * the table only when its packet leaves (confirm), so a packet dropped on
 * the way leaves nothing behind.
 */
import { VXLAN_DST_PORT } from './vxlan.ts';
import { reframe } from './frames.ts';
import type { Fact } from '../narration/facts.ts';
import type { Hit } from '../narration/netfilter.ts';
import type { Netns } from '../model.ts';
import { IP_PROTO_ICMP, IP_PROTO_TCP, IP_PROTO_UDP } from '../wire/ipv4.ts';
import { ICMP_DEST_UNREACHABLE } from '../wire/icmp.ts';
import { parseTcp } from '../wire/tcp.ts';
import { icmpSend } from './icmp.ts';
import { sendReset } from './tcp-output.ts';
import {
  CT_EMPTY,
  ctConfirm,
  ctFormat,
  ctHasStatus,
  ctIn,
  ctLookup,
  ctNatInitialized,
  ctNatNullBinding,
  ctNatRewrite,
  ctNatSetup,
  genericTuple,
  icmpTuple,
  IPS,
  portTuple,
  type CtDir,
  type CtEntry,
  type CtPacket,
  type CtState,
  type NatRange,
} from './netfilter/conntrack.ts';
import {
  traverse,
  type NatRequest,
  type RejectWith,
  type NfEnv,
  type NfPacket,
  type TableName,
  type TraverseResult,
} from './netfilter/index.ts';
import { isLocalAddress } from './addresses.ts';
import { ipsetTest } from './ipvs/ipset-test.ts';
import { ipvsPacketInfo } from './ipvs/match-info.ts';
import { natRewrite } from './nat-rewrite.ts';
import { setPacket } from './skb.ts';
import type { Dataplane, NfHookOps, NfHookPoint, NfVerdict, Skb } from './types.ts';
import { iface, place } from './types.ts';
import { lookupRoute } from './route.ts';

/** What the conntrack hook attaches to a packet (skb->_nfct and its ctinfo). */
export interface SkbCt {
  readonly entry?: CtEntry;
  readonly dir: CtDir;
  readonly ctstate: CtState;
  /** New and unconfirmed: conntrack's confirm hook inserts it when the packet leaves. */
  readonly created: boolean;
}

const ACCEPT: NfVerdict = { verdict: 'accept' };
const PRI = {
  RAW: -300,
  CONNTRACK: -200,
  MANGLE: -150,
  NAT_DST: -100,
  FILTER: 0,
  NAT_SRC: 100,
  CONFIRM: 2 ** 31 - 1,
};

/**
 * The packet's conntrack entry. Two copies of one packet share one entry in
 * the kernel (a promiscuous bridge's copy passed up): once the other copy has
 * confirmed it, this one sees the confirmed entry too.
 */
function ctOf(dp: Dataplane, skb: Skb): SkbCt | undefined {
  const ct = skb.ct as SkbCt | undefined;
  if (!ct?.created || !ct.entry) return ct;
  const hit = ctLookup(dp.world.netns(skb.netns).conntrack ?? CT_EMPTY, ct.entry.original);
  if (!hit || hit.entry.id !== ct.entry.id) return ct;
  const shared: SkbCt = { ...ct, entry: hit.entry, created: false };
  skb.ct = shared;
  return shared;
}

function l4(skb: Skb): {
  sport?: number;
  dport?: number;
  flags?: number;
  icmpType?: number;
  icmpCode?: number;
  id?: number;
} {
  const p = skb.packet;
  const hl = (p[0] & 0x0f) * 4;
  const proto = skb.ip.protocol;
  if (proto === IP_PROTO_TCP || proto === IP_PROTO_UDP)
    return {
      sport: (p[hl] << 8) | p[hl + 1],
      dport: (p[hl + 2] << 8) | p[hl + 3],
      ...(proto === IP_PROTO_TCP ? { flags: p[hl + 13] } : {}),
    };
  if (proto === IP_PROTO_ICMP)
    return { icmpType: p[hl], icmpCode: p[hl + 1], id: (p[hl + 4] << 8) | p[hl + 5] };
  return {};
}

function ctPacketOf(skb: Skb): CtPacket {
  const { src, dst, proto } = { src: skb.ip.srcAddr, dst: skb.ip.dstAddr, proto: skb.ip.protocol };
  const f = l4(skb);
  if ((proto === IP_PROTO_TCP || proto === IP_PROTO_UDP) && f.sport !== undefined) {
    const tuple = portTuple(proto, src, f.sport, dst, f.dport!);
    if (proto !== IP_PROTO_TCP) return { tuple };
    const p = skb.packet;
    const hl = (p[0] & 0x0f) * 4;
    const u32 = (o: number) => ((p[o] << 24) | (p[o + 1] << 16) | (p[o + 2] << 8) | p[o + 3]) >>> 0;
    const doff = (p[hl + 12] >> 4) * 4;
    return {
      tuple,
      tcp: {
        flags: p[hl + 13],
        seq: u32(hl + 4),
        ack: u32(hl + 8),
        payloadLen: p.length - hl - doff,
        window: (p[hl + 14] << 8) | p[hl + 15],
      },
    };
  }
  if (proto === IP_PROTO_ICMP)
    return { tuple: icmpTuple(src, dst, f.icmpType!, f.icmpCode!, f.id!) };
  return { tuple: genericTuple(proto, src, dst) };
}

function addrType(ns: Netns, ip: string): ReturnType<NfEnv['addrType']> {
  if (isLocalAddress(ns, ip)) return 'LOCAL';
  const first = Number(ip.split('.')[0]);
  if (first >= 224 && first < 240) return 'MULTICAST';
  if (ip === '255.255.255.255') return 'BROADCAST';
  for (const i of ns.ifaces) {
    if (!i.ip || i.prefixLength === undefined || i.prefixLength >= 31) continue;
    const n = (s: string) => s.split('.').reduce((a, b) => a * 256 + Number(b), 0);
    const mask = 2 ** (32 - i.prefixLength);
    if (Math.floor(n(ip) / mask) === Math.floor(n(i.ip) / mask) && n(ip) % mask === mask - 1)
      return 'BROADCAST';
  }
  return 'UNICAST';
}

function nfPacket(dp: Dataplane, skb: Skb, hook: NfHookPoint): NfPacket {
  const f = l4(skb);
  const ipvs = ipvsPacketInfo(dp, skb, f);
  const ct = skb.ct as SkbCt | undefined;
  const status: NonNullable<NfPacket['ctStatus']>[number][] = [];
  if (ct?.entry) {
    if (ctHasStatus(ct.entry, IPS.SEEN_REPLY)) status.push('SEEN_REPLY');
    if (ctHasStatus(ct.entry, IPS.ASSURED)) status.push('ASSURED');
    if (ctHasStatus(ct.entry, IPS.CONFIRMED)) status.push('CONFIRMED');
    if (ctHasStatus(ct.entry, IPS.SRC_NAT)) status.push('SNAT');
    if (ctHasStatus(ct.entry, IPS.DST_NAT)) status.push('DNAT');
  }
  const inSide = hook !== 'OUTPUT' && hook !== 'POSTROUTING';
  const outSide = hook !== 'PREROUTING' && hook !== 'INPUT';
  return {
    src: skb.ip.srcAddr,
    dst: skb.ip.dstAddr,
    protocol: skb.ip.protocol,
    ...(f.sport !== undefined ? { sport: f.sport, dport: f.dport } : {}),
    ...(f.flags !== undefined ? { tcpFlags: f.flags } : {}),
    ...(f.icmpType !== undefined ? { icmpType: f.icmpType, icmpCode: f.icmpCode } : {}),
    length: skb.packet.length,
    ttl: skb.ip.ttl,
    ...(inSide && skb.inDev ? { inIface: skb.inDev } : {}),
    ...(outSide && skb.outDev ? { outIface: skb.outDev } : {}),
    ...(skb.physIn ? { physIn: skb.physIn } : {}),
    ...(skb.physOut && outSide ? { physOut: skb.physOut } : {}),
    ...(skb.bridged ? { bridged: true } : {}),
    mark: skb.mark,
    ...(ct ? { ctState: ct.ctstate, ctStatus: status } : {}),
    ...(ct?.dir === 'reply' ? { ctReply: true } : {}),
    ...(ipvs ? { ipvs } : {}),
  };
}

/** Runs one table's built-in chain for the packet; keeps its counters in the namespace. */
function runTable(
  dp: Dataplane,
  skb: Skb,
  table: TableName,
  chain: NfHookPoint,
): TraverseResult | undefined {
  const ns = dp.world.netns(skb.netns);
  if (!ns.netfilter?.tables[table]) return undefined;
  const env: NfEnv = {
    nowUs: dp.world.timeUs,
    addrType: (ip) => addrType(dp.world.netns(skb.netns), ip),
    random: () => dp.rng.float(),
    ipsetContains: (set, key, dirs) => ipsetTest(dp.world.netns(skb.netns).ipsets, set, key, dirs),
  };
  const r = traverse(ns.netfilter, table, chain, nfPacket(dp, skb, chain), env);
  if (r.state !== ns.netfilter)
    dp.world.setNetns({ ...dp.world.netns(skb.netns), netfilter: r.state });
  skb.mark = r.mark;
  return r;
}

function note(
  dp: Dataplane,
  skb: Skb,
  hook: NfHookPoint,
  summary: string,
  facts: Fact,
  hits?: TraverseResult['hits'],
  table?: TableName,
  rewritten?: Uint8Array,
): void {
  const ns = dp.world.netns(skb.netns);
  // A NAT: the frame the skb holds (its received MAC header) around the packet, before and after.
  const frames =
    rewritten && skb.frame
      ? {
          before: reframe(skb.frame, rewritten),
          frame: reframe(skb.frame, skb.packet),
        }
      : {};
  dp.world.record({
    ...frames,
    kind: 'netfilter',
    place: place(
      ns,
      hook === 'OUTPUT' || hook === 'POSTROUTING'
        ? (skb.outDev ?? skb.inDev)
        : (skb.inDev ?? skb.outDev),
    ),
    summary,
    facts,
    touched: (hits ?? []).map((h) => ({
      table: 'iptables' as const,
      netns: skb.netns,
      key: `${table}/${h.chain}/${h.rule}`,
      change: 'read' as const,
    })),
  });
}

/** The rules a packet matched, as the step's facts keep them. */
function factHits(hits: TraverseResult['hits']): Hit[] {
  return hits.map((h) => ({
    chain: h.chain,
    rule: h.rule,
    ...(h.target ? { target: h.target } : {}),
  }));
}

function conntrackHook(dp: Dataplane, skb: Skb, hook: NfHookPoint): NfVerdict {
  if (skb.ct) return ACCEPT; // already tracked (or NOTRACK in raw)
  const ns = dp.world.netns(skb.netns);
  const table = ns.conntrack ?? CT_EMPTY;
  const id = ns.conntrackNextId ?? 1;
  const r = ctIn(table, ctPacketOf(skb), dp.world.timeUs, id);
  skb.ct = {
    ...(r.entry ? { entry: r.entry } : {}),
    dir: r.dir,
    ctstate: r.ctstate,
    created: r.created,
  } satisfies SkbCt;
  if (r.table !== table || r.created)
    dp.world.setNetns({
      ...ns,
      conntrack: r.table,
      ...(r.created ? { conntrackNextId: id + 1 } : {}),
    });
  if (r.created && r.entry)
    note(
      dp,
      skb,
      hook,
      `conntrack: new ${r.entry.proto.kind === 'tcp' ? r.entry.proto.tcp.state : ''} ${skb.ip.srcAddr} → ${skb.ip.dstAddr}`.replace(
        '  ',
        ' ',
      ),
      {
        type: 'ct.new',
        hook,
        ...(r.entry.proto.kind === 'tcp' ? { tcpState: r.entry.proto.tcp.state } : {}),
        src: skb.ip.srcAddr,
        dst: skb.ip.dstAddr,
        entry: ctFormat(r.entry, dp.world.timeUs),
      },
    );
  return ACCEPT;
}

function natRange(req: NatRequest, skb: Skb, dp: Dataplane): NatRange {
  let addr = req.addr;
  if (req.kind === 'MASQUERADE') {
    // inet_select_addr(out, nexthop): the output device's address.
    const ns = dp.world.netns(skb.netns);
    addr = skb.outDev ? iface(ns, skb.outDev).ip : undefined;
    addr ??= lookupRoute(ns, skb.ip.dstAddr)?.src;
  }
  return {
    ...(addr ? { minAddr: req.addrRange?.[0] ?? addr, maxAddr: req.addrRange?.[1] ?? addr } : {}),
    ...(req.port !== undefined
      ? { minPort: req.portRange?.[0] ?? req.port, maxPort: req.portRange?.[1] ?? req.port }
      : {}),
    ...(req.random ? { random: true } : {}),
    ...(req.randomFully ? { randomFully: true } : {}),
    ...(req.persistent ? { persistent: true } : {}),
  };
}

function natHook(dp: Dataplane, skb: Skb, hook: NfHookPoint, manip: 'SRC' | 'DST'): NfVerdict {
  const ct = ctOf(dp, skb);
  if (!ct?.entry) return ACCEPT;
  let entry = ct.entry;
  let result: TraverseResult | undefined;
  if (!ctNatInitialized(entry, manip)) {
    result = runTable(dp, skb, 'nat', hook);
    const ns = dp.world.netns(skb.netns);
    const table = ns.conntrack ?? CT_EMPTY;
    const rnd = () => dp.rng.float();
    const set =
      result?.nat && result.verdict === 'ACCEPT'
        ? ctNatSetup(table, entry, natRange(result.nat, skb, dp), manip, dp.world.timeUs, rnd)
        : ctNatNullBinding(table, entry, manip, dp.world.timeUs, rnd);
    entry = set.entry;
    if (set.table !== table) dp.world.setNetns({ ...ns, conntrack: set.table });
    skb.ct = { ...ct, entry };
    if (result?.verdict === 'DROP')
      return { verdict: 'drop', fact: { type: 'nf.drop', table: 'nat', hook } };
  }
  const rw = ctNatRewrite(entry, ct.dir)[manip === 'DST' ? 'dst' : 'src'];
  const cur = manip === 'DST' ? skb.ip.dstAddr : skb.ip.srcAddr;
  const curPort = manip === 'DST' ? l4(skb).dport : l4(skb).sport;
  const changes = rw && (rw.addr !== cur || (rw.port !== undefined && rw.port !== curPort));
  const before = `${cur}${curPort !== undefined ? `:${curPort}` : ''}`;
  const original = skb.packet;
  if (changes) setPacket(skb, natRewrite(skb.packet, manip, rw));
  const after = rw ? `${rw.addr}${rw.port !== undefined ? `:${rw.port}` : ''}` : before;
  const what = manip === 'DST' ? 'destination' : 'source';
  if (result && result.hits.length > 0) {
    const nat = result.nat ? `${result.nat.kind} ${what} ${before} → ${after}` : 'no NAT';
    note(
      dp,
      skb,
      hook,
      `nat ${hook}: ${nat}`,
      {
        type: 'nf.nat',
        hook,
        hits: factHits(result.hits),
        ...(result.nat ? { nat: { kind: result.nat.kind, what, before, after } } : {}),
        changed: !!changes,
      },
      result.hits,
      'nat',
      changes ? original : undefined,
    );
  } else if (changes) {
    const reply = ct.dir === 'reply';
    note(
      dp,
      skb,
      hook,
      `conntrack ${reply ? 'un-NATs' : 'NATs'} ${what} ${before} → ${after}`,
      { type: 'ct.nat', reply, what, before, after },
      undefined,
      undefined,
      original,
    );
  }
  return ACCEPT;
}

function filterHook(dp: Dataplane, skb: Skb, hook: NfHookPoint, table: TableName): NfVerdict {
  const r = runTable(dp, skb, table, hook);
  if (!r) return ACCEPT;
  if (table === 'raw' && r.notrack)
    skb.ct = { dir: 'original', ctstate: 'UNTRACKED', created: false } satisfies SkbCt;
  const decisive = r.hits.length > 0 || r.verdict !== 'ACCEPT';
  if (decisive)
    note(
      dp,
      skb,
      hook,
      `${table} ${hook}: ${r.verdict}${r.policy ? ' (policy)' : ''}`,
      {
        type: 'nf.table',
        table,
        hook,
        hits: factHits(r.hits),
        verdict: r.verdict,
        ...(r.policy ? { policy: r.policy } : {}),
      },
      r.hits,
      table,
    );
  if (r.verdict === 'ACCEPT') return ACCEPT;
  if (r.verdict === 'REJECT')
    reject(dp, skb, r.rejectWith ?? 'icmp-port-unreachable', `${table} ${hook}`);
  const tunnel = r.verdict === 'REJECT' ? undefined : tunnelOf(dp, skb);
  return {
    verdict: 'drop',
    fact: {
      type: 'nf.drop',
      table,
      hook,
      ...(r.verdict === 'REJECT' ? { rejectWith: r.rejectWith ?? 'icmp-port-unreachable' } : {}),
      ...(tunnel ? { tunnel } : {}),
    },
  };
}

/** The VXLAN device a dropped UDP datagram was for (its destination port), if it was one's. */
function tunnelOf(dp: Dataplane, skb: Skb): { dev: string; port: number } | undefined {
  const p = skb.packet;
  const ihl = (p[0] & 0x0f) * 4;
  if (skb.ip.protocol !== IP_PROTO_UDP || p.length < ihl + 4) return undefined;
  const port = (p[ihl + 2] << 8) | p[ihl + 3];
  const ns = dp.world.hasNetns(skb.netns) ? dp.world.netns(skb.netns) : undefined;
  const dev = ns?.ifaces.find(
    (i) => i.kind === 'vxlan' && (i.vxlan?.port ?? VXLAN_DST_PORT) === port,
  );
  return dev ? { dev: dev.name, port } : undefined;
}

/** ICMP codes of REJECT's --reject-with types (ipt_REJECT: ICMP_DEST_UNREACH). */
const REJECT_CODES: Readonly<Record<Exclude<RejectWith, 'tcp-reset'>, number>> = {
  'icmp-net-unreachable': 0,
  'icmp-host-unreachable': 1,
  'icmp-proto-unreachable': 2,
  'icmp-port-unreachable': 3,
  'icmp-net-prohibited': 9,
  'icmp-host-prohibited': 10,
  'icmp-admin-prohibited': 13,
};

/** REJECT's answer on the wire: an ICMP error (nf_send_unreach) or a TCP RST (nf_send_reset). */
function reject(dp: Dataplane, skb: Skb, how: RejectWith, where: string): void {
  const src = skb.ip.srcAddr;
  if (how === 'tcp-reset' && skb.ip.protocol === IP_PROTO_TCP) {
    const seg = parseTcp(skb.packet.subarray((skb.packet[0] & 0x0f) * 4)).repr;
    if (!seg.flags.rst)
      sendReset(dp, skb.netns, skb.ip, seg, { type: 'nf.reject', where, how, src, tcp: true });
    return;
  }
  const code = how === 'tcp-reset' ? 3 : REJECT_CODES[how];
  icmpSend(dp, skb, ICMP_DEST_UNREACHABLE, code, {
    type: 'nf.reject',
    where,
    how,
    src,
    tcp: false,
    code,
  });
}

function confirmHook(dp: Dataplane, skb: Skb): NfVerdict {
  const ct = ctOf(dp, skb);
  if (!ct?.created || !ct.entry) return ACCEPT;
  const ns = dp.world.netns(skb.netns);
  const r = ctConfirm(ns.conntrack ?? CT_EMPTY, ct.entry, dp.world.timeUs);
  skb.ct = { ...ct, entry: r.entry, created: false };
  if (r.verdict === 'drop')
    return {
      verdict: 'drop',
      fact: { type: 'ct.clash', src: ct.entry.original.src, dst: ct.entry.original.dst },
    };
  dp.world.setNetns({ ...dp.world.netns(skb.netns), conntrack: r.table });
  dp.world.record({
    kind: 'conntrack',
    place: place(dp.world.netns(skb.netns), skb.outDev ?? skb.inDev),
    summary: `conntrack confirms ${ct.entry.original.src} → ${ct.entry.original.dst}`,
    facts: {
      type: 'ct.confirm',
      src: ct.entry.original.src,
      dst: ct.entry.original.dst,
      entry: ctFormat(r.entry, dp.world.timeUs),
    },
  });
  return ACCEPT;
}

function ops(
  family: NfHookOps['family'],
  hook: NfHookPoint,
  priority: number,
  name: string,
  fn: NfHookOps['fn'],
): NfHookOps {
  return { family, hook, priority, name, fn };
}

/** The hooks a namespace with these iptables tables gets, in Linux's priorities. */
export function iptablesHooks(tables: readonly TableName[]): NfHookOps[] {
  const has = (t: TableName) => tables.includes(t);
  const out: NfHookOps[] = [];
  const add = (
    hook: NfHookPoint,
    priority: number,
    name: string,
    fn: (dp: Dataplane, skb: Skb) => NfVerdict,
  ) => out.push(ops('ipv4', hook, priority, name, fn));
  for (const hook of ['PREROUTING', 'OUTPUT'] as const) {
    if (has('raw'))
      add(hook, PRI.RAW, `raw ${hook}`, (dp, skb) => filterHook(dp, skb, hook, 'raw'));
    add(hook, PRI.CONNTRACK, `conntrack ${hook}`, (dp, skb) => conntrackHook(dp, skb, hook));
  }
  if (has('mangle'))
    for (const hook of ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'] as const)
      add(hook, PRI.MANGLE, `mangle ${hook}`, (dp, skb) => filterHook(dp, skb, hook, 'mangle'));
  if (has('nat')) {
    for (const hook of ['PREROUTING', 'OUTPUT'] as const)
      add(hook, PRI.NAT_DST, `nat ${hook}`, (dp, skb) => natHook(dp, skb, hook, 'DST'));
    for (const hook of ['INPUT', 'POSTROUTING'] as const)
      add(hook, PRI.NAT_SRC, `nat ${hook}`, (dp, skb) => natHook(dp, skb, hook, 'SRC'));
  }
  if (has('filter'))
    for (const hook of ['INPUT', 'FORWARD', 'OUTPUT'] as const)
      add(hook, PRI.FILTER, `filter ${hook}`, (dp, skb) => filterHook(dp, skb, hook, 'filter'));
  for (const hook of ['INPUT', 'POSTROUTING'] as const)
    add(hook, PRI.CONFIRM, `conntrack confirm ${hook}`, (dp, skb) => confirmHook(dp, skb));
  return out;
}
