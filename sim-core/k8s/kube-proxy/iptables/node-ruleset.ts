/**
 * A node's whole iptables ruleset as it stands once kubelet and then
 * kube-proxy (iptables mode) have started on empty tables, written as one
 * iptables-restore file the simulator can load into the node's netns.
 *
 * What is there besides kube-proxy's restore input (syncIptablesProxier):
 *
 * - kubelet (pkg/kubelet/kubelet_network_linux.go syncIPTablesRules): the
 *   KUBE-IPTABLES-HINT chain in mangle; KUBE-FIREWALL in filter with
 *   `-I INPUT -j KUBE-FIREWALL` and `-I OUTPUT -j KUBE-FIREWALL` and its
 *   "block incoming localnet connections" rule; its iptables Monitor's
 *   KUBE-KUBELET-CANARY chain in mangle, nat and filter.
 * - kube-proxy's Monitor: KUBE-PROXY-CANARY in mangle, nat and filter.
 * - kube-proxy's iptablesJumpChains: before each full sync, EnsureChain and
 *   EnsureRule(Prepend) — `iptables -I <builtin>` unless an identical rule
 *   exists — for each jump, in the table's order, then the KUBE-FIREWALL
 *   jumps it shares with kubelet (already there). Each insert lands at the
 *   top, so a built-in chain lists them last-inserted first.
 *
 * The sync's own restore input then fills in the KUBE-* chains (declaring a
 * chain in a --noflush restore flushes it, so kube-proxy's copy of the
 * KUBE-FIREWALL rule replaces kubelet's).
 */
import type { IptablesProxierInput, IptablesSyncResult } from './sync-proxy-rules.ts';
import {
  KUBE_EXTERNAL_SERVICES,
  KUBE_FIREWALL,
  KUBE_FORWARD,
  KUBE_NODEPORTS,
  KUBE_POSTROUTING,
  KUBE_PROXY_CANARY,
  KUBE_PROXY_FIREWALL,
  KUBE_SERVICES,
  syncIptablesProxier,
} from './sync-proxy-rules.ts';

export type NodeTable = 'mangle' | 'filter' | 'nat';

/** One entry of kube-proxy's iptablesJumpChains (or iptablesKubeletJumpChains). */
export interface JumpChain {
  readonly table: NodeTable;
  readonly dstChain: string;
  readonly srcChain: string;
  /** '' for the kubelet-shared jumps, which carry no comment. */
  readonly comment: string;
  readonly extraArgs: readonly string[];
}

const NEW = ['-m', 'conntrack', '--ctstate', 'NEW'] as const;

/** iptablesJumpChains, in kube-proxy's order. */
export const IPTABLES_JUMP_CHAINS: readonly JumpChain[] = [
  j(
    'filter',
    KUBE_EXTERNAL_SERVICES,
    'INPUT',
    'kubernetes externally-visible service portals',
    NEW,
  ),
  j(
    'filter',
    KUBE_EXTERNAL_SERVICES,
    'FORWARD',
    'kubernetes externally-visible service portals',
    NEW,
  ),
  j('filter', KUBE_NODEPORTS, 'INPUT', 'kubernetes health check service ports', []),
  j('filter', KUBE_SERVICES, 'FORWARD', 'kubernetes service portals', NEW),
  j('filter', KUBE_SERVICES, 'OUTPUT', 'kubernetes service portals', NEW),
  j('filter', KUBE_FORWARD, 'FORWARD', 'kubernetes forwarding rules', []),
  j('filter', KUBE_PROXY_FIREWALL, 'INPUT', 'kubernetes load balancer firewall', NEW),
  j('filter', KUBE_PROXY_FIREWALL, 'OUTPUT', 'kubernetes load balancer firewall', NEW),
  j('filter', KUBE_PROXY_FIREWALL, 'FORWARD', 'kubernetes load balancer firewall', NEW),
  j('nat', KUBE_SERVICES, 'OUTPUT', 'kubernetes service portals', []),
  j('nat', KUBE_SERVICES, 'PREROUTING', 'kubernetes service portals', []),
  j('nat', KUBE_POSTROUTING, 'POSTROUTING', 'kubernetes postrouting rules', []),
];

/** iptablesKubeletJumpChains: kubelet's KUBE-FIREWALL jumps, which kube-proxy ensures too. */
export const IPTABLES_KUBELET_JUMP_CHAINS: readonly JumpChain[] = [
  j('filter', KUBE_FIREWALL, 'INPUT', '', []),
  j('filter', KUBE_FIREWALL, 'OUTPUT', '', []),
];

function j(
  table: NodeTable,
  dstChain: string,
  srcChain: string,
  comment: string,
  extraArgs: readonly string[],
): JumpChain {
  return { table, dstChain, srcChain, comment, extraArgs };
}

/** The rule EnsureRule checks for and inserts: extra args, the comment, the jump. */
export function jumpRuleArgs(jump: JumpChain): string {
  const words = [...jump.extraArgs];
  if (jump.comment !== '') words.push('-m', 'comment', '--comment', `"${jump.comment}"`);
  words.push('-j', jump.dstChain);
  return words.join(' ');
}

const BUILTINS: Readonly<Record<NodeTable, readonly string[]>> = {
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
};

const TABLE_ORDER: readonly NodeTable[] = ['mangle', 'filter', 'nat'];

interface WorkTable {
  /** User chains in creation order. */
  readonly chains: string[];
  /** The same chains, to look them up (a sync declares one chain per Service and per endpoint). */
  readonly chainSet: Set<string>;
  /** Rules of each built-in chain, top first ("-A CHAIN ..." lines). */
  readonly builtinRules: Map<string, string[]>;
  /** Rules of user chains outside the sync (kubelet's KUBE-FIREWALL rule). */
  readonly otherRules: Map<string, string[]>;
}

function emptyTables(): Record<NodeTable, WorkTable> {
  const make = (t: NodeTable): WorkTable => ({
    chains: [],
    chainSet: new Set(),
    builtinRules: new Map(BUILTINS[t].map((c) => [c, []])),
    otherRules: new Map(),
  });
  return { mangle: make('mangle'), filter: make('filter'), nat: make('nat') };
}

function ensureChain(t: WorkTable, chain: string): void {
  if (t.chainSet.has(chain)) return;
  t.chainSet.add(chain);
  t.chains.push(chain);
}

/** EnsureRule(Prepend): `iptables -I CHAIN` unless `iptables -C` finds the rule. */
function ensureRulePrepend(t: WorkTable, chain: string, args: string): void {
  const rules = t.builtinRules.get(chain);
  if (!rules) throw new Error(`no built-in chain ${chain}`);
  const line = `-A ${chain} ${args}`;
  if (!rules.includes(line)) rules.unshift(line);
}

export interface NodeRulesetInput extends IptablesProxierInput {
  /** Whether kubelet's rules are there first (they are on any real node); default true. */
  readonly kubelet?: boolean;
}

export interface NodeRuleset {
  /** The complete restore file: mangle, filter, nat. */
  readonly text: string;
  /** The sync it contains. */
  readonly sync: IptablesSyncResult;
}

/** The node's ruleset after kubelet and kube-proxy's first sync, with the sync itself. */
export function buildNodeRuleset(input: NodeRulesetInput): NodeRuleset {
  const tables = emptyTables();
  if (input.kubelet ?? true) {
    ensureChain(tables.mangle, 'KUBE-IPTABLES-HINT');
    ensureChain(tables.filter, KUBE_FIREWALL);
    ensureRulePrepend(tables.filter, 'OUTPUT', `-j ${KUBE_FIREWALL}`);
    ensureRulePrepend(tables.filter, 'INPUT', `-j ${KUBE_FIREWALL}`);
    tables.filter.otherRules.set(KUBE_FIREWALL, [
      `-A ${KUBE_FIREWALL} -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP`,
    ]);
    for (const t of TABLE_ORDER) ensureChain(tables[t], 'KUBE-KUBELET-CANARY');
  }
  for (const t of TABLE_ORDER) ensureChain(tables[t], KUBE_PROXY_CANARY);
  for (const jump of [...IPTABLES_JUMP_CHAINS, ...IPTABLES_KUBELET_JUMP_CHAINS]) {
    const t = tables[jump.table];
    ensureChain(t, jump.dstChain);
    ensureRulePrepend(t, jump.srcChain, jumpRuleArgs(jump));
  }

  const sync = syncIptablesProxier(input);
  const synced: Record<'filter' | 'nat', { chains: readonly string[]; rules: readonly string[] }> =
    {
      filter: { chains: sync.filterChains, rules: sync.filterRules },
      nat: { chains: sync.natChains, rules: sync.natRules },
    };

  const out: string[] = [];
  for (const name of TABLE_ORDER) {
    const t = tables[name];
    const fromSync = name === 'mangle' ? undefined : synced[name];
    const syncChains = new Set((fromSync?.chains ?? []).map((l) => l.slice(1).split(' ')[0]));
    for (const c of syncChains) ensureChain(t, c);
    out.push(`*${name}`);
    for (const c of BUILTINS[name]) out.push(`:${c} ACCEPT [0:0]`);
    for (const c of t.chains) out.push(`:${c} - [0:0]`);
    for (const c of BUILTINS[name]) out.push(...(t.builtinRules.get(c) ?? []));
    for (const [c, rules] of t.otherRules) if (!syncChains.has(c)) out.push(...rules);
    out.push(...(fromSync?.rules ?? []));
    out.push('COMMIT');
  }
  return { text: out.map((l) => `${l}\n`).join(''), sync };
}

/** nodeRuleset: just the restore file of buildNodeRuleset. */
export function nodeRuleset(input: NodeRulesetInput): string {
  return buildNodeRuleset(input).text;
}
