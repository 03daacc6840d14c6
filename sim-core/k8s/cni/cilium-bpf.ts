/**
 * Cilium's eBPF programs at the tc hooks where cilium-agent attaches them
 * (pkg/datapath/loader: cil_from_container at tc ingress of each lxc device,
 * cil_from_overlay / cil_to_overlay at tc ingress / egress of cilium_vxlan,
 * cil_from_netdev at tc ingress of the native device), reading the node's
 * BPF maps from the per-step store:
 *
 * - bpf_lxc answers the pod's ARP itself with the lxc device's MAC;
 * - a destination in the endpoint map is delivered straight to its lxc
 *   (ipv4_local_delivery: TTL − 1, source MAC the lxc's, destination the
 *   pod's, bpf_redirect) — no bridge, no iptables, no route lookup;
 * - in tunnel mode a destination whose ipcache entry has a tunnel endpoint is
 *   sent into cilium_vxlan with bpf_skb_set_tunnel_key: remote = that node,
 *   VNI = the source's security identity (encap_and_redirect_lxc); the inner
 *   TTL is not lowered on the sender;
 * - anything else goes up the host stack (CTX_ACT_OK): in native routing the
 *   kernel forwards it by the autoDirectNodeRoutes route (TTL − 1);
 * - cil_from_host at tc egress of cilium_host takes what the host routes to
 *   a pod CIDR (kube-proxy's DNATed Service packets) to the endpoint or tunnel.
 */
import type { BpfEndpoint, CiliumMaps, IpcacheEntry, TableRef } from '../../model.ts';
import { ipToNumber, prefixLength } from '../../net/cidr.ts';
import { arpReplyFrame, ethernetIpFrame, parseFrame } from '../../dataplane/frames.ts';
import type { Dataplane, TcHooks, TcProgram, TunnelKey } from '../../dataplane/types.ts';
import { iface, place } from '../../dataplane/types.ts';
import { decrementTtl } from '../../wire/ipv4.ts';
import { ctLookup } from '../../dataplane/netfilter/conntrack-table.ts';
import { IPS_NAT_MASK } from '../../dataplane/netfilter/conntrack-entry.ts';

const WORLD = 2;

/** Longest-prefix match in the ipcache (an LPM trie in the kernel). */
export function ipcacheLookup(rows: readonly IpcacheEntry[], ip: string): IpcacheEntry | undefined {
  const n = ipToNumber(ip);
  let best: IpcacheEntry | undefined;
  for (const r of rows) {
    const [base, len] = [ipToNumber(r.prefix.split('/')[0]), prefixLength(r.prefix)];
    const maskBits = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
    if ((n & maskBits) >>> 0 !== (base & maskBits) >>> 0) continue;
    if (!best || len > prefixLength(best.prefix)) best = r;
  }
  return best;
}

const mapsOf = (dp: Dataplane, netns: string): CiliumMaps | undefined =>
  dp.world.node(dp.world.netns(netns).node).bpf;

const podEndpoint = (maps: CiliumMaps, ip: string): BpfEndpoint | undefined =>
  maps.endpoints.find((e) => e.ip === ip && e.id !== undefined);

/**
 * A reply of a flow the host's conntrack NATed (kube-proxy DNAT toward this
 * pod): bpf_lxc's own CT entry for it was made by a packet from the host
 * (cil_from_host), so the reply is handed to the stack, where conntrack undoes
 * the NAT, not redirected straight to the client.
 */
function natedReply(dp: Dataplane, netns: string, ip: Uint8Array): boolean {
  const table = dp.world.netns(netns).conntrack;
  if (!table || (ip[9] !== IPPROTO_TCP_ && ip[9] !== IPPROTO_UDP_)) return false;
  const ihl = (ip[0] & 0x0f) * 4;
  const u16 = (o: number) => (ip[o] << 8) | ip[o + 1];
  const addr = (o: number) => `${ip[o]}.${ip[o + 1]}.${ip[o + 2]}.${ip[o + 3]}`;
  const hit = ctLookup(table, {
    l3: 'ipv4',
    protocol: ip[9],
    src: addr(12),
    dst: addr(16),
    sport: u16(ihl),
    dport: u16(ihl + 2),
  });
  return hit?.dir === 'reply' && (hit.entry.status & IPS_NAT_MASK) !== 0;
}
/**
 * The lookups a program makes for `dst`: the endpoint map (a local pod?) and
 * the ipcache (its identity, its tunnel), with the rows they read; the
 * endpoint row read is `dst`'s when it is local, else `otherwise`'s.
 */
function lookUp(maps: CiliumMaps, netns: string, dst: string, otherwise: string) {
  const local = podEndpoint(maps, dst);
  const cache = ipcacheLookup(maps.ipcache, dst);
  const touched: TableRef[] = [
    { table: 'bpf-endpoint', netns, key: local ? dst : otherwise, change: 'read' },
    ...(cache
      ? [{ table: 'bpf-ipcache' as const, netns, key: cache.prefix, change: 'read' as const }]
      : []),
  ];
  return { local, cache, touched };
}

/** The fields every cilium.bpf fact of a program's run carries, before its verdict. */
function verdict(
  dp: Dataplane,
  netns: string,
  prog: string,
  hook: string,
  dev: string,
  ip: { readonly srcAddr: string; readonly dstAddr: string; readonly ttl: number },
  srcIdentity: number,
  local: BpfEndpoint | undefined,
  cache: IpcacheEntry | undefined,
) {
  return {
    type: 'cilium.bpf' as const,
    prog,
    hook,
    dev,
    who: dp.label(netns),
    src: ip.srcAddr,
    dst: ip.dstAddr,
    srcIdentity,
    dstIdentity: local?.secId ?? cache?.identity ?? WORLD,
    ttl: ip.ttl,
  };
}

const IPPROTO_TCP_ = 6;
const IPPROTO_UDP_ = 17;

/** ipv4_local_delivery: rewrite the MACs, lower the TTL, redirect to the endpoint's lxc. */
function localDelivery(
  dp: Dataplane,
  netns: string,
  fromDev: string,
  prog: string,
  ep: BpfEndpoint,
  ipBytes: Uint8Array,
): void {
  const ns = dp.world.netns(netns);
  const lxc = ns.ifaces.find((i) => i.ifindex === ep.ifindex)!;
  const frame = ethernetIpFrame(ep.nodeMac!, ep.mac!, decrementTtl(ipBytes));
  dp.ops.devQueueXmit(dp, netns, lxc.name, frame, {
    fact: { type: 'cilium.redirect', prog, from: fromDev, to: lxc.name, who: dp.label(netns) },
    touched: [],
    origin: true,
    from: place(ns, fromDev),
  });
}

export function ciliumPrograms(o: {
  mode: 'vxlan' | 'native';
  isNode(netns: string): boolean;
}): (netns: string, dev: string) => TcHooks | undefined {
  const record = (
    dp: Dataplane,
    netns: string,
    dev: string,
    frame: Uint8Array,
    facts: Extract<import('../../narration/facts.ts').Fact, { type: 'cilium.bpf' }>,
    touched: TableRef[],
  ) =>
    dp.world.record({
      kind: 'bpf',
      place: place(dp.world.netns(netns), dev),
      frame,
      summary: `${facts.prog} on ${dev}: ${facts.verdict}`,
      facts,
      touched,
    });

  /**
   * Tunnel mode, a destination whose ipcache entry names a tunnel endpoint: redirected to
   * cilium_vxlan, the sender's security identity as the VNI (cil_from_container and
   * cil_from_host alike). False when the packet is not for the tunnel.
   */
  const intoTunnel = (
    dp: Dataplane,
    netns: string,
    dev: string,
    frame: Uint8Array,
    at: {
      readonly cache: IpcacheEntry | undefined;
      readonly srcIdentity: number;
      readonly base: Omit<Parameters<typeof record>[4], 'verdict'>;
      readonly touched: TableRef[];
    },
  ): boolean => {
    const { cache, srcIdentity, base, touched } = at;
    if (o.mode !== 'vxlan' || !cache || cache.tunnelEndpoint === '0.0.0.0') return false;
    const tunnel: TunnelKey = { remote: cache.tunnelEndpoint, vni: srcIdentity };
    record(dp, netns, dev, frame, { ...base, verdict: 'tunnel', remote: tunnel.remote }, touched);
    dp.ops.devQueueXmit(dp, netns, 'cilium_vxlan', frame, {
      fact: {
        type: 'cilium.redirect',
        prog: base.prog,
        from: dev,
        to: 'cilium_vxlan',
        who: dp.label(netns),
      },
      touched: [],
      origin: false,
      from: place(dp.world.netns(netns), dev),
      tunnel,
    });
    return true;
  };

  const fromContainer: TcProgram = (dp, netns, dev, frame) => {
    const maps = mapsOf(dp, netns);
    if (!maps) return 'ok';
    const ns = dp.world.netns(netns);
    const lxc = iface(ns, dev);
    const p = parseFrame(frame);
    if (p.arp) {
      if (p.arp.operation !== 1) return 'stolen';
      // bpf_lxc's ARP responder: every request is answered with the lxc device's own MAC.
      const target = p.arp.targetProtocolAddr;
      dp.world.record({
        kind: 'bpf',
        place: place(ns, dev),
        frame,
        summary: `cil_from_container on ${dev}: ARP reply for ${target}`,
        facts: {
          type: 'cilium.arp',
          prog: 'cil_from_container',
          dev,
          target,
          mac: lxc.mac,
          who: dp.label(netns),
        },
        touched: [],
      });
      const reply = arpReplyFrame(
        lxc.mac,
        target,
        p.arp.sourceHardwareAddr,
        p.arp.sourceProtocolAddr,
      );
      dp.ops.devQueueXmit(dp, netns, dev, reply, {
        fact: {
          type: 'cilium.redirect',
          prog: 'cil_from_container',
          from: dev,
          to: dev,
          who: dp.label(netns),
        },
        touched: [],
        origin: true,
      });
      return 'stolen';
    }
    if (!p.ip || !p.ipBytes) return 'ok';
    const { srcAddr: src, dstAddr: dst } = p.ip.repr;
    const self = podEndpoint(maps, src);
    const srcIdentity = self?.secId ?? WORLD;
    const { local, cache, touched } = lookUp(maps, netns, dst, src);
    const base = verdict(
      dp,
      netns,
      'cil_from_container',
      'tc ingress',
      dev,
      p.ip.repr,
      srcIdentity,
      local,
      cache,
    );
    if (local && natedReply(dp, netns, p.ipBytes)) {
      // Cilium's CT knows the flow came in from the host (kube-proxy's DNAT): the reply goes back up the stack to be un-NATed.
      record(dp, netns, dev, frame, { ...base, verdict: 'stack', natReply: true }, touched);
      return 'ok';
    }
    if (local) {
      record(
        dp,
        netns,
        dev,
        frame,
        {
          ...base,
          verdict: 'local',
          endpoint: local.id,
          lxc: ns.ifaces.find((i) => i.ifindex === local.ifindex)?.name,
        },
        touched,
      );
      localDelivery(dp, netns, dev, 'cil_from_container', local, p.ipBytes);
      return 'stolen';
    }
    if (intoTunnel(dp, netns, dev, frame, { cache, srcIdentity, base, touched })) return 'stolen';
    record(dp, netns, dev, frame, { ...base, verdict: 'stack' }, touched);
    return 'ok';
  };

  const toOverlay: TcProgram = (dp, netns, dev, frame) => {
    const p = parseFrame(frame);
    if (!p.ip) return 'ok';
    const maps = mapsOf(dp, netns);
    const { srcAddr: src, dstAddr: dst, ttl } = p.ip.repr;
    const srcIdentity = (maps && podEndpoint(maps, src)?.secId) ?? WORLD;
    record(
      dp,
      netns,
      dev,
      frame,
      {
        type: 'cilium.bpf',
        prog: 'cil_to_overlay',
        hook: 'tc egress',
        dev,
        who: dp.label(netns),
        src,
        dst,
        srcIdentity,
        ttl,
        verdict: 'pass',
      },
      [],
    );
    return 'ok';
  };

  const fromOverlay: TcProgram = (dp, netns, dev, frame, tunnel) => {
    const maps = mapsOf(dp, netns);
    const p = parseFrame(frame);
    if (!maps || !p.ip || !p.ipBytes) return 'ok';
    const { srcAddr: src, dstAddr: dst, ttl } = p.ip.repr;
    const local = podEndpoint(maps, dst);
    const ns = dp.world.netns(netns);
    const facts = {
      type: 'cilium.bpf' as const,
      prog: 'cil_from_overlay',
      hook: 'tc ingress',
      dev,
      who: dp.label(netns),
      src,
      dst,
      // The sender's identity comes from the VNI (the tunnel key), not from the ipcache.
      srcIdentity: tunnel?.vni ?? WORLD,
      dstIdentity: local?.secId ?? WORLD,
      ttl,
      ...(tunnel ? { remote: tunnel.remote, vni: tunnel.vni } : {}),
    };
    const touched: TableRef[] = [{ table: 'bpf-endpoint', netns, key: dst, change: 'read' }];
    if (!local || natedReply(dp, netns, p.ipBytes)) {
      record(dp, netns, dev, frame, { ...facts, verdict: 'stack' }, touched);
      return 'ok';
    }
    const lxc = ns.ifaces.find((i) => i.ifindex === local.ifindex)?.name;
    record(dp, netns, dev, frame, { ...facts, verdict: 'local', endpoint: local.id, lxc }, touched);
    localDelivery(dp, netns, dev, 'cil_from_overlay', local, p.ipBytes);
    return 'stolen';
  };

  const fromNetdev: TcProgram = (dp, netns, dev, frame) => {
    const maps = mapsOf(dp, netns);
    const p = parseFrame(frame);
    if (!maps || !p.ip || !p.ipBytes) return 'ok';
    const { srcAddr: src, dstAddr: dst, ttl } = p.ip.repr;
    const local = podEndpoint(maps, dst);
    if (!local) return 'ok'; // for the host itself: up the stack, nothing to show
    if (natedReply(dp, netns, p.ipBytes)) return 'ok'; // kube-proxy's flow: conntrack un-NATs it first
    const ns = dp.world.netns(netns);
    const cache = ipcacheLookup(maps.ipcache, src);
    const lxc = ns.ifaces.find((i) => i.ifindex === local.ifindex)?.name;
    record(
      dp,
      netns,
      dev,
      frame,
      {
        type: 'cilium.bpf',
        prog: 'cil_from_netdev',
        hook: 'tc ingress',
        dev,
        who: dp.label(netns),
        src,
        dst,
        srcIdentity: cache?.identity ?? WORLD,
        dstIdentity: local.secId ?? WORLD,
        ttl,
        verdict: 'local',
        endpoint: local.id,
        lxc,
      },
      [
        { table: 'bpf-endpoint', netns, key: dst, change: 'read' },
        ...(cache
          ? [{ table: 'bpf-ipcache' as const, netns, key: cache.prefix, change: 'read' as const }]
          : []),
      ],
    );
    localDelivery(dp, netns, dev, 'cil_from_netdev', local, p.ipBytes);
    return 'stolen';
  };

  /**
   * cil_from_host at tc egress of cilium_host: what the host stack routes to a
   * pod CIDR (via the router IP on cilium_host) — a Service packet kube-proxy
   * DNATed, the node's own traffic — goes to the local endpoint's lxc or, in
   * tunnel mode, into cilium_vxlan, instead of out to cilium_net.
   */
  const fromHost: TcProgram = (dp, netns, dev, frame) => {
    const maps = mapsOf(dp, netns);
    const p = parseFrame(frame);
    if (!maps || !p.ip || !p.ipBytes) return 'ok';
    const { srcAddr: src, dstAddr: dst } = p.ip.repr;
    const { local, cache, touched } = lookUp(maps, netns, dst, dst);
    const ns = dp.world.netns(netns);
    const srcIdentity =
      podEndpoint(maps, src)?.secId ?? ipcacheLookup(maps.ipcache, src)?.identity ?? WORLD;
    const base = verdict(
      dp,
      netns,
      'cil_from_host',
      'tc egress',
      dev,
      p.ip.repr,
      srcIdentity,
      local,
      cache,
    );
    if (local) {
      const lxc = ns.ifaces.find((i) => i.ifindex === local.ifindex)?.name;
      record(
        dp,
        netns,
        dev,
        frame,
        { ...base, verdict: 'local', endpoint: local.id, lxc },
        touched,
      );
      localDelivery(dp, netns, dev, 'cil_from_host', local, p.ipBytes);
      return 'stolen';
    }
    if (intoTunnel(dp, netns, dev, frame, { cache, srcIdentity, base, touched })) return 'stolen';
    return 'ok';
  };

  return (netns, dev) => {
    if (!o.isNode(netns)) return undefined;
    if (dev === 'cilium_host') return { egress: fromHost };
    if (dev.startsWith('lxc')) return { ingress: fromContainer };
    if (dev === 'cilium_vxlan') return { ingress: fromOverlay, egress: toOverlay };
    if (dev === 'eth0' && o.mode === 'native') return { ingress: fromNetdev };
    return undefined;
  };
}
