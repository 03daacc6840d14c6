/**
 * A ClusterIP in kube-proxy's IPVS mode on the real data path: one node
 * built as a Kubewire node is (kubeadm + flannel host-gw, the ClusterIP
 * reference's pods: endpoints poda 10.244.0.2 and podb 10.244.0.3 on 8080,
 * client podc 10.244.0.4), programmed with one syncIpvsProxier result
 * through installIpvs plus the sync's iptables file, and connections played
 * from the client.
 *
 * What real IPVS does, from net/netfilter/ipvs (ip_vs_core.c, ip_vs_xmit.c,
 * ip_vs_proto_tcp.c, ip_vs_rr.c, ip_vs_nfct.c) and kube-proxy's IPVS docs:
 * - the ClusterIP is local (kube-ipvs0 holds it), so the SYN reaches
 *   LOCAL_IN, where ip_vs_in (priority 99, after the filter table) schedules
 *   it; rr walks the destination list from its head, and each destination
 *   kube-proxy adds goes to the head (list_add_rcu), so with endpoints
 *   added poda then podb the first connection goes to podb, the next to poda;
 * - ip_vs_nat_xmit rewrites the destination, decrements the TTL (64 → 63)
 *   and routes the packet out through LOCAL_OUT/POSTROUTING: the endpoint
 *   sees a routed packet (the bridge's MAC as source, TTL 63);
 * - the endpoint's reply is bridged back to the client; br_netfilter hands
 *   it to the IPv4 FORWARD hooks, where ip_vs_out (priority 100) rewrites
 *   its source back to the ClusterIP;
 * - with net.ipv4.vs.conntrack=1 conntrack's reply tuple is changed to come
 *   from the real server (ip_vs_update_conntrack);
 * - IPVS TCP states: SYN in → SYN_RECV (60 s), then the ACK → ESTABLISHED
 *   (900 s, counted in ActiveConn), the close ends in TIME_WAIT (120 s,
 *   InActConn);
 * - sessionAffinity ClientIP makes the service persistent (-p 10800): a
 *   template "client:0 → VIP:port → real server" in state NONE pins the
 *   client's later connections to the same real server.
 */
import { describe, expect, it } from 'vitest';
import type { EndpointSlice, ProxyNode, Service } from '../../k8s/api-types.ts';
import {
  ipvsadmConnections,
  ipvsadmList,
  syncIpvsProxier,
} from '../../k8s/kube-proxy/ipvs/index.ts';
import { createRng } from '../../engine/rng.ts';
import { createCni } from '../../k8s/cni/index.ts';
import { podKey, startPod, type KubeletContext } from '../../k8s/kubelet.ts';
import { underlayNetns } from '../../k8s/underlay.ts';
import { loadScenario } from '../../scenario/index.ts';
import { scenarioYaml } from '../../test/driver.ts';
import { decodeFrame, summarizeFrame } from '../../wire/describe.ts';
import { parseFrame } from '../frames.ts';
import { iptablesHooks } from '../ipt-hooks.ts';
import { createKernel, runEvents } from '../kernel.ts';
import { ctList } from '../netfilter/conntrack.ts';
import { iptablesSave, parseIptablesRestore, type TableName } from '../netfilter/index.ts';
import { sysctl } from '../sysctl.ts';
import { World } from '../world.ts';
import { installIpvs } from './install.ts';
import { ipvsConnEntries, services } from './table.ts';
import { isLocalAddress } from '../addresses.ts';

const VIP = '10.96.0.50';
const NODE: ProxyNode = { name: 'node-1', ip: '192.168.1.10', clusterCIDR: '10.244.0.0/16' };

function webService(affinity: boolean): Service {
  return {
    metadata: { namespace: 'default', name: 'web' },
    spec: {
      type: 'ClusterIP',
      clusterIP: VIP,
      ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 }],
      sessionAffinity: affinity ? 'ClientIP' : 'None',
      ...(affinity ? { sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } } } : {}),
      externalTrafficPolicy: 'Cluster',
      internalTrafficPolicy: 'Cluster',
    },
  };
}

const webSlice: EndpointSlice = {
  metadata: {
    namespace: 'default',
    name: 'web-1',
    labels: { 'kubernetes.io/service-name': 'web' },
  },
  addressType: 'IPv4',
  endpoints: ['10.244.0.2', '10.244.0.3'].map((ip) => ({
    addresses: [ip],
    conditions: { ready: true, serving: true, terminating: false },
    nodeName: 'node-1',
  })),
  ports: [{ name: 'http', protocol: 'TCP', port: 8080 }],
};

/** The node, its pods running, kube-proxy's IPVS sync installed; connect() plays `nc`. */
function ipvsNode(affinity = false) {
  const text = scenarioYaml({
    mode: 'host-gw',
    seed: 2,
    pods: [{ name: 'poda', ports: [8080] }, { name: 'podb', ports: [8080] }, { name: 'podc' }],
    actions: ['ping: {from: podc, to: poda}'],
  });
  const loaded = loadScenario(text);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const { cluster, pods } = loaded.scenario;
  const rng = createRng(cluster.seed);
  const cni = createCni(cluster);
  const world = new World(
    cluster.nodes.map((n) => ({ name: n.name, ip: n.ip, podCIDR: n.podCIDR, ipam: [] })),
    [...cluster.nodes.map((n) => cni.hostNetns(n)), underlayNetns(cluster)],
    { layers: decodeFrame, summary: summarizeFrame },
  );
  const specs = new Map(pods.map((p) => [podKey(p), p]));
  const kernel = createKernel({
    world,
    rng: rng.fork('net'),
    vxlanSeed: rng.fork('boot').u32(),
    ipIdRng: rng.fork('ip-id'),
    hooks: {
      listener: (id, port) => {
        const key = world.findNetns(id)?.pod;
        return specs
          .get(key ?? '')
          ?.containers.find((c) => c.ports.some((p) => p.containerPort === port))?.name;
      },
      mtu: () => 1500,
    },
    label: (id) => id,
  });
  const kubelet: KubeletContext = {
    world,
    rng: rng.fork('ids'),
    cluster,
    cni,
  };
  for (const [i, pod] of pods.entries()) {
    world.timeUs = i * 1000;
    startPod(kubelet, pod);
  }
  const sync = syncIpvsProxier([webService(affinity)], [webSlice], NODE);
  installIpvs(kernel, 'node-1', sync);
  const rules = parseIptablesRestore(sync.iptablesFile);
  if (!rules.ok) throw new Error(JSON.stringify(rules.errors));
  world.setNetns({ ...world.netns('node-1'), netfilter: rules.ruleset });
  for (const ops of iptablesHooks(Object.keys(rules.ruleset.tables) as TableName[]))
    kernel.registry.register('node-1', ops);
  world.timeUs = 1_000_000;
  const client = world.pod('default/podc')!;
  return {
    world,
    sync,
    connect(data = 'hi\n') {
      kernel.transport.connect(client.netns, client.ip!, VIP, 80, VIP, {
        data,
        close: true,
        owner: 'app',
      });
      runEvents(kernel.dp, { untilQuiet: true });
      world.timeUs += 250_000;
    },
    node: () => world.netns('node-1'),
  };
}

describe('installIpvs', () => {
  it('kube-ipvs0 holds the ClusterIP, which is then local; kube-proxy’s sysctls are set', () => {
    const n = ipvsNode();
    const ns = n.node();
    expect(ns.ifaces.find((i) => i.name === 'kube-ipvs0')?.kind).toBe('dummy');
    expect(isLocalAddress(ns, VIP)).toBe(true);
    expect(isLocalAddress(ns, '10.96.0.51')).toBe(false);
    expect(sysctl(ns, 'net.ipv4.vs.conntrack')).toBe('1');
    expect(sysctl(ns, 'net.ipv4.conf.all.route_localnet')).toBe('1');
    expect(sysctl(ns, 'net.bridge.bridge-nf-call-iptables')).toBe('1');
    expect(ns.ipsets?.['KUBE-CLUSTER-IP']?.members).toEqual([`${VIP},tcp:80`]);
  });

  // Its speed (an index, not a scan) is the bench's to show, not a timing assertion's.
  it('finds any of thousands of kube-ipvs0 addresses, and none it lacks', () => {
    const n = ipvsNode();
    const ns = n.node();
    const many = Array.from({ length: 5000 }, (_, i) => `10.96.${i >> 8}.${i & 255}`);
    const big = { ...ns, ipvs: { ...ns.ipvs!, dummy: { 'kube-ipvs0': many } } };
    for (const ip of [many[0], many[2500], many[4999], '10.96.19.135'])
      expect(isLocalAddress(big, ip), ip).toBe(true);
    expect(isLocalAddress(big, '10.96.19.136')).toBe(false);
  });
});

describe('a client pod’s connections to a ClusterIP in IPVS mode', () => {
  const n = ipvsNode();
  n.connect();
  const afterFirst = n.world.steps.length - 1;
  n.connect();
  const { world } = n;

  it('rr sends the two connections to two different real servers, podb first (head of the list)', () => {
    const picks = world.steps.filter((s) => s.facts.type === 'ipvs.schedule').map((s) => s.facts);
    expect(picks).toHaveLength(2);
    expect(picks.map((f) => (f as { dest: string }).dest)).toEqual([
      '10.244.0.3:8080',
      '10.244.0.2:8080',
    ]);
    expect(picks[0]).toMatchObject({ scheduler: 'rr', service: `${VIP}:80/TCP`, how: 'scheduler' });
  });

  it('the endpoint receives a routed SYN: destination rewritten, TTL 63', () => {
    const nat = world.steps.find((s) => s.facts.type === 'ipvs.nat')!.facts;
    expect(nat).toMatchObject({
      before: `${VIP}:80`,
      after: '10.244.0.3:8080',
      ttl: 63,
      conntrack: true,
    });
    const podbIn = world.steps.filter(
      (s) => s.kind === 'transmit' && s.frame && s.place.netns === 'node-1/default/podb',
    );
    const syn = podbIn.map((s) => parseFrame(s.frame!)).find((f) => f.ip?.repr.protocol === 6)!;
    expect(syn.ip!.repr.dstAddr).toBe('10.244.0.3');
    expect(syn.ip!.repr.srcAddr).toBe('10.244.0.4');
    expect(syn.ip!.repr.ttl).toBe(63);
    // Routed by the node, not bridged: the source MAC is cni0's.
    expect(syn.eth.src).toBe(n.node().ifaces.find((i) => i.name === 'cni0')!.mac);
  });

  it('the reply is un-NATed: every TCP frame the client receives comes from the ClusterIP', () => {
    const received = world.steps
      .filter((s) => s.frame && s.place.netns === 'node-1/default/podc' && s.kind === 'transmit')
      .map((s) => parseFrame(s.frame!))
      .filter((f) => f.ip?.repr.protocol === 6 && f.ip.repr.dstAddr === '10.244.0.4');
    expect(received.length).toBeGreaterThan(3);
    expect(new Set(received.map((f) => f.ip!.repr.srcAddr))).toEqual(new Set([VIP]));
    expect(
      world.steps.some(
        (s) => s.facts.type === 'ipvs.reply' && (s.facts as { hook: string }).hook === 'FORWARD',
      ),
    ).toBe(true);
  });

  it('ipvsadm -Lnc shows both connections in TIME_WAIT; -Ln counts them inactive', () => {
    const ipvs = n.node().ipvs!;
    const now = world.timeUs;
    const conns = ipvsConnEntries(ipvs, now);
    expect(conns.map((c) => [c.state, c.virtual, c.destination])).toEqual([
      ['TIME_WAIT', { ip: VIP, port: 80 }, { ip: '10.244.0.3', port: 8080 }],
      ['TIME_WAIT', { ip: VIP, port: 80 }, { ip: '10.244.0.2', port: 8080 }],
    ]);
    const text = ipvsadmConnections(conns);
    expect(text).toMatch(
      /^TCP 01:5\d {2}TIME_WAIT {3}10\.244\.0\.4:\d+ +10\.96\.0\.50:80 +10\.244\.0\.3:8080$/m,
    );
    const list = ipvsadmList(services(ipvs));
    expect(list).toContain('TCP  10.96.0.50:80 rr\n');
    expect(list).toContain(
      '  -> 10.244.0.2:8080              Masq    1      0          1         ',
    );
    expect(list).toContain(
      '  -> 10.244.0.3:8080              Masq    1      0          1         ',
    );
  });

  it('stepping back shows the table as it was: one connection after the first, none before', () => {
    expect(
      ipvsConnEntries(world.stateAt(afterFirst).netns['node-1'].ipvs!, world.timeUs),
    ).toHaveLength(1);
    const firstSchedule = world.steps.findIndex((s) => s.facts.type === 'ipvs.schedule');
    expect(ipvsConnEntries(world.stateAt(firstSchedule - 1).netns['node-1'].ipvs!, 0)).toHaveLength(
      0,
    );
    const est = world.steps.findIndex(
      (s) => s.facts.type === 'ipvs.nat' && (s.facts as { state: string }).state === 'ESTABLISHED',
    );
    const mid = world.stateAt(est).netns['node-1'].ipvs!;
    const rs = services(mid)[0].realServers.find((r) => r.address === '10.244.0.3')!;
    expect([rs.activeConns, rs.inactConns]).toEqual([1, 0]);
  });

  it('conntrack’s entry expects the reply from the real server (ip_vs_update_conntrack)', () => {
    const lines = ctList(n.node().conntrack!, world.timeUs);
    expect(
      lines.some(
        (l) => l.includes(`dst=${VIP}`) && l.includes('src=10.244.0.3 dst=10.244.0.4 sport=8080'),
      ),
    ).toBe(true);
  });

  it('-m set matched KUBE-CLUSTER-IP: nat KUBE-SERVICES accepted the SYN by the set rule', () => {
    const nat = world.steps.find(
      (s) => s.facts.type === 'nf.nat' && (s.facts as { hook: string }).hook === 'PREROUTING',
    )!.facts as unknown as { hits: { chain: string; rule: number; target?: string }[] };
    const last = nat.hits.at(-1)!;
    // The masquerade rule before it (! -s 10.244.0.0/16) tested the same set and did not match.
    expect(last.chain).toBe('KUBE-SERVICES');
    expect(last.target).toBe('ACCEPT');
    const saved = iptablesSave(n.node().netfilter!).split('*nat')[1].split('COMMIT')[0];
    const rules = saved.split('\n').filter((l) => l.startsWith('-A KUBE-SERVICES '));
    expect(rules[last.rule - 1]).toBe(
      '-A KUBE-SERVICES -m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT',
    );
  });
});

describe('sessionAffinity ClientIP: a persistence template pins the client', () => {
  const n = ipvsNode(true);
  n.connect();
  n.connect();
  n.connect();
  const { world } = n;

  it('all three connections go to the first real server; the later ones by the template', () => {
    const picks = world.steps
      .filter((s) => s.facts.type === 'ipvs.schedule')
      .map((s) => s.facts as { dest: string; how: string });
    expect(picks.map((f) => f.dest)).toEqual([
      '10.244.0.3:8080',
      '10.244.0.3:8080',
      '10.244.0.3:8080',
    ]);
    expect(picks.map((f) => f.how)).toEqual(['scheduler', 'template', 'template']);
  });

  it('ipvsadm -Lnc lists the template: client port 0, state NONE, 10800 s', () => {
    const conns = ipvsConnEntries(n.node().ipvs!, world.timeUs);
    const tpl = conns.find((c) => c.client.port === 0)!;
    expect(tpl).toMatchObject({
      state: 'NONE',
      virtual: { ip: VIP, port: 80 },
      destination: { ip: '10.244.0.3', port: 8080 },
    });
    expect(tpl.expires).toBeGreaterThan(10790);
    expect(tpl.expires).toBeLessThanOrEqual(10800);
    expect(ipvsadmList(services(n.node().ipvs!))).toContain(
      'TCP  10.96.0.50:80 rr persistent 10800\n',
    );
  });
});
