/**
 * What kube-proxy's IPVS mode leaves in a node's kernel after a sync, put
 * into the simulated one: the sysctls it sets at start (proxier.go
 * NewProxier: net.ipv4.vs.conntrack=1 so IPVS NAT and conntrack agree,
 * net.ipv4.vs.expire_nodest_conn=1, net.ipv4.vs.expire_quiescent_template=1;
 * and the node settings IPVS mode relies on: route_localnet=1 and
 * bridge-nf-call-iptables=1, without which a reply bridged from a pod on the
 * same bridge never meets IPVS), the kube-ipvs0 dummy device with every
 * bound address, the ipsets with their entries, the virtual servers with
 * their real servers, and IPVS's netfilter hooks. The iptables rules are the
 * caller's to load (sync.iptablesFile through parseIptablesRestore), with
 * the iptables hooks, as for any ruleset.
 */
import type { IpvsSync } from '../../k8s/kube-proxy/ipvs/index.ts';
import { initScheduler } from '../../k8s/kube-proxy/ipvs/schedulers.ts';
import { virtualServerKey } from '../../k8s/kube-proxy/ipvs/virtual-server.ts';
import type { Kernel } from '../kernel.ts';
import { ipvsHooks } from './core.ts';
import { KUBE_IPVS0, randomMac, withKubeIpvs0 } from './kube-ipvs0.ts';
import { schedulerOf } from './schedule.ts';
import type { IpsetState, IpvsState } from './state.ts';
import { emptyIpvs, putService } from './table.ts';

/** The sysctls a node in kube-proxy IPVS mode runs with. */
export const IPVS_SYSCTLS: Readonly<Record<string, string>> = {
  'net.ipv4.vs.conntrack': '1',
  'net.ipv4.vs.expire_nodest_conn': '1',
  'net.ipv4.vs.expire_quiescent_template': '1',
  'net.ipv4.conf.all.route_localnet': '1',
  'net.bridge.bridge-nf-call-iptables': '1',
};

/** The ipsets of a sync, as the namespace keeps them. */
export function ipsetsOf(sync: Pick<IpvsSync, 'ipsets'>): IpsetState {
  return Object.fromEntries(
    sync.ipsets.map((s) => [s.name, { name: s.name, type: s.type, members: s.entries }]),
  );
}

/** The virtual servers of a sync as IPVS state (schedulers at their initial state). */
export function ipvsStateOf(sync: Pick<IpvsSync, 'table'>, conntrack = true): IpvsState {
  let st = emptyIpvs(conntrack);
  for (const vs of sync.table.virtualServers)
    st = putService(st, virtualServerKey(vs), {
      ...vs,
      sched: initScheduler(schedulerOf(vs.scheduler), vs.realServers),
    });
  return { ...st, dummy: { [KUBE_IPVS0]: sync.table.dummyAddresses } };
}

/**
 * Program node `node`'s netns from one syncIpvsProxier result. Call once,
 * before the trace starts (the registered hooks are not per step).
 */
export function installIpvs(kernel: Kernel, node: string, sync: IpvsSync): void {
  const { world, rng } = kernel.dp;
  const ns = world.netns(node);
  const mac = randomMac(rng.u32(), rng.u32());
  // kube-proxy writes its own sysctls; bridge-nf-call-iptables stays as the node has it.
  const bridge = ns.sysctls?.['net.bridge.bridge-nf-call-iptables'];
  const sysctls = {
    ...ns.sysctls,
    ...IPVS_SYSCTLS,
    ...(bridge ? { 'net.bridge.bridge-nf-call-iptables': bridge } : {}),
  };
  world.setNetns({
    ...withKubeIpvs0(ns, mac),
    sysctls,
    ipsets: ipsetsOf(sync),
    ipvs: ipvsStateOf(sync, true),
  });
  for (const ops of ipvsHooks()) kernel.registry.register(node, ops);
}
