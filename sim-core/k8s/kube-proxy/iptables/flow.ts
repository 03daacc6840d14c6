/**
 * A new connection's first packet walked through a node's ruleset the way
 * the kernel does (for tests, like kube-proxy's tracePacket in
 * proxier_test.go): nat PREROUTING (nat OUTPUT for the node's own packets),
 * then filter INPUT when the translated destination is local, FORWARD
 * otherwise (OUTPUT for the node's own).
 */
import type { NetfilterState } from '../../../dataplane/netfilter/index.ts';
import { traverse } from '../../../dataplane/netfilter/index.ts';
import { testEnv } from '../../../dataplane/netfilter/test-env.ts';

export interface Flow {
  readonly src: string;
  readonly dst: string;
  readonly dport: number;
  readonly protocol?: number;
  /** statistic draws, in [0, 1): below a rule's probability picks its endpoint. */
  readonly randoms?: readonly number[];
  readonly nowUs?: number;
}

export interface FlowResult {
  /** "ip:port" after DNAT, or "REJECT"/"DROP", or "" when nothing matched. */
  readonly output: string;
  readonly masq: boolean;
  readonly state: NetfilterState;
  /** How many statistic draws the walk took. */
  readonly draws: number;
}

export function flow(state: NetfilterState, f: Flow, localAddrs: readonly string[]): FlowResult {
  const fromNode = localAddrs.includes(f.src);
  const env = testEnv({
    randoms: f.randoms ?? [],
    nowUs: f.nowUs ?? 1_000_000,
    types: Object.fromEntries(localAddrs.map((a) => [a, 'LOCAL' as const])),
  });
  const pkt = {
    src: f.src,
    dst: f.dst,
    protocol: f.protocol ?? 6,
    sport: 40000,
    dport: f.dport,
    tcpFlags: 0x02,
    length: 60,
    mark: 0,
    ctState: 'NEW' as const,
  };
  const nat = traverse(state, 'nat', fromNode ? 'OUTPUT' : 'PREROUTING', pkt, env);
  const dnat = nat.nat?.kind === 'DNAT' ? nat.nat : undefined;
  const dst = dnat?.addr ?? f.dst;
  const dport = dnat?.port ?? f.dport;
  const filterChain = fromNode ? 'OUTPUT' : localAddrs.includes(dst) ? 'INPUT' : 'FORWARD';
  const filtered = traverse(
    nat.state,
    'filter',
    filterChain,
    { ...pkt, dst, dport, mark: nat.mark, ...(dnat ? { ctStatus: ['DNAT' as const] } : {}) },
    env,
  );
  const masq = (filtered.mark & 0x4000) !== 0;
  if (filtered.verdict !== 'ACCEPT')
    return { output: filtered.verdict, masq, state: filtered.state, draws: env.draws };
  return { output: dnat ? `${dst}:${dport}` : '', masq, state: filtered.state, draws: env.draws };
}

/**
 * Every outcome the random picks allow, as kube-proxy's packet-flow tests
 * state them: the endpoints joined by ", " in order (or a verdict), and
 * whether any was masqueraded.
 */
export function allOutcomes(
  state: NetfilterState,
  f: Omit<Flow, 'randoms'>,
  localAddrs: readonly string[],
): { output: string; masq: boolean } {
  const outputs: string[] = [];
  let masq = false;
  for (let k = 0; k < 64; k++) {
    const r = flow(state, { ...f, randoms: [...Array<number>(k).fill(0.999999), 0] }, localAddrs);
    if (!outputs.includes(r.output)) outputs.push(r.output);
    masq ||= r.masq;
    if (r.draws <= k) break;
  }
  return { output: outputs.join(', '), masq };
}
