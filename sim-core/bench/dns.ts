/**
 * `bench.ts dns`: the DNS scenario at the Services issue's size (issue 7:
 * "reports the DNS scenario at 2,000 Services"): the Services cluster (50
 * nodes, 2,500 pods, 2,000 ClusterIP Services, kube-proxy iptables) with
 * CoreDNS (kubeadm's add-on, 2 replicas) and an upstream resolver, and a few
 * lookups on the path: getaddrinfo for a Service (the search list's first
 * name answers), for example.com (the whole ndots walk, then forward), dig
 * A, SRV and a cached example.com, and nc to a Service by name. Reported:
 * the whole simulation, the queries the trace carries, what one query costs
 * CoreDNS (the kubernetes plugin's lookups over the final objects, index
 * warm), the plugin's index build over 2,000 Services and their slices (the
 * informers' indexes, rebuilt when the objects change), and `kubewire dig`
 * at the last step.
 */
import type { Simulation } from '../api.ts';
import { createRng } from '../engine/rng.ts';
import { clusterIndex } from '../dns/index-view.ts';
import { createCoreDns } from '../dns/server.ts';
import { EPOCH_SECONDS } from '../dataplane/transport.ts';
import { buildQuery } from '../programs/dns-message.ts';
import { digAtStep } from '../programs/dig-offline.ts';
import { createSimulation } from '../simulation.ts';
import { loadScenario } from '../scenario/load.ts';
import { serviceName, servicesScenario } from './services-scenario.ts';
import { SERVICES_CLUSTER } from './services.ts';
import { heapUsed, median, mib, ms, num, table, time, us } from './measure.ts';

const LOOKUPS = [
  `resolve: {from: client, name: ${serviceName(1999)}}`,
  'resolve: {from: client, name: example.com}',
  `dig: {from: client, name: ${serviceName(7)}.default.svc.cluster.local}`,
  `dig: {from: client, name: _http._tcp.${serviceName(3)}.default.svc.cluster.local, type: SRV}`,
  'dig: {from: client, name: example.com}',
  `connect: {from: client, to: ${serviceName(1000)}, port: 80, data: "GET / HTTP/1.0\\r\\n\\r\\n", close: true}`,
];

function simulated(text: string): Simulation {
  const r = createSimulation(text);
  if (!r.ok) throw new Error(JSON.stringify(r.errors.slice(0, 3)));
  return r.sim;
}

export function benchDns(opts: { runs?: number; cluster?: typeof SERVICES_CLUSTER } = {}): void {
  const runs = opts.runs ?? 3;
  const c = opts.cluster ?? SERVICES_CLUSTER;
  const text = servicesScenario({
    ...c,
    mode: 'iptables',
    targets: [],
    dns: { actions: LOOKUPS },
  });
  const load = time(runs, () => loadScenario(text));
  const before = heapUsed();
  const sim = time(runs, () => simulated(text));
  const heap = heapUsed() - before;
  const s = sim.value;
  const queries = s.steps.filter((x) => x.facts.type === 'resolver.answer').length;

  // One query's cost inside CoreDNS, over the objects the simulation ended with.
  const end = s.stateAt(s.steps.length - 1);
  const view = {
    clusterDomain: 'cluster.local',
    services: end.api.services,
    endpointSlices: end.api.endpointSlices,
    namespaces: s.scenario.namespaces,
    serial: EPOCH_SECONDS,
  };
  const coredns = createCoreDns({
    rng: createRng(1).fork('bench-dns'),
    clusterDomain: 'cluster.local',
  });
  const asked = Array.from({ length: c.services }, (_, j) =>
    buildQuery({
      id: j & 0xffff,
      name: `${serviceName(j)}.default.svc.cluster.local`,
      qtype: j % 2 ? 'A' : 'SRV',
    }),
  );
  coredns.handle(asked[0], 0, view); // the index, built once for these arrays
  const perQuery = time(runs, () => {
    for (const q of asked) coredns.handle(q, 0, view);
  });
  // The informers' indexes over fresh arrays (what a changed Service or slice costs).
  const index = time(runs, () =>
    clusterIndex({
      ...view,
      services: [...view.services],
      endpointSlices: [...view.endpointSlices],
    }),
  );
  const dig = time(runs, () =>
    digAtStep(s, {
      name: `${serviceName(1999)}.default.svc.cluster.local`,
      qtype: 'A',
      at: s.steps.length - 1,
      args: `${serviceName(1999)}.default.svc.cluster.local`,
    }),
  );
  console.log(
    [
      '',
      `DNS: the Services cluster (${c.nodes} nodes, ${num(c.deployments * c.replicas)} pods, ${num(c.services)} Services, iptables) with CoreDNS × 2 and ${LOOKUPS.length} lookups`,
      table(
        [
          'load+validate',
          'simulate (CPU)',
          'steps',
          'heap for the trace',
          'DNS queries on the path',
          'CoreDNS per query (A/SRV; CPU)',
          'kubernetes plugin index build',
          'kubewire dig at the end',
        ],
        [
          [
            ms(load.ms),
            `${ms(sim.ms)} (${ms(median(sim.cpu))})`,
            num(s.steps.length),
            mib(heap),
            num(queries),
            `${us((perQuery.ms * 1000) / asked.length)} (${us((median(perQuery.cpu) * 1000) / asked.length)})`,
            `${ms(index.ms)} (${num(index.value.services.size)} Services, ${num(view.endpointSlices.length)} slices)`,
            ms(dig.ms),
          ],
        ],
      ),
      '  CoreDNS per query: handle() for each of the Services by name, index warm, answer encoded;',
      '  the index build: Services by name and by ClusterIP, endpoints by Service and by address, from fresh arrays;',
      '  CPU: the process’s user + system time, steadier than wall-clock on a shared machine',
    ].join('\n'),
  );
}
