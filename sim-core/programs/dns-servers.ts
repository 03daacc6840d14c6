/**
 * The DNS servers behind UDP port 53: CoreDNS in each coredns pod, and the
 * resolver on a host of spec.hosts that has `dns` records.
 *
 * CoreDNS reads a query from its socket bound to 0.0.0.0:53 and answers it
 * with sendto() to the address it came from: the reply's source is the pod's
 * own IP, and conntrack on the client's node, which DNATed the query,
 * rewrites it back to the kube-dns address. A name outside the cluster goes
 * through `forward . /etc/resolv.conf`: CoreDNS's own connected socket to
 * the node's nameserver (dnsPolicy Default), kept open for later queries as
 * forward's connection pool keeps it, and the upstream's answer is relayed.
 */
import type { Rng } from '../engine/rng.ts';
import type { Fact } from '../narration/facts.ts';
import type { Dataplane } from '../dataplane/types.ts';
import type { World } from '../dataplane/world.ts';
import { PROGRAM_WAKEUP_US } from '../dataplane/tcp-program.ts';
import {
  udpConnect,
  udpSendTo,
  udpWrite,
  type Datagram,
  type UdpProgram,
} from '../dataplane/udp-program.ts';
import { EPOCH_SECONDS } from '../dataplane/transport.ts';
import type { Socket } from '../model.ts';
import { DNS_SERVER_OWNER } from '../k8s/external-host.ts';
import { DNS_LABELS } from '../k8s/coredns-addon.ts';
import type { LoadedScenario } from '../scenario/types.ts';
import type { DnsRecordFact } from '../narration/dns-path.ts';
import type { DnsEngine, DnsView } from './dns-engine.ts';
import { answerFromRecords, readMessage, type MessageView } from './dns-message.ts';
import { createCoreDns } from '../dns/server.ts';
import type { CacheItem, CacheStore } from '../dns/cache.ts';
import { hamtEmpty, hamtEntries, hamtGet, hamtSet } from '../engine/hamt.ts';

const records = (v: MessageView | undefined): DnsRecordFact[] =>
  (v?.answers ?? []).map((a) => ({ name: a.name, type: a.type, ttl: a.ttl, data: a.data }));

/** CoreDNS answers a moment after the kernel wakes it, like any program. */
const SERVER_DELAY_US = PROGRAM_WAKEUP_US;

interface CoreDnsPod {
  readonly engine: DnsEngine;
  upstream?: Socket;
  /** forward's upstream query ID → the engine's forward and the client to answer. */
  readonly forwards: Map<number, { forwardId: number; client: Datagram }>;
}

export function dnsServers(
  dp: Dataplane,
  loaded: LoadedScenario,
  rng: Rng,
): (netns: string, sock: Socket) => UdpProgram | undefined {
  const { cluster } = loaded;
  const upstream = cluster.hosts.find((h) => h.name === cluster.dns?.upstream);
  const corednsPods = new Set(
    loaded.pods
      .filter((p) => p.namespace === 'kube-system' && p.labels['k8s-app'] === DNS_LABELS['k8s-app'])
      .map((p) => `${p.namespace}/${p.name}`),
  );
  const pods = new Map<string, CoreDnsPod>();
  const world: World = dp.world;

  const view = (podIp: string): DnsView => ({
    clusterDomain: cluster.clusterDomain,
    services: world.api.services,
    endpointSlices: world.api.endpointSlices,
    namespaces: loaded.namespaces,
    serial: EPOCH_SECONDS,
    localIPs: [podIp],
  });

  const podOf = (key: string, netns: string): CoreDnsPod => {
    let p = pods.get(key);
    if (!p) {
      const engine: DnsEngine = createCoreDns({
        rng: rng.fork(`coredns/${key}`),
        clusterDomain: cluster.clusterDomain,
        ...(upstream ? { upstream: `${upstream.ip}:53` } : {}),
        cacheStore: netnsCacheStore(world, netns),
      });
      p = { engine, forwards: new Map() };
      pods.set(key, p);
    }
    return p;
  };

  const reply = (
    key: string,
    client: Datagram,
    response: Uint8Array,
    forwarded: boolean,
    answer?: Fact,
  ) => {
    const v = readMessage(response);
    udpSendTo(
      dp,
      client.netns,
      { addr: client.dst, port: client.dstPort },
      client.src,
      client.srcPort,
      response,
      {
        type: 'coredns.reply',
        pod: key,
        client: `${client.src}:${client.srcPort}`,
        qname: v?.qname ?? '',
        qtype: v?.qtype ?? '',
        rcode: v?.rcode ?? '',
        answers: records(v),
        forwarded,
        ...(answer ? { answer } : {}),
      },
    );
  };

  const coredns =
    (key: string): UdpProgram =>
    (_dp, d) =>
      dp.at(SERVER_DELAY_US, () => {
        const pod = podOf(key, d.netns);
        const r = pod.engine.handle(d.payload, world.timeUs, view(d.dst));
        if (r.kind === 'drop') return;
        if (r.kind === 'reply') return reply(key, d, r.response, false, r.facts);
        if (!upstream) {
          // No nameserver in the node's resolv.conf: forward has nowhere to go.
          return reply(key, d, servfail(d.payload), false);
        }
        if (!pod.upstream) {
          pod.upstream = udpConnect(dp, d.netns, d.dst, upstream.ip, 53, 'coredns', (_x, back) => {
            const m = readMessage(back.payload);
            const f = m && pod.forwards.get(m.id);
            if (!f) return;
            pod.forwards.delete(m.id);
            dp.at(SERVER_DELAY_US, () => {
              const out = pod.engine.upstreamReply(f.forwardId, back.payload, world.timeUs);
              reply(key, f.client, out.response, true, out.facts);
            });
          });
        }
        const q = readMessage(r.query);
        pod.forwards.set(q?.id ?? 0, { forwardId: r.forwardId, client: d });
        udpWrite(dp, d.netns, pod.upstream, r.query, {
          type: 'coredns.forward',
          pod: key,
          qname: q?.qname ?? '',
          qtype: q?.qtype ?? '',
          upstream: `${upstream.ip}:53`,
          socket: `${pod.upstream.localAddr}:${pod.upstream.localPort}`,
          ...(r.facts ? { answer: r.facts } : {}),
        });
      });

  const hostServer =
    (name: string, table: Readonly<Record<string, readonly string[]>>): UdpProgram =>
    (_dp, d) =>
      dp.at(SERVER_DELAY_US, () => {
        const a = answerFromRecords(d.payload, table);
        if (!a) return;
        udpSendTo(dp, d.netns, { addr: d.dst, port: 53 }, d.src, d.srcPort, a.response, {
          type: 'dns.upstream-answer',
          host: name,
          qname: a.view.qname,
          qtype: a.view.qtype,
          rcode: a.view.rcode,
          answers: records(a.view),
          client: `${d.src}:${d.srcPort}`,
        });
      });

  return (netnsId, sock) => {
    if (sock.localPort !== 53 || sock.peerAddr) return undefined;
    const ns = world.findNetns(netnsId);
    if (!ns) return undefined;
    if (ns.kind === 'external') {
      const host = cluster.hosts.find((h) => h.name === netnsId);
      return host?.dns && sock.owner === DNS_SERVER_OWNER
        ? hostServer(host.name, host.dns)
        : undefined;
    }
    return ns.pod && corednsPods.has(ns.pod) ? coredns(ns.pod) : undefined;
  };
}

/** The cache plugin's entries kept in the CoreDNS pod's netns (Netns.dnsCache), one version per step. */
export function netnsCacheStore(world: World, netns: string): CacheStore {
  const table = () => world.findNetns(netns)?.dnsCache ?? hamtEmpty<CacheItem>();
  return {
    get: (k) => hamtGet(table(), k),
    set: (k, item) =>
      world.updateNetns(netns, (ns) => ({ ...ns, dnsCache: hamtSet(table(), k, item) })),
    entries: () => hamtEntries(table()),
    get size() {
      return table().size;
    },
  };
}

/** SERVFAIL for a query (forward with no upstream). */
function servfail(query: Uint8Array): Uint8Array {
  const out = query.slice();
  // QR set, opcode and RD kept, RA set; rcode 2.
  out[2] = 0x80 | (query[2] & 0x79);
  out[3] = 0x80 | 2;
  return out;
}
