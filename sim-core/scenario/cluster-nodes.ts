/**
 * spec.nodes of the Cluster: names, node IPs on the node network, and each
 * node's pod subnet — given explicitly or handed out in order, the way the
 * kube-controller-manager's range allocator does (lowest free subnet first).
 */
import {
  broadcastAddress,
  cidrContains,
  networkAddress,
  nthSubnet,
  parseCidr,
  parseIPv4,
  prefixLength,
} from '../net/cidr.ts';
import type { NetworkPlan } from './cluster-network.ts';
import { checkSubnetCapacity } from './cluster-network.ts';
import { asFields } from './fields.ts';
import type { Fields } from './fields.ts';
import { dns1123LabelProblem } from './names.ts';
import type { ClusterNode, NodeKernel, SourcePos } from './types.ts';
import { readNodeKernel } from './cluster-node-kernel.ts';

const NODE_FIELDS = ['name', 'ip', 'podCIDR', 'sysctls', 'iptables', 'promiscuous'] as const;

interface NodeDraft {
  name?: string;
  ip?: string;
  podCIDR?: string;
  explicitPodCIDR: boolean;
  pos: SourcePos;
  kernel?: NodeKernel;
}

export interface NodesResult {
  /** Every node, complete; undefined if any node had an error. */
  readonly nodes?: ClusterNode[];
  /** Names of the nodes that have a readable name; undefined if the list itself is unreadable. */
  readonly names?: ReadonlySet<string>;
}

export function readNodes(spec: Fields | undefined, plan: NetworkPlan): NodesResult {
  if (!spec) return {};
  const items = spec.list('nodes', 'a cluster needs at least one node: add spec.nodes');
  if (!items) return {};
  const ctx = spec.ctx;
  if (items.length === 0) {
    ctx.error(spec.value('nodes'), spec.p('nodes'), 'a cluster needs at least one node');
    return { names: new Set() };
  }
  const before = ctx.reporter.errors.length;
  const byName = new Map<string, SourcePos>();
  // Names as written, valid or not, for checking pods' nodeName; if one node's
  // name cannot be read at all, a pod may be naming it, so no such check.
  const written = new Set<string>();
  let allNamesRead = true;
  const byIp = new Map<string, string>();
  const byCidr = new Map<string, string>();
  const drafts: NodeDraft[] = [];

  for (const [i, item] of items.entries()) {
    const f = asFields(ctx, item.node, item.path, NODE_FIELDS, 'a node');
    const draft: NodeDraft = { explicitPodCIDR: false, pos: ctx.pos(item.node) };
    drafts.push(draft);
    if (!f) {
      allNamesRead = false;
      continue;
    }
    const label = `the node at spec.nodes[${i}]`;

    const name = f.str('name', `${label} needs a name, like node-${i + 1}`);
    if (name === undefined) allNamesRead = false;
    else written.add(name);
    if (name !== undefined) {
      const problem = dns1123LabelProblem(name);
      const first = byName.get(name);
      if (problem) ctx.error(f.value('name'), f.p('name'), `node name '${name}' ${problem}`);
      else if (first) {
        ctx.error(
          f.value('name'),
          f.p('name'),
          `node name ${name} is used twice (first at line ${first.line})`,
        );
      } else {
        byName.set(name, ctx.pos(f.value('name')));
        draft.name = name;
      }
    }
    const who = draft.name ? `node ${draft.name}` : label;

    const netRange = plan.nodeNetwork?.cidr;
    const where = netRange ? ` in nodeNetwork ${netRange}` : '';
    const ipText = f.str('ip', `${who} needs an ip: an IPv4 address${where}`);
    if (ipText !== undefined) {
      const ip = parseIPv4(ipText);
      const at = f.value('ip');
      if (ip === undefined) ctx.error(at, f.p('ip'), `${ipText} is not an IPv4 address`);
      else if (netRange && !cidrContains(netRange, ip)) {
        ctx.error(at, f.p('ip'), `ip ${ip} of ${who} is outside nodeNetwork ${netRange}`);
      } else if (netRange && prefixLength(netRange) <= 30 && ip === networkAddress(netRange)) {
        ctx.error(
          at,
          f.p('ip'),
          `${ip} is the network address of nodeNetwork ${netRange}; a node cannot use it`,
        );
      } else if (netRange && prefixLength(netRange) <= 30 && ip === broadcastAddress(netRange)) {
        ctx.error(
          at,
          f.p('ip'),
          `${ip} is the broadcast address of nodeNetwork ${netRange}; a node cannot use it`,
        );
      } else if (byIp.has(ip)) {
        ctx.error(at, f.p('ip'), `ip ${ip} is already used by ${byIp.get(ip)}`);
      } else {
        byIp.set(ip, who);
        draft.ip = ip;
      }
    }

    const cidrText = f.str('podCIDR');
    if (cidrText !== undefined) {
      draft.explicitPodCIDR = true;
      const at = f.value('podCIDR');
      const parsed = parseCidr(cidrText);
      const { podCIDR, nodeCIDRMaskSize: mask } = plan;
      if (!parsed.ok) ctx.error(at, f.p('podCIDR'), `podCIDR: ${parsed.message}`);
      else if (podCIDR && !cidrContains(podCIDR.cidr, parsed.cidr)) {
        ctx.error(
          at,
          f.p('podCIDR'),
          `podCIDR ${parsed.cidr} of ${who} is outside the cluster podCIDR ${podCIDR.cidr}`,
        );
      } else if (mask !== undefined && parsed.prefix !== mask) {
        ctx.error(
          at,
          f.p('podCIDR'),
          `podCIDR ${parsed.cidr} of ${who} must be a /${mask}, the cluster's nodeCIDRMaskSize`,
        );
      } else if (byCidr.has(parsed.cidr)) {
        ctx.error(
          at,
          f.p('podCIDR'),
          `podCIDR ${parsed.cidr} is already given to ${byCidr.get(parsed.cidr)}`,
        );
      } else {
        byCidr.set(parsed.cidr, who);
        draft.podCIDR = parsed.cidr;
      }
    }
    const kernel = readNodeKernel(f, who);
    if (kernel && Object.keys(kernel).length) draft.kernel = kernel;
  }

  const names = allNamesRead ? written : undefined;
  const fits = checkSubnetCapacity(spec, plan, drafts.length);
  if (
    !fits ||
    ctx.reporter.errors.length > before ||
    !plan.podCIDR ||
    plan.nodeCIDRMaskSize === undefined
  ) {
    return { names };
  }
  return { nodes: assignPodCIDRs(drafts, plan.podCIDR.cidr, plan.nodeCIDRMaskSize), names };
}

/** Nodes without a podCIDR get the lowest subnets not given explicitly to another node. */
function assignPodCIDRs(drafts: NodeDraft[], podCIDR: string, mask: number): ClusterNode[] {
  const taken = new Set(drafts.filter((d) => d.explicitPodCIDR).map((d) => d.podCIDR));
  let next = 0n;
  return drafts.map((d) => {
    let cidr = d.podCIDR;
    if (!d.explicitPodCIDR) {
      while (taken.has(nthSubnet(podCIDR, mask, next))) next++;
      cidr = nthSubnet(podCIDR, mask, next++);
    }
    return {
      name: d.name!,
      ip: d.ip!,
      podCIDR: cidr!,
      pos: d.pos,
      ...(d.kernel ? { kernel: d.kernel } : {}),
    };
  });
}
