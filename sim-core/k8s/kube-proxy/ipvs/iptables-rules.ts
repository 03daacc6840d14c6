/**
 * The iptables rules IPVS mode still needs (proxier.go: createAndLinkKubeChain,
 * writeIptablesRules, acceptIPVSTraffic): masquerade marks, the NodePort and
 * LoadBalancer chains, source-range firewalling and the filter that keeps
 * VIPs from reaching host ports — all keyed on kube-proxy's ipsets. kube-proxy
 * makes the chains and the jumps from the built-in chains with single iptables
 * calls (EnsureChain, EnsureRule Prepend) and writes the rest with
 * `iptables-restore --noflush --counters`; both are produced here.
 */
import type { KubeIpset } from './ipset.ts';
import { ipsetInfo } from './ipset.ts';

export interface IptablesOptions {
  /** --masquerade-bit; 14 by default (mark 0x4000). */
  readonly masqueradeBit?: number;
  /** --masquerade-all: every packet to a ClusterIP is marked for SNAT. */
  readonly masqueradeAll?: boolean;
  /**
   * --cluster-cidr for the local-traffic detector: traffic to a ClusterIP from
   * outside it is masqueraded. Without one, kube-proxy falls back to "src,dst"
   * (masquerade node-originated traffic whose source is a VIP).
   */
  readonly clusterCIDR?: string;
  /** iptables supports MASQUERADE --random-fully (every iptables of the last decade). */
  readonly randomFully?: boolean;
}

/** One `iptables -t TABLE -I FROM -m comment --comment C -j TO` kube-proxy ensures. */
export interface JumpRule {
  readonly table: 'nat' | 'filter';
  readonly from: string;
  readonly to: string;
  readonly comment: string;
}

/** iptablesJumpChain, in the order kube-proxy ensures them (each one prepended). */
export const IPVS_JUMP_RULES: readonly JumpRule[] = [
  { table: 'nat', from: 'OUTPUT', to: 'KUBE-SERVICES', comment: 'kubernetes service portals' },
  { table: 'nat', from: 'PREROUTING', to: 'KUBE-SERVICES', comment: 'kubernetes service portals' },
  {
    table: 'nat',
    from: 'POSTROUTING',
    to: 'KUBE-POSTROUTING',
    comment: 'kubernetes postrouting rules',
  },
  { table: 'filter', from: 'FORWARD', to: 'KUBE-FORWARD', comment: 'kubernetes forwarding rules' },
  {
    table: 'filter',
    from: 'INPUT',
    to: 'KUBE-NODE-PORT',
    comment: 'kubernetes health check rules',
  },
  {
    table: 'filter',
    from: 'INPUT',
    to: 'KUBE-PROXY-FIREWALL',
    comment: 'kube-proxy firewall rules',
  },
  {
    table: 'filter',
    from: 'FORWARD',
    to: 'KUBE-PROXY-FIREWALL',
    comment: 'kube-proxy firewall rules',
  },
  {
    table: 'filter',
    from: 'INPUT',
    to: 'KUBE-IPVS-FILTER',
    comment: 'kubernetes ipvs access filter',
  },
  {
    table: 'filter',
    from: 'OUTPUT',
    to: 'KUBE-IPVS-OUT-FILTER',
    comment: 'kubernetes ipvs access filter',
  },
];

/** iptablesChains: the chains kube-proxy owns, per table, in its order. */
export const IPVS_CHAINS = {
  nat: [
    'KUBE-SERVICES',
    'KUBE-POSTROUTING',
    'KUBE-NODE-PORT',
    'KUBE-LOAD-BALANCER',
    'KUBE-MARK-MASQ',
  ],
  filter: [
    'KUBE-FORWARD',
    'KUBE-NODE-PORT',
    'KUBE-PROXY-FIREWALL',
    'KUBE-SOURCE-RANGES-FIREWALL',
    'KUBE-IPVS-FILTER',
    'KUBE-IPVS-OUT-FILTER',
  ],
} as const;

interface SetJump {
  readonly set: string;
  readonly table: 'nat' | 'filter';
  readonly from: string;
  readonly to: string;
  readonly matchType: string;
  readonly protocol?: string;
}

/** ipsetWithIptablesChain: a rule per non-empty set (Local sets before their plain ones). */
const SET_JUMPS: readonly SetJump[] = [
  {
    set: 'KUBE-LOOP-BACK',
    table: 'nat',
    from: 'KUBE-POSTROUTING',
    to: 'MASQUERADE',
    matchType: 'dst,dst,src',
  },
  {
    set: 'KUBE-LOAD-BALANCER',
    table: 'nat',
    from: 'KUBE-SERVICES',
    to: 'KUBE-LOAD-BALANCER',
    matchType: 'dst,dst',
  },
  {
    set: 'KUBE-LOAD-BALANCER-LOCAL',
    table: 'nat',
    from: 'KUBE-LOAD-BALANCER',
    to: 'RETURN',
    matchType: 'dst,dst',
  },
  {
    set: 'KUBE-NODE-PORT-LOCAL-TCP',
    table: 'nat',
    from: 'KUBE-NODE-PORT',
    to: 'RETURN',
    matchType: 'dst',
    protocol: 'tcp',
  },
  {
    set: 'KUBE-NODE-PORT-TCP',
    table: 'nat',
    from: 'KUBE-NODE-PORT',
    to: 'KUBE-MARK-MASQ',
    matchType: 'dst',
    protocol: 'tcp',
  },
  {
    set: 'KUBE-NODE-PORT-LOCAL-UDP',
    table: 'nat',
    from: 'KUBE-NODE-PORT',
    to: 'RETURN',
    matchType: 'dst',
    protocol: 'udp',
  },
  {
    set: 'KUBE-NODE-PORT-UDP',
    table: 'nat',
    from: 'KUBE-NODE-PORT',
    to: 'KUBE-MARK-MASQ',
    matchType: 'dst',
    protocol: 'udp',
  },
  {
    set: 'KUBE-NODE-PORT-LOCAL-SCTP-HASH',
    table: 'nat',
    from: 'KUBE-NODE-PORT',
    to: 'RETURN',
    matchType: 'dst,dst',
    protocol: 'sctp',
  },
  {
    set: 'KUBE-NODE-PORT-SCTP-HASH',
    table: 'nat',
    from: 'KUBE-NODE-PORT',
    to: 'KUBE-MARK-MASQ',
    matchType: 'dst,dst',
    protocol: 'sctp',
  },
  {
    set: 'KUBE-LOAD-BALANCER-FW',
    table: 'filter',
    from: 'KUBE-PROXY-FIREWALL',
    to: 'KUBE-SOURCE-RANGES-FIREWALL',
    matchType: 'dst,dst',
  },
  {
    set: 'KUBE-LOAD-BALANCER-SOURCE-CIDR',
    table: 'filter',
    from: 'KUBE-SOURCE-RANGES-FIREWALL',
    to: 'RETURN',
    matchType: 'dst,dst,src',
  },
  {
    set: 'KUBE-LOAD-BALANCER-SOURCE-IP',
    table: 'filter',
    from: 'KUBE-SOURCE-RANGES-FIREWALL',
    to: 'RETURN',
    matchType: 'dst,dst,src',
  },
];

/** A LoadBalancer IP:port the node itself may not reach (no source range covers the node IP). */
export interface LbNoNodeAccess {
  readonly ip: string;
  readonly protocol: string;
  readonly port: number;
}

const quoted = (name: string) => `"${ipsetInfo(name).comment}"`;

/** fmt.Sprintf("%#08x", 1<<bit): "0x004000" for bit 14. */
export function masqueradeMark(bit = 14): string {
  return `0x${(2 ** bit).toString(16).padStart(6, '0')}`;
}

/**
 * The text kube-proxy hands to `iptables-restore --noflush --counters`
 * (natChains, natRules, filterChains, filterRules).
 */
export function ipvsIptablesRestore(
  sets: readonly KubeIpset[],
  lbNoNodeAccess: readonly LbNoNodeAccess[] = [],
  opts: IptablesOptions = {},
): string {
  const nonEmpty = (name: string) => (sets.find((s) => s.name === name)?.entries.length ?? 0) > 0;
  const mark = masqueradeMark(opts.masqueradeBit);
  const nat: string[] = ['-A KUBE-SERVICES -s 127.0.0.0/8 -j RETURN'];
  const filter: string[] = [];

  for (const j of SET_JUMPS) {
    if (!nonEmpty(j.set)) continue;
    const proto = j.protocol ? ` -p ${j.protocol}` : '';
    const rule = `-A ${j.from}${proto} -m comment --comment ${quoted(j.set)} -m set --match-set ${j.set} ${j.matchType} -j ${j.to}`;
    (j.table === 'filter' ? filter : nat).push(rule);
  }

  if (nonEmpty('KUBE-CLUSTER-IP')) {
    const args = `-A KUBE-SERVICES -m comment --comment ${quoted('KUBE-CLUSTER-IP')} -m set --match-set KUBE-CLUSTER-IP`;
    if (opts.masqueradeAll) nat.push(`${args} dst,dst -j KUBE-MARK-MASQ`);
    else if (opts.clusterCIDR)
      nat.push(`${args} dst,dst ! -s ${opts.clusterCIDR} -j KUBE-MARK-MASQ`);
    else nat.push(`${args} src,dst -j KUBE-MARK-MASQ`);
  }

  // Traffic from off the machine to an externalIP is accepted, as is traffic
  // to one that happens to be a local address.
  const externalIPRules = (args: string) => {
    nat.push(`${args} -m physdev ! --physdev-is-in -m addrtype ! --src-type LOCAL -j ACCEPT`);
    nat.push(`${args} -m addrtype --dst-type LOCAL -j ACCEPT`);
  };
  if (nonEmpty('KUBE-EXTERNAL-IP')) {
    const args = `-A KUBE-SERVICES -m comment --comment ${quoted('KUBE-EXTERNAL-IP')} -m set --match-set KUBE-EXTERNAL-IP dst,dst`;
    nat.push(`${args} -j KUBE-MARK-MASQ`);
    externalIPRules(args);
  }
  if (nonEmpty('KUBE-EXTERNAL-IP-LOCAL')) {
    externalIPRules(
      `-A KUBE-SERVICES -m comment --comment ${quoted('KUBE-EXTERNAL-IP-LOCAL')} -m set --match-set KUBE-EXTERNAL-IP-LOCAL dst,dst`,
    );
  }

  nat.push('-A KUBE-SERVICES -m addrtype --dst-type LOCAL -j KUBE-NODE-PORT');
  nat.push('-A KUBE-LOAD-BALANCER -j KUBE-MARK-MASQ');
  filter.push('-A KUBE-SOURCE-RANGES-FIREWALL -j DROP');
  for (const e of lbNoNodeAccess)
    filter.push(
      `-A KUBE-IPVS-OUT-FILTER -s ${e.ip} -m ipvs --vaddr ${e.ip} --vproto ${e.protocol} --vport ${e.port} -j DROP`,
    );
  // acceptIPVSTraffic: ends KUBE-SERVICES, so no later rule can undo IPVS.
  for (const set of ['KUBE-CLUSTER-IP', 'KUBE-LOAD-BALANCER'])
    if (nonEmpty(set)) nat.push(`-A KUBE-SERVICES -m set --match-set ${set} dst,dst -j ACCEPT`);

  filter.push(
    `-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark ${mark}/${mark} -j ACCEPT`,
    '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
    `-A KUBE-NODE-PORT -m comment --comment ${quoted('KUBE-HEALTH-CHECK-NODE-PORT')} -m set --match-set KUBE-HEALTH-CHECK-NODE-PORT dst -j ACCEPT`,
    '-A KUBE-IPVS-FILTER -m set --match-set KUBE-LOAD-BALANCER dst,dst -j RETURN',
    '-A KUBE-IPVS-FILTER -m set --match-set KUBE-CLUSTER-IP dst,dst -j RETURN',
    '-A KUBE-IPVS-FILTER -m set --match-set KUBE-EXTERNAL-IP dst,dst -j RETURN',
    '-A KUBE-IPVS-FILTER -m set --match-set KUBE-EXTERNAL-IP-LOCAL dst,dst -j RETURN',
    '-A KUBE-IPVS-FILTER -m set --match-set KUBE-HEALTH-CHECK-NODE-PORT dst -j RETURN',
    '-A KUBE-IPVS-FILTER -m conntrack --ctstate NEW -m set --match-set KUBE-IPVS-IPS dst -j REJECT',
  );
  nat.push(
    `-A KUBE-POSTROUTING -m mark ! --mark ${mark}/${mark} -j RETURN`,
    `-A KUBE-POSTROUTING -j MARK --xor-mark ${mark}`,
    `-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE${opts.randomFully === false ? '' : ' --random-fully'}`,
    `-A KUBE-MARK-MASQ -j MARK --or-mark ${mark}`,
  );

  return [
    '*nat',
    ...IPVS_CHAINS.nat.map((c) => `:${c} - [0:0]`),
    ...nat,
    'COMMIT',
    '*filter',
    ...IPVS_CHAINS.filter.map((c) => `:${c} - [0:0]`),
    ...filter,
    'COMMIT',
    '',
  ].join('\n');
}

/** The jump rules as the iptables commands kube-proxy runs. */
export function jumpRuleCommand(j: JumpRule): string[] {
  return ['-t', j.table, '-I', j.from, '-m', 'comment', '--comment', j.comment, '-j', j.to];
}

/**
 * The whole nat and filter state after a sync on a node with no other rules,
 * as one flushing restore file: the built-in chains with the jumps (each
 * prepended, so the last ensured comes first), then kube-proxy's chains.
 * This is what the simulator loads onto a node.
 */
export function ipvsIptablesFile(
  sets: readonly KubeIpset[],
  lbNoNodeAccess: readonly LbNoNodeAccess[] = [],
  opts: IptablesOptions = {},
): string {
  const restore = ipvsIptablesRestore(sets, lbNoNodeAccess, opts);
  const blocks = new Map<string, string[]>();
  let current: string[] = [];
  for (const line of restore.split('\n')) {
    if (line.startsWith('*')) blocks.set(line.slice(1), (current = []));
    else if (line !== 'COMMIT' && line !== '') current.push(line);
  }
  const builtins: Record<'nat' | 'filter', readonly string[]> = {
    nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
    filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  };
  const out: string[] = [];
  for (const table of ['nat', 'filter'] as const) {
    const body = blocks.get(table) ?? [];
    out.push(`*${table}`, ...builtins[table].map((c) => `:${c} ACCEPT [0:0]`));
    out.push(...body.filter((l) => l.startsWith(':')));
    for (const chain of builtins[table]) {
      const jumps = IPVS_JUMP_RULES.filter((j) => j.table === table && j.from === chain).reverse();
      for (const j of jumps) out.push(`-A ${chain} -m comment --comment "${j.comment}" -j ${j.to}`);
    }
    out.push(...body.filter((l) => !l.startsWith(':')), 'COMMIT');
  }
  return `${out.join('\n')}\n`;
}

/** How many rules of a restore text reference each set (`ipset list`'s References). */
export function setReferences(iptablesText: string): Map<string, number> {
  const refs = new Map<string, number>();
  for (const m of iptablesText.matchAll(/--match-set (\S+)/g))
    refs.set(m[1], (refs.get(m[1]) ?? 0) + 1);
  return refs;
}
