/**
 * `kubewire dig`: dig run in a pod at a step, answered without sending a
 * packet. The query is the one the path's dig writes (RD, AD, EDNS0 1232
 * with a COOKIE); the pod's /etc/resolv.conf names the server (unless
 * @SERVER); the answer comes from the same CoreDNS (sim-core/dns) over the
 * snapshot's API objects, with the answering pod's cache as the step left it
 * (Netns.dnsCache), and a forward goes to the upstream host's records as on
 * the path. What is printed is BIND 9.18's dig output (format/dig.ts).
 *
 * Which CoreDNS pod answers a query to the kube-dns address is kube-proxy's
 * random choice on the path; here it is the pod that answered the trace's
 * last query before the step, else the first ready endpoint of kube-dns.
 * `loadbalance` shuffles from a stream of its own, so a headless Service's
 * addresses may come in another order than the trace's (as two real digs do).
 */
import type { Simulation } from '../api.ts';
import { createRng } from '../engine/rng.ts';
import { hamtEmpty, hamtEntries, hamtGet, hamtSet, type Hamt } from '../engine/hamt.ts';
import type { CacheItem, CacheStore } from '../dns/cache.ts';
import { createCoreDns } from '../dns/server.ts';
import { EPOCH_SECONDS } from '../dataplane/transport.ts';
import { DIG_VERSION, formatDig } from '../format/dig.ts';
import { DNS_LABELS, DNS_NAMESPACE, DNS_SERVICE } from '../k8s/coredns-addon.ts';
import { podResolvConf, resolverOptions } from '../k8s/resolv-conf.ts';
import type { Snapshot } from '../model.ts';
import type { PodSpec } from '../scenario/types.ts';
import { answerFromRecords, buildQuery, readMessage } from './dns-message.ts';
import { searchCandidates } from './resolver.ts';

export interface DigCliRequest {
  readonly name: string;
  readonly qtype: string;
  /** "ns/name" or "name" (namespace default); the first workload pod when absent. */
  readonly from?: string;
  readonly server?: string;
  /** @SERVER written before the name: dig then says "(1 server found)". */
  readonly serverFirst?: boolean;
  readonly search?: boolean;
  /** The step whose state answers (-1: before the first). */
  readonly at: number;
  /** What follows `dig` on the command line, as dig echoes it. */
  readonly args: string;
}

export type DigCliResult =
  | { readonly ok: true; readonly out: string; readonly code: 0 | 9 }
  | { readonly ok: false; readonly error: string };

const SYSTEM_NAMESPACES = new Set([DNS_NAMESPACE, 'ingress-nginx']);

/** The pod `--from` names, or the first pod of the file outside the add-ons' namespaces. */
export function digPod(sim: Simulation, from?: string): PodSpec | string {
  const pods = sim.scenario.pods;
  if (from === undefined)
    return (
      pods.find((p) => !SYSTEM_NAMESPACES.has(p.namespace)) ?? pods[0] ?? 'the scenario has no pod'
    );
  const [ns, name] = from.includes('/') ? from.split('/', 2) : ['default', from];
  return (
    pods.find((p) => p.namespace === ns && p.name === name) ??
    `no pod "${ns}/${name}" (pods: ${pods.map((p) => `${p.namespace}/${p.name}`).join(', ')})`
  );
}

/** A copy-on-write view of a snapshot's cache: the CLI's query may store, the trace's state stays. */
function snapshotStore(table: Hamt<CacheItem> | undefined): CacheStore {
  let t = table ?? hamtEmpty<CacheItem>();
  return {
    get: (k) => hamtGet(t, k),
    set: (k, v) => void (t = hamtSet(t, k, v)),
    entries: () => hamtEntries(t),
    get size() {
      return t.size;
    },
  };
}

/** The CoreDNS pod that answered the trace's last query up to `at` (a coredns.reply fact). */
function lastAnswering(sim: Simulation, at: number): string | undefined {
  const find = (o: unknown, depth: number): string | undefined => {
    if (!o || typeof o !== 'object' || depth > 4) return undefined;
    const f = o as { type?: string; pod?: string };
    if (f.type === 'coredns.reply' && typeof f.pod === 'string') return f.pod;
    for (const v of Object.values(o)) {
      const hit = find(v, depth + 1);
      if (hit) return hit;
    }
    return undefined;
  };
  for (let i = Math.min(at, sim.steps.length - 1); i >= 0; i--) {
    const pod = find(sim.steps[i].facts, 0);
    if (pod) return pod;
  }
  return undefined;
}

interface Answerer {
  (query: Uint8Array): Uint8Array | 'timeout' | 'refused';
}

/** Who answers a datagram to server:53 in this snapshot. */
function answerer(sim: Simulation, snap: Snapshot, at: number, server: string): Answerer {
  const { cluster } = sim.scenario;
  const hosts = cluster.hosts;
  const host = hosts.find((h) => h.ip === server);
  if (host) return (q) => (host.dns ? answerFromRecords(q, host.dns)!.response : 'refused');
  const running = snap.pods.filter(
    (p) =>
      p.namespace === DNS_NAMESPACE &&
      p.phase === 'Running' &&
      p.ip &&
      !p.unready &&
      !p.deletion &&
      sim.scenario.pods.some(
        (s) =>
          s.namespace === p.namespace &&
          s.name === p.name &&
          s.labels['k8s-app'] === DNS_LABELS['k8s-app'],
      ),
  );
  const kubeDns = snap.api.services.find(
    (s) => s.metadata.namespace === DNS_NAMESPACE && s.metadata.name === DNS_SERVICE,
  );
  let pod = running.find((p) => p.ip === server);
  if (!pod && kubeDns && kubeDns.spec.clusterIP === server) {
    const last = lastAnswering(sim, at);
    pod = running.find((p) => `${p.namespace}/${p.name}` === last) ?? running[0];
    // A Service without endpoints: kube-proxy's REJECT answers port unreachable.
    if (!pod) return () => 'refused';
  }
  if (!pod) return () => 'timeout';
  const ns = snap.netnsById(pod.netns);
  const upstream = hosts.find((h) => h.name === cluster.dns?.upstream);
  const engine = createCoreDns({
    rng: createRng(cluster.seed).fork(`cli-dig/coredns/${pod.namespace}/${pod.name}`),
    clusterDomain: cluster.clusterDomain,
    ...(upstream ? { upstream: `${upstream.ip}:53` } : {}),
    cacheStore: snapshotStore(ns?.dnsCache),
  });
  const view = {
    clusterDomain: cluster.clusterDomain,
    services: snap.api.services,
    endpointSlices: snap.api.endpointSlices,
    namespaces: sim.scenario.namespaces,
    serial: EPOCH_SECONDS,
    localIPs: [pod.ip!],
  };
  return (q) => {
    const r = engine.handle(q, snap.timeUs, view);
    if (r.kind === 'drop') return 'timeout';
    if (r.kind === 'reply') return r.response;
    const back = upstream?.dns ? answerFromRecords(r.query, upstream.dns) : undefined;
    // No upstream to forward to: forward's SERVFAIL, as the path gives it.
    if (!back) return servfail(q);
    return engine.upstreamReply(r.forwardId, back.response, snap.timeUs).response;
  };
}

function servfail(query: Uint8Array): Uint8Array {
  const out = query.slice();
  out[2] = 0x80 | (query[2] & 0x79);
  out[3] = 0x80 | 2;
  return out;
}

/** dig's three tries (+tries=3) each failing, timed out or refused, then its summary: what 9.18 prints, exit 9. */
function unreachable(req: DigCliRequest, server: string, why: 'timeout' | 'refused'): string {
  const line = `;; communications error to ${server}#53: ${why === 'timeout' ? 'timed out' : 'connection refused'}`;
  const tries = [line, line, line];
  return [
    ...tries,
    '',
    `; <<>> DiG ${DIG_VERSION} <<>> ${req.args}`,
    ...(req.serverFirst ? ['; (1 server found)'] : []),
    ';; global options: +cmd',
    ';; no servers could be reached',
    '',
  ].join('\n');
}

export function digAtStep(sim: Simulation, req: DigCliRequest): DigCliResult {
  const spec = digPod(sim, req.from);
  if (typeof spec === 'string') return { ok: false, error: spec };
  const key = `${spec.namespace}/${spec.name}`;
  const snap = sim.stateAt(req.at);
  const status = snap.pods.find((p) => p.namespace === spec.namespace && p.name === spec.name);
  if (!status || status.phase !== 'Running' || !status.ip || !snap.netnsById(status.netns))
    return {
      ok: false,
      error: `pod ${key} is not running at step ${req.at} (${status?.phase ?? 'not created yet'})`,
    };
  const resolv = podResolvConf(spec, sim.scenario.cluster);
  const server = req.server ?? resolv.nameservers[0] ?? '127.0.0.1';
  const rng = createRng(sim.scenario.cluster.seed).fork(`cli-dig/${key}`);
  const candidates = req.search
    ? searchCandidates(req.name, resolv.searches, resolverOptions(resolv).ndots).map((c) => c.qname)
    : [req.name.endsWith('.') ? req.name : `${req.name}.`];
  const ask = answerer(sim, snap, req.at, server);
  for (const [i, qname] of candidates.entries()) {
    const cookie = new Uint8Array(8).map(() => rng.int(0, 255));
    const query = buildQuery({
      id: rng.int(0, 0xffff),
      name: qname,
      qtype: req.qtype,
      dig: { cookie },
    });
    const reply = ask(query);
    if (reply === 'timeout' || reply === 'refused')
      return { ok: true, out: unreachable(req, server, reply), code: 9 };
    // dig +search moves on only past NXDOMAIN (as the path's dig does).
    if (readMessage(reply)?.rcode === 'NXDOMAIN' && i + 1 < candidates.length) continue;
    const out = formatDig({
      args: req.args,
      query,
      reply,
      server,
      ...(req.serverFirst ? { serverGiven: true } : {}),
      queryTimeMs: 0,
      whenMs: EPOCH_SECONDS * 1000 + Math.floor(snap.timeUs / 1000),
    });
    return { ok: true, out, code: 0 };
  }
  throw new Error('dig: no name to ask');
}
