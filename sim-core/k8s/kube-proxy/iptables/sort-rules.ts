/**
 * The order kube-proxy's own unit tests compare restore input in
 * (proxier_test.go sortIPTablesRules): tables by name; in each table
 * KUBE-NODEPORTS first, then KUBE-SERVICES, then the other KUBE-* chains
 * alphabetically, then the rest; each chain's rules in written order, except
 * that KUBE-NODEPORTS and KUBE-SERVICES rules are stably sorted by the
 * service name their comment starts with ("ns/svc" up to the first space or
 * colon), nat's "must be the last rule" jump staying last. This takes out the
 * random order kube-proxy walks Services in, so expected texts can be stated.
 */

interface DumpTable {
  readonly name: string;
  readonly chains: string[];
  readonly rules: Map<string, string[]>;
}

/** The value of a rule's `--comment`, unquoted; undefined without one. */
export function ruleComment(rule: string): string | undefined {
  const m = /--comment (?:"([^"]*)"|(\S+))/.exec(rule);
  if (!m) return undefined;
  return m[1] ?? m[2];
}

function serviceNameOf(rule: string): string | undefined {
  const c = ruleComment(rule);
  if (c === undefined) return undefined;
  const i = c.search(/[ :]/);
  return i < 0 ? c : c.slice(0, i);
}

function parseDump(text: string): DumpTable[] {
  const tables: DumpTable[] = [];
  let cur: DumpTable | undefined;
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('*')) {
      cur = { name: line.slice(1), chains: [], rules: new Map() };
      tables.push(cur);
    } else if (line === 'COMMIT') {
      cur = undefined;
    } else if (cur && line.startsWith(':')) {
      const name = line.slice(1).split(' ')[0];
      cur.chains.push(name);
      cur.rules.set(name, []);
    } else if (cur && line.startsWith('-A ')) {
      const chain = line.split(' ')[1];
      const list = cur.rules.get(chain);
      if (!list) throw new Error(`rule for undeclared chain ${chain}: ${line}`);
      list.push(line);
    } else if (cur && line.startsWith('-X ')) {
      // chain deletions are not part of a first sync
    } else {
      throw new Error(`unexpected line: ${line}`);
    }
  }
  return tables;
}

function chainRank(name: string): [number, string] {
  if (name === 'KUBE-NODEPORTS') return [0, ''];
  if (name === 'KUBE-SERVICES') return [1, ''];
  return [name.startsWith('KUBE-') ? 2 : 3, name];
}

function compareChains(a: string, b: string): number {
  const [ra, na] = chainRank(a);
  const [rb, nb] = chainRank(b);
  if (ra !== rb) return ra - rb;
  return na < nb ? -1 : na > nb ? 1 : 0;
}

function byServiceName(a: string, b: string): number {
  const na = serviceNameOf(a);
  const nb = serviceNameOf(b);
  if (na === undefined || nb === undefined) return 0;
  return na < nb ? -1 : na > nb ? 1 : 0;
}

const isLast = (rule: string) => ruleComment(rule)?.includes('must be the last rule') ?? false;

/** sortIPTablesRules: the input re-emitted in the upstream tests' canonical order. */
export function sortIptablesRules(text: string): string {
  const tables = parseDump(text).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const t of tables) {
    const chains = [...t.chains].sort(compareChains);
    for (const name of ['KUBE-NODEPORTS', 'KUBE-SERVICES']) {
      const rules = t.rules.get(name);
      if (!rules) continue;
      rules.sort((a, b) => {
        if (t.name === 'nat' && name === 'KUBE-SERVICES') {
          if (isLast(a) !== isLast(b)) return isLast(a) ? 1 : -1;
        }
        return byServiceName(a, b);
      });
    }
    out.push(`*${t.name}`);
    for (const c of chains) out.push(`:${c} - [0:0]`);
    for (const c of chains) out.push(...(t.rules.get(c) ?? []));
    out.push('COMMIT');
  }
  return out.map((l) => `${l}\n`).join('');
}
