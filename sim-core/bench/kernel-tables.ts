/**
 * The kernel tables at kube-proxy scale: a node's nat table with 10 000
 * ClusterIP services (20 001 rules in KUBE-SERVICES, 80 008 in the table),
 * loaded from the Cluster document and crossed by one connection; one packet
 * through that chain on its own; and a conntrack table of 10 000 entries
 * driven through its public API. Persistence is measured, not assumed: the
 * heap a trace keeps with and without the big ruleset, the counter slots a
 * step copies, and the bytes each retained table version costs.
 */
import { performance } from 'node:perf_hooks';
import { createSimulation } from '../simulation.ts';
import { loadScenario } from '../scenario/load.ts';
import {
  parseIptablesRestore,
  pvecGet,
  traverse,
  type NetfilterState,
  type NfEnv,
  type NfPacket,
  type PVec,
} from '../dataplane/netfilter/index.ts';
import {
  CT_EMPTY,
  ctConfirm,
  ctCount,
  ctIn,
  ctLookup,
  portTuple,
  TCPHDR,
  type CtPacket,
  type CtTable,
} from '../dataplane/netfilter/conntrack.ts';
import { ENDPOINT_IPS, kubeProxyRules, serviceScenario, serviceVip } from './big-scenario.ts';
import { bytes, heapUsed, mib, ms, num, retained, table, time, us } from './measure.ts';

const SERVICES = 10_000;
const CONNTRACK_ENTRIES = 10_000;
const NODE = 'node-1';

// ---------------------------------------------------------------------------
// Structural sharing between two versions of a persistent vector.

/** Array slots `after` allocated that `before` does not share (0 when identical). */
function freshSlots(before: PVec<unknown> | undefined, after: PVec<unknown>): number {
  if (before === after) return 0;
  if (!before || before.shift !== after.shift) return countSlots(after.root, after.shift);
  const walk = (a: readonly unknown[], b: readonly unknown[], shift: number): number => {
    if (a === b) return 0;
    let n = b.length;
    if (shift > 0)
      for (let i = 0; i < b.length; i++)
        n += walk((a[i] ?? []) as unknown[], b[i] as unknown[], shift - 5);
    return n;
  };
  return walk(before.root, after.root, after.shift);
}

function countSlots(node: readonly unknown[], shift: number): number {
  if (shift === 0) return node.length;
  let n = node.length;
  for (const child of node) n += countSlots(child as unknown[], shift - 5);
  return n;
}

/**
 * Slots of counter and chain vectors one netfilter version copied from the
 * previous one, and whether any chain's rules array was copied (it never
 * should be: rules are shared by every version).
 */
function netfilterCopied(
  before: NetfilterState | undefined,
  after: NetfilterState,
): { slots: number; rulesCopied: boolean } {
  let slots = 0;
  let rulesCopied = false;
  for (const [name, t] of Object.entries(after.tables)) {
    const old = before?.tables[name as keyof NetfilterState['tables']];
    if (!t || old === t) continue;
    slots += freshSlots(old?.chains, t.chains);
    for (const [chain, i] of t.chainIndex) {
      const oldIndex = old?.chainIndex.get(chain);
      const a = oldIndex === undefined ? undefined : pvecGet(old!.chains, oldIndex);
      const b = pvecGet(t.chains, i);
      if (a === b) continue;
      slots += freshSlots(a?.counters, b.counters);
      if (a && a.rules !== b.rules) rulesCopied = true;
    }
  }
  return { slots, rulesCopied };
}

function slotsOf(state: NetfilterState): number {
  return netfilterCopied(undefined, state).slots;
}

// ---------------------------------------------------------------------------
// 1. The scenario: load, simulate, heap, per-step copying.

interface ScenarioRun {
  readonly label: string;
  readonly loadMs: number;
  readonly simMs: number;
  readonly steps: number;
  readonly heap: number;
  readonly tableSlots: number;
  readonly copiedAvg: number;
  readonly copiedMax: number;
  readonly rulesCopied: boolean;
  readonly yamlBytes: number;
}

function runScenario(label: string, services: number, runs: number): ScenarioRun {
  const text = serviceScenario(services);
  const load = time(runs, () => loadScenario(text));
  if (!load.value.ok) throw new Error(JSON.stringify(load.value.errors.slice(0, 3)));
  const before = heapUsed();
  const sim = time(runs, () => createSimulation(text));
  if (!sim.value.ok) throw new Error('simulation failed');
  const heap = heapUsed() - before;
  const s = sim.value.sim;
  if (!s.steps.some((st) => /DNAT destination/.test(st.summary)))
    throw new Error(`${label}: the connection was not DNATed`);
  let prev: NetfilterState | undefined;
  const copied: number[] = [];
  let rulesCopied = false;
  let tableSlots = 0;
  for (let i = 0; i < s.steps.length; i++) {
    const nf = s.stateAt(i).netns[NODE]?.netfilter;
    if (!nf) continue;
    if (prev === undefined) tableSlots = slotsOf(nf);
    else if (nf !== prev) {
      const c = netfilterCopied(prev, nf);
      copied.push(c.slots);
      rulesCopied ||= c.rulesCopied;
    }
    prev = nf;
  }
  return {
    label,
    loadMs: load.ms,
    simMs: sim.ms,
    steps: s.steps.length,
    heap,
    tableSlots,
    copiedAvg: copied.length ? copied.reduce((a, b) => a + b, 0) / copied.length : 0,
    copiedMax: Math.max(0, ...copied),
    rulesCopied,
    yamlBytes: text.length,
  };
}

// ---------------------------------------------------------------------------
// 2. One packet through the nat table's PREROUTING (the first packet of a
//    connection, the only one the nat table sees).

const env = (): NfEnv => {
  let seed = 42;
  return {
    nowUs: 1_000_000,
    addrType: () => 'UNICAST',
    random: () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32,
  };
};

const syn = (dst: string, sport: number): NfPacket => ({
  src: '10.244.0.4',
  dst,
  protocol: 6,
  sport,
  dport: 80,
  tcpFlags: 0x02,
  length: 60,
  ttl: 64,
  inIface: 'cni0',
  physIn: 'veth0',
  bridged: true,
  mark: 0,
  ctState: 'NEW',
  ctStatus: [],
});

interface TraverseRun {
  readonly label: string;
  /** KUBE-SERVICES rules tested before one matched (or all of them). */
  readonly rulesWalked: number;
  readonly perPacketUs: number;
  readonly perVersionBytes: number;
}

function runTraverse(state: NetfilterState, servicesChainRules: number): TraverseRun[] {
  const cases = [
    { label: 'to the first service', dst: serviceVip(0), walked: 2 },
    { label: 'to the last service', dst: serviceVip(SERVICES - 1), walked: servicesChainRules - 1 },
    { label: 'to a pod IP (no service)', dst: ENDPOINT_IPS[0], walked: servicesChainRules },
  ];
  return cases.map((c) => {
    const e = env();
    const packets = c.walked > 100 ? 100 : 20_000;
    // Each packet's result state is kept, as a trace keeps one per step.
    const versions: NetfilterState[] = [];
    let s = state;
    // Warm up the evaluator on this path first.
    for (let i = 0; i < packets / 10; i++)
      traverse(s, 'nat', 'PREROUTING', syn(c.dst, 30_000 + i), e);
    const heapBefore = heapUsed();
    const t = performance.now();
    for (let i = 0; i < packets; i++) {
      const r = traverse(s, 'nat', 'PREROUTING', syn(c.dst, 40_000 + (i % 20_000)), e);
      s = r.state;
      versions.push(s);
    }
    const elapsed = performance.now() - t;
    const perVersion = (heapUsed() - heapBefore) / versions.length;
    return {
      label: c.label,
      rulesWalked: c.walked,
      perPacketUs: (elapsed * 1000) / packets,
      perVersionBytes: perVersion,
    };
  });
}

// ---------------------------------------------------------------------------
// 3. conntrack: 10 000 TCP connections through ctIn/ctConfirm.

const client = (i: number) => `10.${1 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`;
const SYN = { flags: TCPHDR.SYN, seq: 1000, ack: 0, payloadLen: 0, window: 64240 };
const SYNACK = {
  flags: TCPHDR.SYN | TCPHDR.ACK,
  seq: 5000,
  ack: 1001,
  payloadLen: 0,
  window: 65160,
};
const ACK = { flags: TCPHDR.ACK, seq: 1001, ack: 5001, payloadLen: 0, window: 502 };
const out = (i: number, tcp: CtPacket['tcp']): CtPacket => ({
  tuple: portTuple(6, client(i), 40_000, '10.96.0.10', 80),
  tcp,
});
const back = (i: number, tcp: CtPacket['tcp']): CtPacket => ({
  tuple: portTuple(6, '10.96.0.10', 80, client(i), 40_000),
  tcp,
});

interface ConntrackRun {
  readonly insertUs: number;
  readonly updateUs: number;
  readonly lookupUs: number;
  readonly tableBytes: number;
  readonly perVersionBytes: number;
}

function runConntrack(): ConntrackRun {
  const n = CONNTRACK_ENTRIES;
  const S = 1_000_000;
  const fill = (): CtTable => {
    let t = CT_EMPTY;
    for (let i = 0; i < n; i++) {
      const r = ctIn(t, out(i, SYN), 0, i + 1);
      t = ctConfirm(r.table, r.entry!, 0).table;
    }
    return t;
  };
  fill(); // warm-up
  const insert = time(3, fill);
  const { bytes: tableBytes, value: full } = retained(fill);
  if (ctCount(full) !== n) throw new Error('conntrack: entries missing');
  // A packet of a known connection: lookup by tuple, the TCP tracker, the entry's new version.
  const update = time(3, () => {
    let t = full;
    for (let i = 0; i < n; i++) {
      const r = ctIn(t, back(i, SYNACK), 1 * S, 0);
      if (r.ctstate !== 'ESTABLISHED') throw new Error(`conntrack: SYN-ACK was ${r.ctstate}`);
      t = r.table;
    }
    return t;
  });
  const lookup = time(3, () => {
    let hits = 0;
    for (let i = 0; i < n; i++) if (ctLookup(full, out(i, SYN).tuple)) hits++;
    return hits;
  });
  // Every version kept, as a trace keeps one per step: n packets, n tables.
  const { bytes: versionsBytes, value: versions } = retained(() => {
    const kept: CtTable[] = [];
    let t = update.value;
    for (let i = 0; i < n; i++) {
      t = ctIn(t, out(i, ACK), 2 * S, 0).table;
      kept.push(t);
    }
    return kept;
  });
  if (versions.length !== n) throw new Error('unreachable');
  return {
    insertUs: (insert.ms * 1000) / n,
    updateUs: (update.ms * 1000) / n,
    lookupUs: (lookup.ms * 1000) / n,
    tableBytes,
    perVersionBytes: versionsBytes / n,
  };
}

// ---------------------------------------------------------------------------

export function benchKernelTables(): void {
  const rules = kubeProxyRules(SERVICES, ENDPOINT_IPS);
  const parse = time(1, () => parseIptablesRestore(rules.text));
  if (!parse.value.ok) throw new Error(JSON.stringify(parse.value.errors.slice(0, 3)));
  const { bytes: rulesetBytes, value: parsed } = retained(() => parseIptablesRestore(rules.text));
  if (!parsed.ok) throw new Error('unreachable');

  const small = runScenario('1 service (8 nat rules)', 1, 3);
  const big = runScenario(`${num(SERVICES)} services (${num(rules.rules)} nat rules)`, SERVICES, 3);
  console.log(
    [
      '',
      `kube-proxy nat table: ${num(SERVICES)} ClusterIP services × ${ENDPOINT_IPS.length} endpoints on one node, ${num(rules.servicesChainRules)} rules in KUBE-SERVICES, ${num(rules.rules)} in the table (${mib(rules.text.length)} of iptables-restore)`,
      `  iptables-restore alone  ${ms(parse.ms)} (${us((parse.ms * 1000) / rules.rules)} per rule), the parsed ruleset holds ${mib(rulesetBytes)}`,
      '',
      table(
        [
          'one connection to the last service',
          'load+validate',
          'simulate',
          'steps',
          'heap for the trace',
          'slots copied per nf change (avg / max of all)',
        ],
        [small, big].map((r) => [
          r.label,
          ms(r.loadMs),
          ms(r.simMs),
          num(r.steps),
          mib(r.heap),
          `${num(r.copiedAvg)} / ${num(r.copiedMax)} of ${num(r.tableSlots)}${r.rulesCopied ? ' (rules copied!)' : ''}`,
        ]),
      ),
      `  the big ruleset's trace keeps ${mib(big.heap - small.heap)} more: the parsed ruleset (${mib(rulesetBytes)}) and its ${mib(rules.text.length)} of text, not ${num(big.steps)} copies of it`,
    ].join('\n'),
  );

  const walks = runTraverse(parsed.ruleset, rules.servicesChainRules);
  console.log(
    [
      '',
      table(
        [
          `one SYN through nat PREROUTING (${num(rules.rules)} rules)`,
          'KUBE-SERVICES rules tested',
          'per packet',
          'per rule tested',
          'heap per kept version',
        ],
        walks.map((w) => [
          w.label,
          num(w.rulesWalked),
          us(w.perPacketUs),
          w === walks[0]
            ? '—'
            : `${num(((w.perPacketUs - walks[0].perPacketUs) * 1000) / (w.rulesWalked - walks[0].rulesWalked))} ns`,
          bytes(w.perVersionBytes),
        ]),
      ),
      "  per rule tested: beyond the first service's packet, which tests 2 (the packet's fixed cost: the walk's setup, NAT, counters)",
    ].join('\n'),
  );

  const ct = runConntrack();
  console.log(
    [
      '',
      table(
        [`conntrack, ${num(CONNTRACK_ENTRIES)} TCP entries (HAMT)`, 'per packet'],
        [
          ['new connection: ctIn (miss, new entry) + ctConfirm', us(ct.insertUs)],
          ['packet of a known connection: ctIn (lookup, TCP tracker, update)', us(ct.updateUs)],
          ['lookup only: ctLookup', us(ct.lookupUs)],
        ],
      ),
      `  the table holds ${mib(ct.tableBytes)} (${bytes(ct.tableBytes / CONNTRACK_ENTRIES)} per entry); each kept version after one packet costs ${bytes(ct.perVersionBytes)} (${((100 * ct.perVersionBytes) / ct.tableBytes).toFixed(3)}% of a copy)`,
    ].join('\n'),
  );
}
