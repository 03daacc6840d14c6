/**
 * createSimulation: scenario text in, a finished trace out. Loads and
 * validates the file, builds every node as kubeadm + flannel leave it, starts
 * the pods (sandbox, CNI ADD, containers), then plays the Scenario's actions
 * one after another on the discrete-event engine. Everything random comes
 * from the Cluster's seed.
 */
import type { SimulationResult, Simulation, SimulationOptions } from './api.ts';
import { createRng } from './engine/rng.ts';
import { createKernel, runEvents, type Kernel } from './dataplane/kernel.ts';
import { iptablesHooks } from './dataplane/ipt-hooks.ts';
import { EMPTY_NETFILTER, TABLE_NAMES, parseIptablesRestore } from './dataplane/netfilter/index.ts';
import type { NetfilterState, TableName } from './dataplane/netfilter/index.ts';
import type { Dataplane } from './dataplane/types.ts';
import type { Transport } from './dataplane/transport.ts';
import { StepLimitExceeded, World } from './dataplane/world.ts';
import { iface } from './dataplane/types.ts';
import type { ContainerStatus } from './model.ts';
import { installIpvs, ipsetsOf, ipvsStateOf } from './dataplane/ipvs/install.ts';
import type { IpvsSync } from './k8s/kube-proxy/ipvs/index.ts';
import { isLocalAddress, isLoopback } from './dataplane/addresses.ts';
import { PROGRAM_WAKEUP_US } from './dataplane/tcp-program.ts';

const LOOPBACK_MTU = 65536;
import { createCni, type CniPlugin } from './k8s/cni/index.ts';
import { createCiliumLb } from './k8s/cni/cilium-lb.ts';
import {
  crashContainer,
  podKey,
  setReadiness,
  startPod,
  type KubeletContext,
} from './k8s/kubelet.ts';
import { deletePodGracefully, type TerminationHost } from './k8s/termination.ts';
import { workloadFaults } from './k8s/workload-faults.ts';
import { kubectlName } from './scenario/refs.ts';
import { underlayNetns } from './k8s/underlay.ts';
import { externalNetns } from './k8s/external-host.ts';
import {
  announceLoadBalancers,
  publishServices,
  syncEndpointSlices,
  syncKubeProxy,
  type ControlPlane,
} from './k8s/control-plane.ts';
import { loadScenario, parseTarget } from './scenario/index.ts';
import { lineEnds } from './scenario/load.ts';
import { withModes, type ModeTarget } from './scenario/modes.ts';
import { checkLimits, SCENARIO_LIMITS, stepLimitError } from './scenario/limits.ts';
import type { Action, Diagnostic, LoadResult, LoadedScenario, PodSpec } from './scenario/types.ts';
import { decodeFrame, summarizeFrame } from './wire/describe.ts';
import { simulationOf } from './transfer.ts';
import { curlCannotResolve, curlLooksUp, playHttp, type HttpPlay } from './apps/play-http.ts';
import { podServers } from './apps/servers.ts';
import { setUdpServers } from './dataplane/udp-program.ts';
import { dnsServers } from './programs/dns-servers.ts';
import { dnsNameOf, playDnsAction, resolveThen } from './programs/dns-play.ts';
import { ingressServers } from './apps/ingress-wiring.ts';

/** Traffic starts one second after the pods are up; actions are a quarter second apart. */
const FIRST_ACTION_US = 1_000_000;
const ACTION_GAP_US = 250_000;
/** An informer's event reaching a controller, and a controller's write reaching the API server. */
const CONTROLLER_DELAY_US = 2_000;
/** kube-proxy's --iptables-min-sync-period: 1 s between syncs. */
const KUBE_PROXY_MIN_SYNC_US = 1_000_000;

function unsupported(text: string, loaded: LoadedScenario): Diagnostic[] {
  const { plugin, mode } = loaded.cluster.cni;
  if (plugin === 'flannel' || plugin === 'calico' || plugin === 'cilium') return [];
  // The loader keeps no position for cni; point at the first `plugin:` key.
  const lines = text.split('\n');
  const line = Math.max(
    0,
    lines.findIndex((l) => /^\s*(cni:.*)?plugin:/.test(l) || /plugin:\s*\w/.test(l)),
  );
  return [
    {
      line: line + 1,
      column: Math.max(1, lines[line]?.indexOf('plugin') + 1),
      message: `cni ${plugin}/${mode} is not simulated yet by this version of Kubewire; use plugin: flannel (mode vxlan or host-gw)`,
      path: 'spec.cni.plugin',
    },
  ];
}

function createWorld(loaded: LoadedScenario, cni: CniPlugin): World {
  const nodes = loaded.cluster.nodes.map((n) => ({
    name: n.name,
    ip: n.ip,
    podCIDR: n.podCIDR,
    ipam: [],
    ...cni.initialNode?.(n),
  }));
  const netns = [
    ...loaded.cluster.nodes.map((n) => cni.hostNetns(n)),
    underlayNetns(loaded.cluster),
    ...loaded.cluster.hosts.map((h) => externalNetns(loaded.cluster, h)),
  ];
  return new World(nodes, netns, { layers: decodeFrame, summary: summarizeFrame });
}

/** Every check made before the first step (the loader's and the simulator's), without simulating. */
export function checkScenario(text: string, modes?: ModeTarget): CheckResult {
  const loaded = loadScenario(text);
  if (!loaded.ok) return loaded;
  // Compare mode: the same file under another mode, checked as if it had been written so.
  const result = modes ? { ...loaded, scenario: withModes(loaded.scenario, modes) } : loaded;
  const errors = [...unsupported(lineEnds(text), result.scenario), ...checkLimits(result.scenario)];
  return errors.length ? { ok: false, errors, warnings: result.warnings } : result;
}

/** The loader's result and the simulator's own checks: warnings never refuse a file (MAN10). */
export type CheckResult = LoadResult;

/** Steps recorded between two progress reports (and one at every pod started and action). */
const PROGRESS_STEPS = 256;

export function createSimulation(text: string, options: SimulationOptions = {}): SimulationResult {
  const checked = checkScenario(text, options.modes);
  if (!checked.ok) return checked;
  try {
    return simulate(checked, options);
  } catch (e) {
    // The trace so far is dropped with the world that held it.
    if (e instanceof StepLimitExceeded)
      return {
        ok: false,
        errors: [stepLimitError(checked.scenario, e)],
        warnings: checked.warnings,
      };
    throw e;
  }
}

function simulate(
  checked: Extract<CheckResult, { ok: true }>,
  options: SimulationOptions,
): SimulationResult {
  const loaded = checked.scenario;
  const rng = createRng(loaded.cluster.seed);
  const cni = createCni(loaded.cluster);
  const world = createWorld(loaded, cni);
  // Cilium's kube-proxy replacement: no kube-proxy; the agent's service map and cil_sock4_connect.
  const sockLb = loaded.cluster.cni.kubeProxyReplacement
    ? createCiliumLb(rng.fork('cilium-lb'))
    : undefined;
  // Progress only reports: nothing it does feeds back into the trace.
  const { onProgress } = options;
  const actionsTotal = loaded.scenario.actions.length;
  const podsTotal = loaded.pods.length;
  let actionsDone = 0;
  let podsStarted = 0;
  const report = onProgress
    ? () =>
        onProgress({
          steps: world.steps.length,
          actions: actionsDone,
          actionsTotal,
          pods: podsStarted,
          podsTotal,
        })
    : undefined;
  if (report) world.onRecord(PROGRESS_STEPS, report);
  world.stepLimit = SCENARIO_LIMITS.steps;
  const specs = new Map(loaded.pods.map((p) => [podKey(p), p]));
  const netnsPod = (netnsId: string) => {
    const key = world.findNetns(netnsId)?.pod;
    return key ? specs.get(key) : undefined;
  };
  const kernel = createKernel({
    world,
    rng: rng.fork('net'),
    vxlanSeed: rng.fork('boot').u32(),
    ipIdRng: rng.fork('ip-id'),
    hooks: {
      listener(netnsId, port) {
        const host = loaded.cluster.hosts.find((h) => h.name === netnsId);
        if (host) return host.listen?.includes(port) ? 'server' : undefined;
        return netnsPod(netnsId)?.containers.find((c) =>
          c.ports.some((p) => p.containerPort === port && p.protocol === 'TCP'),
        )?.name;
      },
      server: (netnsId, local, peer, first) => servers(netnsId, local, peer, first),
      // A local destination (127.0.0.0/8 or one of our own addresses) is reached through lo.
      mtu: (netnsId, dst) => {
        const ns = world.findNetns(netnsId);
        return ns && isLocalAddress(ns, dst) ? LOOPBACK_MTU : cni.podMtu;
      },
    },
    tc: cni.tc ? (netns, dev) => cni.tc!(netns, dev) : undefined,
    ...(sockLb ? { connect4: sockLb.connect4 } : {}),
    label(id) {
      const ns = world.findNetns(id);
      if (!ns) return id;
      if (ns.kind === 'host') return ns.node;
      if (ns.kind === 'network') return 'the node network';
      if (ns.kind === 'external') return `host ${ns.node}`;
      const [namespace, name] = ns.pod!.split('/');
      const shown = namespace === 'default' ? name : ns.pod!;
      return /^pod\b/i.test(name) ? shown : `pod ${shown}`;
    },
  });
  const { dp, transport } = kernel;
  const ingress = ingressServers(loaded, () => dp, transport, rng.fork('ingress'), netnsPod);
  const servers = podServers({
    podOf: netnsPod,
    label: (id) => dp.label(id),
    timeUs: () => world.timeUs,
    ...(ingress ? { special: ingress } : {}),
  });
  // With Services in the file, kube-proxy programs every node; without, a node has only its own file.
  const services = loaded.services.length > 1;
  if (!services)
    for (const node of loaded.cluster.nodes) loadIptables(kernel, node.name, node.kernel?.ruleset);
  const byHand: ByHand = new Map();
  const control: ControlPlane = {
    world,
    cluster: loaded.cluster,
    specs,
    rng: rng.fork('controllers'),
    nodeRuleset: (name) => loaded.cluster.nodes.find((n) => n.name === name)?.kernel?.ruleset,
    // A rule someone added by hand outside kube-proxy's chains outlives its syncs.
    loadNetfilter: (name, state) =>
      loadIptables(kernel, name, replayByHand(byHand, name, state), true),
    loadIpvs: (name, sync) => loadIpvs(kernel, name, sync),
    timer: (us, fn) => dp.timer(us, fn),
  };
  if (services) publishServices(control, loaded.services, loaded.endpointSlices);
  // CoreDNS pods and hosts with DNS records answer on UDP 53.
  if (loaded.cluster.dns || loaded.cluster.hosts.some((h) => h.dns))
    setUdpServers(dp, dnsServers(dp, loaded, rng.fork('dns')));
  world.sealInitial();

  const kubelet: KubeletContext = {
    world,
    rng: rng.fork('ids'),
    cluster: loaded.cluster,
    cni,
  };
  const createdUs = new Map<string, number>();
  for (const [i, pod] of loaded.pods.entries()) {
    world.timeUs = i * 1000;
    createdUs.set(podKey(pod), world.timeUs);
    startPod(kubelet, pod);
    podsStarted = i + 1;
    report?.();
  }
  if (services) {
    world.timeUs += CONTROLLER_DELAY_US;
    syncEndpointSlices(control);
    for (const node of loaded.cluster.nodes) {
      world.timeUs += CONTROLLER_DELAY_US;
      if (sockLb) sockLb.sync(world, node.name, 'start');
      else syncKubeProxy(control, node.name, 'start');
    }
    announceLoadBalancers(control);
  }
  // kube-proxy's sync runner: one pending sync takes every slice change made before it runs.
  let proxySyncPending = false;
  const endpointsMayChange = () => {
    if (!services) return;
    dp.at(CONTROLLER_DELAY_US, () => {
      if (!syncEndpointSlices(control) || proxySyncPending) return;
      proxySyncPending = true;
      dp.at(KUBE_PROXY_MIN_SYNC_US, () => {
        proxySyncPending = false;
        // A node that is down runs no kube-proxy (nor Cilium's agent).
        for (const node of loaded.cluster.nodes) {
          if (world.node(node.name).down) continue;
          if (sockLb) sockLb.sync(world, node.name, 'endpoints');
          else syncKubeProxy(control, node.name, 'endpoints');
        }
        announceLoadBalancers(control);
      });
    });
  };
  const termination: TerminationHost = {
    kubelet,
    informerDelayUs: CONTROLLER_DELAY_US,
    later: (us, fn, wait) => (wait ? dp.at(us, fn) : dp.timer(us, fn)),
    exitProcess: (netns, container) => transport.exitProcess(netns, container),
    podChanged: endpointsMayChange,
    terminating: new Set(),
  };

  const faults = workloadFaults({
    world,
    kubelet,
    termination,
    specs,
    cluster: loaded.cluster,
    deployments: loaded.deployments,
    workloads: loaded.workloads ?? [],
    podsChanged: endpointsMayChange,
    at: (us, fn) => dp.at(us, fn),
    later: (us, fn) => dp.timer(us, fn),
    createdUs,
  });

  const keylog: string[] = [];
  const http: HttpPlay = {
    clusterDomain: loaded.cluster.clusterDomain,
    tlsRng: rng.fork('curl-tls'),
    keylog: (lines) => keylog.push(lines),
  };
  let start = FIRST_ACTION_US;
  for (const [i, action] of loaded.scenario.actions.entries()) {
    world.action = i;
    // A pod deleted with --wait=false goes on terminating in the background, in time order.
    // So does a node lifecycle controller counting a dead node's silence.
    if (termination.terminating.size || faults.pending()) runEvents(dp, { untilUs: start });
    world.timeUs = Math.max(start, world.timeUs);
    let drained = false;
    if (action.kind === 'iptables') runByHand(kernel, byHand, action);
    else if (action.kind === 'scale' || action.kind === 'drain' || action.kind === 'node-down') {
      recordFaultStart(world, action);
      if (action.kind === 'scale') faults.scale(action);
      else if (action.kind === 'drain') drained = faults.drain(action);
      else faults.nodeDown(action);
    } else play(dp, transport, kubelet, action, termination, specs, loaded, http);
    if (action.kind === 'crash' || action.kind === 'ready') endpointsMayChange();
    runEvents(dp, { untilQuiet: true });
    if (action.kind === 'drain' && drained)
      world.record({
        kind: 'control',
        place: { node: action.node, netns: action.node },
        summary: `node/${action.node} drained`,
        facts: { type: 'drain.done', node: action.node },
        touched: [],
      });
    start = world.timeUs + ACTION_GAP_US;
    actionsDone = i + 1;
    report?.();
  }
  // The trace ends once every pod deleted without waiting is gone.
  while ((termination.terminating.size || faults.pending()) && dp.queue.size)
    runEvents(dp, { untilUs: dp.queue.peek()!.timeUs });
  runEvents(dp, { untilQuiet: true });
  report?.();
  return {
    ok: true,
    sim: finish(loaded, world, keylog),
    warnings: checked.warnings,
    ignored: checked.ignored,
  };
}

/**
 * `iptables-restore < file` on a node before any traffic: the tables (parsed
 * by the loader, which reported any error at its place) go into the node's
 * netns and their hooks, with conntrack's, are registered there.
 */
function loadIptables(
  kernel: Kernel,
  node: string,
  ruleset: NetfilterState | undefined,
  everyTable = false,
): void {
  if (!ruleset) return;
  const { world } = kernel.dp;
  world.setNetns({ ...world.netns(node), netfilter: ruleset });
  let hooked = HOOKED.get(kernel);
  if (!hooked) HOOKED.set(kernel, (hooked = new Set()));
  if (hooked.has(node)) return;
  hooked.add(node);
  // kube-proxy reloads its rules on every sync; the tables' hooks are registered once.
  const tables = everyTable ? TABLE_NAMES : (Object.keys(ruleset.tables) as TableName[]);
  for (const ops of iptablesHooks(tables)) kernel.registry.register(node, ops);
}

/**
 * IPVS mode on a node: the first sync installs kube-ipvs0, the sets, the
 * virtual servers and IPVS's hooks; a resync replaces the virtual servers and
 * sets and keeps the connection table, as the kernel does.
 */
function loadIpvs(kernel: Kernel, node: string, sync: IpvsSync): void {
  const { world } = kernel.dp;
  const before = world.netns(node).ipvs;
  if (!before) return installIpvs(kernel, node, sync);
  const next = ipvsStateOf(sync, before.conntrack);
  world.setNetns({
    ...world.netns(node),
    ipsets: ipsetsOf(sync),
    ipvs: { ...next, conns: before.conns, out: before.out, nextConnId: before.nextConnId },
  });
}

/** The first step of a fault on a Deployment or a node: the command it models. */
function recordFaultStart(
  world: World,
  a: Extract<Action, { kind: 'scale' | 'drain' | 'node-down' }>,
): void {
  const what = describeAction(a);
  const actor = a.kind === 'scale' ? podKey(a.deployment) : a.node;
  world.record({
    kind: 'action',
    place: a.kind === 'scale' ? { node: '', netns: '' } : { node: a.node, netns: a.node },
    summary: what,
    facts: {
      type: 'action.start',
      n: world.action + 1,
      kind: a.kind,
      pod: actor,
      ...(a.kind === 'scale' ? { target: String(a.replicas) } : {}),
      what,
    },
  });
}

/** The iptables commands run by hand on each node, in order. */
type ByHand = Map<string, Extract<Action, { kind: 'iptables' }>[]>;

/**
 * `iptables ARGS` on a node, by hand: applied to the node's tables as they
 * are (iptables-restore --noflush of that one line), or refused with
 * iptables' own message when its chain or rule is not there.
 */
function runByHand(kernel: Kernel, byHand: ByHand, a: Extract<Action, { kind: 'iptables' }>) {
  const { world } = kernel.dp;
  const place = { node: a.node, netns: a.node };
  const what = describeAction(a);
  world.record({
    kind: 'action',
    place,
    summary: what,
    facts: { type: 'action.start', n: world.action + 1, kind: 'iptables', pod: a.node, what },
  });
  const base = world.netns(a.node).netfilter ?? EMPTY_NETFILTER;
  const r = parseIptablesRestore(`*${a.table}\n${a.line}\nCOMMIT\n`, { base, noflush: true });
  if (!r.ok) {
    const message = r.errors[0].message;
    world.record({
      kind: 'error',
      place,
      summary: `iptables: ${message}`,
      facts: {
        type: 'iptables.by-hand',
        node: a.node,
        args: a.args,
        table: a.table,
        error: message,
      },
    });
    return;
  }
  byHand.set(a.node, [...(byHand.get(a.node) ?? []), a]);
  loadIptables(kernel, a.node, r.ruleset, true);
  world.record({
    kind: 'control',
    place,
    summary: `${a.node}: iptables ${a.args}`,
    facts: {
      type: 'iptables.by-hand',
      node: a.node,
      args: a.args,
      table: a.table,
      kubeChain: KUBE_CHAIN.test(a.line),
    },
  });
}

/** A line naming one of kube-proxy's chains: its next sync rewrites them (and its jump rules). */
const KUBE_CHAIN = /(^|\s)KUBE-/;

/**
 * The commands run by hand again on top of a kube-proxy sync: kube-proxy
 * restores only its own chains (and ensures its jump rules), so a DROP added
 * to INPUT stays, while a rule deleted from KUBE-SERVICES comes back.
 */
function replayByHand(byHand: ByHand, node: string, state: NetfilterState): NetfilterState {
  let out = state;
  for (const a of byHand.get(node) ?? []) {
    if (KUBE_CHAIN.test(a.line)) continue;
    const r = parseIptablesRestore(`*${a.table}\n${a.line}\nCOMMIT\n`, {
      base: out,
      noflush: true,
    });
    if (r.ok) out = r.ruleset;
  }
  return out;
}

/** The nodes whose netfilter hooks are registered, per kernel. */
const HOOKED = new WeakMap<Kernel, Set<string>>();

function finish(scenario: LoadedScenario, world: World, keylog: readonly string[]): Simulation {
  const { initial, states } = world.stored();
  return simulationOf({
    scenario,
    steps: world.steps,
    initial,
    states,
    keylog: () => keylog.join(''),
  });
}

function describeAction(a: Action, who?: string): string {
  switch (a.kind) {
    case 'ping':
      return `ping -c ${a.count} ${a.to} from ${who ?? podKey(a.from)}`;
    case 'connect': {
      const base = `connect ${who ?? podKey(a.from)} → ${a.to}:${a.port} (TCP)`;
      if (a.data === undefined && !a.close && !a.timeout) return base;
      // The action as the netcat command line it models, the data as printf's format would print it.
      const format = (a.data ?? '')
        .replace(/\\/g, '\\\\')
        .replace(/\n/g, '\\n')
        .replace(/%/g, '%%')
        .replace(/'/g, "'\\''");
      const input = a.data === undefined ? '' : `printf '${format}' | `;
      const flags = `${a.close ? ' -N' : ''}${a.timeout ? ` -w ${a.timeout}` : ''}`;
      return `${base}, like ${input}nc${flags} ${a.to} ${a.port}`;
    }
    case 'crash':
      return `crash container ${a.container} of ${podKey(a.pod)}`;
    case 'send':
      return `send ${who ?? podKey(a.from)} → ${a.to}:${a.port} (UDP), like printf '${a.data}' | nc -u -w 1 ${a.to} ${a.port}`;
    case 'delete':
      return `kubectl delete pod ${kubectlName(a.pod)}${a.wait ? '' : ' --wait=false'}`;
    case 'ready':
      return `the readiness probe of ${podKey(a.pod)} ${a.ready ? 'passes again' : 'starts failing'}`;
    case 'iptables':
      return `iptables ${a.args} on ${a.node}`;
    case 'scale':
      return `kubectl scale deployment ${kubectlName(a.deployment)} --replicas=${a.replicas}`;
    case 'drain':
      return `kubectl drain ${a.node} --ignore-daemonsets${a.force ? ' --force' : ''}`;
    case 'node-down':
      return `${a.node} loses power (node failure)`;
    case 'http':
      return `curl ${curlFlags(a)}${a.url} from ${who ?? podKey(a.from)}`;
    case 'dig':
      return `dig ${a.server ? `@${a.server} ` : ''}${a.name} ${a.qtype}${a.search ? ' +search' : ''} in ${who ?? podKey(a.from)}`;
    case 'resolve':
      return `getent ahosts ${a.name} in ${who ?? podKey(a.from)} (glibc getaddrinfo)`;
  }
}

/** curl's flags for an http action, as its command line. */
function curlFlags(a: Extract<Action, { kind: 'http' }>): string {
  const k = a.insecure ? '-k ' : '';
  const r = a.resolve ? `--resolve ${a.resolve.host}:${a.resolve.port}:${a.resolve.addr} ` : '';
  const h = (a.headers ?? []).map(([n, v]) => `-H '${n}: ${v}' `).join('');
  return `-s ${k}${r}${h}`;
}

function play(
  dp: Dataplane,
  transport: Transport,
  kubelet: KubeletContext,
  a: Exclude<Action, { kind: 'iptables' | 'scale' | 'drain' | 'node-down' }>,
  termination: TerminationHost,
  specs: ReadonlyMap<string, PodSpec>,
  loaded: LoadedScenario,
  http: HttpPlay,
): void {
  const { world } = dp;
  const sends =
    a.kind === 'ping' ||
    a.kind === 'connect' ||
    a.kind === 'send' ||
    a.kind === 'http' ||
    a.kind === 'dig' ||
    a.kind === 'resolve';
  const actor = sends ? a.from : a.pod;
  const pod = world.pod(podKey(actor));
  // A host on the node network, named bare in `from` (hosts have no namespace).
  const host =
    !pod && actor.namespace === 'default' && sends ? world.findNetns(actor.name) : undefined;
  const external = host?.kind === 'external' ? host : undefined;
  const at = pod
    ? { node: pod.node, netns: pod.netns }
    : external
      ? { node: external.node, netns: external.id }
      : { node: '', netns: '' };
  world.record({
    kind: 'action',
    place: at,
    summary: describeAction(a, external && `host ${external.node}`),
    facts: {
      type: 'action.start',
      n: world.action + 1,
      kind: a.kind,
      pod: external ? `host ${external.node}` : podKey(actor),
      ...(a.kind === 'ping' ? { target: a.to } : {}),
      ...(a.kind === 'connect' || a.kind === 'send' ? { target: `${a.to}:${a.port}` } : {}),
      ...(a.kind === 'crash' ? { target: a.container } : {}),
      ...(a.kind === 'http' ? { target: a.url } : {}),
      ...(a.kind === 'dig' || a.kind === 'resolve' ? { target: a.name } : {}),
      what: describeAction(a, external && `host ${external.node}`),
    },
  });
  if (a.kind === 'crash') {
    // The process dies first: the kernel closes its sockets (FIN to its peers).
    if (pod) transport.exitProcess(pod.netns, a.container);
    return crashContainer(kubelet, podKey(a.pod), a.container);
  }
  if (a.kind === 'delete') {
    const spec = specs.get(podKey(a.pod));
    return spec && deletePodGracefully(termination, spec, a.wait);
  }
  if (a.kind === 'ready') return setReadiness(kubelet, podKey(a.pod), a.ready);
  if (pod && world.node(pod.node).down) {
    world.record({
      kind: 'error',
      place: at,
      summary: `${podKey(actor)} is on ${pod.node}, which is down`,
      facts: { type: 'action.not-running', pod: podKey(actor) },
    });
    return;
  }
  const sender = external
    ? { netns: external.id, ip: iface(external, 'eth0').ip! }
    : pod?.ip && world.hasNetns(pod.netns)
      ? { netns: pod.netns, ip: pod.ip }
      : undefined;
  if (!sender) {
    world.record({
      kind: 'error',
      place: at,
      summary: `${podKey(actor)} is not running`,
      facts: { type: 'action.not-running', pod: podKey(actor) },
    });
    return;
  }
  const spec = pod
    ? loaded.pods.find((p) => p.namespace === pod.namespace && p.name === pod.name)
    : undefined;
  if (a.kind === 'http') {
    const owner = pod ? (pod.containers[0]?.name ?? 'curl') : 'curl';
    const namespace = pod ? pod.namespace : undefined;
    const from = { ...sender, owner, ...(namespace !== undefined ? { namespace } : {}) };
    // curl's getaddrinfo in a pod of a cluster with DNS: the queries first, then the TCP.
    if (pod && loaded.cluster.dns && curlLooksUp(a)) {
      const resolver = { ...sender, who: dp.label(sender.netns), owner, ...(spec ? { spec } : {}) };
      return resolveThen(
        dp,
        loaded,
        resolver,
        a.host,
        'curl connects there.',
        (ip) => dp.at(PROGRAM_WAKEUP_US, () => playHttp(dp, transport, a, from, http, ip)),
        () => dp.at(PROGRAM_WAKEUP_US, () => curlCannotResolve(dp, sender.netns, a.host)),
      );
    }
    return playHttp(dp, transport, a, from, http);
  }
  const snd: { readonly netns: string; readonly ip: string } = sender;
  const dnsSender = {
    netns: sender.netns,
    ip: sender.ip,
    who: dp.label(sender.netns),
    owner: pod?.containers[0]?.name ?? 'nc',
    ...(spec ? { spec } : {}),
  };
  if (a.kind === 'dig' || a.kind === 'resolve') return playDnsAction(dp, loaded, a, dnsSender);
  const name = dnsNameOf(
    loaded,
    a.to,
    actor.namespace,
    new Set(loaded.pods.map((p) => `${p.namespace}/${p.name}`)),
  );
  if (name !== undefined) {
    const then =
      a.kind === 'ping'
        ? 'ping sends its echo request there.'
        : a.kind === 'send'
          ? 'nc sends its datagram there.'
          : 'nc connects there.';
    return resolveThen(dp, loaded, dnsSender, name, then, (ip) =>
      dp.at(PROGRAM_WAKEUP_US, () => go(ip, a.to)),
    );
  }
  const target = parseTarget(a.to);
  let dst: string | undefined;
  if (target.kind === 'ip') dst = target.ip;
  else if (target.kind === 'pod') {
    const svc = world.api.services.find(
      (s) => s.metadata.namespace === target.ref.namespace && s.metadata.name === target.ref.name,
    );
    const ip = svc?.spec.clusterIP;
    dst = ip && ip !== 'None' ? ip : world.pod(podKey(target.ref))?.ip;
  }
  if (!dst) {
    world.record({
      kind: 'error',
      place: at,
      summary: `${a.to} has no IP`,
      facts: { type: 'action.no-target', target: a.to },
    });
    return;
  }
  go(dst, target.kind === 'pod' ? `${dst}` : a.to);

  function go(dst: string, shown: string): void {
    if (a.kind !== 'ping' && a.kind !== 'connect' && a.kind !== 'send') return;
    // To 127.0.0.0/8 the kernel picks 127.0.0.1 as the source (the lo route's src).
    const src = isLoopback(dst) ? '127.0.0.1' : snd.ip;
    if (a.kind === 'ping')
      return transport.ping(snd.netns, src, dst, a.count, shown, a.broadcast ?? false);
    if (a.kind === 'send') {
      const owner = pod?.containers[0]?.name ?? 'nc';
      return transport.send(snd.netns, src, dst, a.port, a.data, shown, owner);
    }
    // The client runs in a container that does not itself listen on the port (a sidecar), if there is one.
    const listens = (c: ContainerStatus) =>
      c.ports.some((p) => p.containerPort === a.port && p.protocol === 'TCP');
    const owner = pod ? (pod.containers.find((c) => !listens(c)) ?? pod.containers[0])?.name : 'nc';
    transport.connect(snd.netns, src, dst, a.port, shown, {
      ...(a.data !== undefined ? { data: a.data } : {}),
      ...(a.close ? { close: true } : {}),
      ...(a.timeout ? { timeout: a.timeout } : {}),
      ...(owner ? { owner } : {}),
    });
  }
}
