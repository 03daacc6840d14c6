/**
 * The Corefile: kubeadm's text, exactly as cmd/kubeadm/app/phases/addons/dns/
 * manifests.go renders it (CoreDNSConfigMap, with DNSDomain filled in), and a
 * small parser into the settings our CoreDNS uses. Caddyfile syntax: a
 * server block `.:53 { … }`, one directive per line, arguments separated by
 * spaces, an optional `{ … }` block of sub-directives, `#` comments.
 *
 * Since kubeadm v1.32 (kubernetes PR 128359) `cache 30` carries
 * `disable success/denial <domain>`: answers for the cluster domain are not
 * cached, so that Service changes show at once (RFC 1035 §6.1.2:
 * authoritative data hides cached data). Forwarded names and the reverse
 * zones are still cached for up to 30 s.
 */

export function kubeadmCorefile(clusterDomain: string): string {
  return `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes ${clusterDomain} in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success ${clusterDomain}
       disable denial ${clusterDomain}
    }
    loop
    reload
    loadbalance
}
`;
}

export interface CorefileError {
  /** 1-based, within the Corefile text. */
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export interface KubernetesPluginConfig {
  /** Zones, fully qualified and lower case ("cluster.local."). */
  readonly zones: readonly string[];
  readonly pods: 'disabled' | 'insecure' | 'verified';
  /** null: no fallthrough; []: every zone; else these zones. */
  readonly fallthrough: readonly string[] | null;
  /** TTL of the answers (default 5, kubeadm sets 30). */
  readonly ttl: number;
  /** `endpoint_pod_names`: a headless endpoint without hostname is named after its pod. */
  readonly endpointPodNames: boolean;
}

export interface CacheConfig {
  /** Largest TTL for positive (success) and negative (denial) answers. */
  readonly successTtl: number;
  readonly denialTtl: number;
  /** Smallest cache duration (MINTTL, default 5 s). */
  readonly successMinTtl: number;
  readonly denialMinTtl: number;
  /** `servfail DURATION`, default 5 s. */
  readonly servfailTtl: number;
  readonly disableSuccess: readonly string[];
  readonly disableDenial: readonly string[];
}

export interface ForwardConfig {
  readonly from: string;
  readonly to: readonly string[];
}

export interface Directive {
  readonly name: string;
  readonly args: readonly string[];
  readonly line: number;
}

export interface CorefileConfig {
  /** The server block's keys (".:53"). */
  readonly keys: readonly string[];
  /** Every directive, in the order written (for the Corefile panel). */
  readonly directives: readonly Directive[];
  readonly kubernetes?: KubernetesPluginConfig;
  readonly cache?: CacheConfig;
  readonly forward?: ForwardConfig;
  readonly loadbalance: boolean;
}

export type CorefileResult =
  | { readonly ok: true; readonly config: CorefileConfig }
  | { readonly ok: false; readonly errors: readonly CorefileError[] };

interface Token {
  readonly text: string;
  readonly line: number;
  readonly column: number;
}

function tokenize(text: string): Token[][] {
  const lines: Token[][] = [];
  text.split('\n').forEach((raw, i) => {
    const toks: Token[] = [];
    const re = /\S+/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(raw))) {
      if (m[0].startsWith('#')) break;
      toks.push({ text: m[0], line: i + 1, column: m.index + 1 });
    }
    if (toks.length) lines.push(toks);
  });
  return lines;
}

/** Known plugins (CoreDNS plugin.cfg), so a typo is caught where it is. */
const PLUGINS = new Set(
  'errors health ready kubernetes prometheus forward cache loop reload loadbalance log debug hosts rewrite template whoami bind bufsize'.split(
    ' ',
  ),
);

const fqdn = (z: string) => (z.endsWith('.') ? z : `${z}.`).toLowerCase();

interface Block {
  readonly head: Token[];
  readonly body: Token[][];
}

export function parseCorefile(text: string): CorefileResult {
  const errors: CorefileError[] = [];
  const err = (t: Token, message: string) =>
    errors.push({ line: t.line, column: t.column, message });
  const lines = tokenize(text);
  if (lines.length === 0)
    return { ok: false, errors: [{ line: 1, column: 1, message: 'empty Corefile' }] };
  const first = lines[0];
  if (first[first.length - 1].text !== '{') {
    err(first[0], `expected a server block "${first[0].text} {"`);
    return { ok: false, errors };
  }
  const keys = first.slice(0, -1).map((t) => t.text);
  const directives: Directive[] = [];
  const blocks: Block[] = [];
  let i = 1;
  let closed = false;
  for (; i < lines.length; i++) {
    const l = lines[i];
    if (l.length === 1 && l[0].text === '}') {
      closed = true;
      i++;
      break;
    }
    const opens = l[l.length - 1].text === '{';
    const head = opens ? l.slice(0, -1) : l;
    const body: Token[][] = [];
    if (opens) {
      for (i++; i < lines.length && !(lines[i].length === 1 && lines[i][0].text === '}'); i++)
        body.push(lines[i]);
      if (i >= lines.length) err(l[l.length - 1], `unclosed "{" of ${head[0].text}`);
    }
    blocks.push({ head, body });
    directives.push({
      name: head[0].text,
      args: head.slice(1).map((t) => t.text),
      line: head[0].line,
    });
    if (!PLUGINS.has(head[0].text)) err(head[0], `unknown directive '${head[0].text}'`);
  }
  if (!closed) err(first[first.length - 1], 'server block is not closed with "}"');
  else if (i < lines.length) err(lines[i][0], 'only one server block is supported');

  let kubernetes: KubernetesPluginConfig | undefined;
  let cache: CacheConfig | undefined;
  let forward: ForwardConfig | undefined;
  let loadbalance = false;
  for (const b of blocks) {
    const name = b.head[0].text;
    if (name === 'kubernetes') kubernetes = kubernetesBlock(b, err);
    else if (name === 'cache') cache = cacheBlock(b, err);
    else if (name === 'forward') {
      if (b.head.length < 3) err(b.head[0], 'forward needs FROM and at least one TO');
      else forward = { from: fqdn(b.head[1].text), to: b.head.slice(2).map((t) => t.text) };
    } else if (name === 'loadbalance') {
      const policy = b.head[1]?.text;
      if (policy !== undefined && policy !== 'round_robin')
        err(b.head[1], `unknown policy: ${policy} (only round_robin is modelled)`);
      loadbalance = true;
    }
  }
  errors.sort((a, b) => a.line - b.line || a.column - b.column);
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    config: {
      keys,
      directives,
      ...(kubernetes ? { kubernetes } : {}),
      ...(cache ? { cache } : {}),
      ...(forward ? { forward } : {}),
      loadbalance,
    },
  };
}

type Err = (t: Token, message: string) => void;

function int(t: Token | undefined, at: Token, what: string, err: Err): number | undefined {
  if (!t) {
    err(at, `${what} needs a number`);
    return undefined;
  }
  const n = Number(t.text);
  if (!Number.isInteger(n) || n < 0) {
    err(t, `${what}: not a number of seconds: "${t.text}"`);
    return undefined;
  }
  return n;
}

function kubernetesBlock(b: Block, err: Err): KubernetesPluginConfig {
  let pods: KubernetesPluginConfig['pods'] = 'disabled';
  let fallthrough: string[] | null = null;
  let ttl = 5;
  let endpointPodNames = false;
  for (const l of b.body) {
    const [d, ...args] = l;
    if (d.text === 'pods') {
      const mode = args[0]?.text;
      if (mode === 'disabled' || mode === 'insecure' || mode === 'verified') pods = mode;
      else err(args[0] ?? d, `pods: expected disabled, insecure or verified`);
    } else if (d.text === 'fallthrough') fallthrough = args.map((a) => fqdn(a.text));
    else if (d.text === 'ttl') {
      const n = int(args[0], d, 'ttl', err);
      if (n !== undefined && n > 3600) err(args[0], 'ttl must be in range [0, 3600]');
      else if (n !== undefined) ttl = n;
    } else if (d.text === 'endpoint_pod_names') endpointPodNames = true;
    else err(d, `unknown property '${d.text}'`);
  }
  const zones = b.head.slice(1).map((t) => fqdn(t.text));
  return { zones: zones.length ? zones : ['.'], pods, fallthrough, ttl, endpointPodNames };
}

function cacheBlock(b: Block, err: Err): CacheConfig {
  const max = b.head[1] ? int(b.head[1], b.head[0], 'cache', err) : undefined;
  let successTtl = max ?? 3600;
  let denialTtl = max ?? 1800;
  let successMinTtl = 5;
  let denialMinTtl = 5;
  let servfailTtl = 5;
  const disableSuccess: string[] = [];
  const disableDenial: string[] = [];
  for (const l of b.body) {
    const [d, ...args] = l;
    if (d.text === 'disable') {
      const which = args[0]?.text;
      const zones = args.slice(1).map((a) => fqdn(a.text));
      if (which === 'success') disableSuccess.push(...(zones.length ? zones : ['.']));
      else if (which === 'denial') disableDenial.push(...(zones.length ? zones : ['.']));
      else err(args[0] ?? d, 'disable: expected success or denial');
    } else if (d.text === 'success' || d.text === 'denial') {
      const ttl = args[1] ? int(args[1], d, d.text, err) : undefined;
      const min = args[2] ? int(args[2], d, d.text, err) : undefined;
      if (d.text === 'success') {
        successTtl = ttl ?? successTtl;
        successMinTtl = min ?? successMinTtl;
      } else {
        denialTtl = ttl ?? denialTtl;
        denialMinTtl = min ?? denialMinTtl;
      }
    } else if (d.text === 'servfail') {
      const m = /^(\d+)s$/.exec(args[0]?.text ?? '');
      if (m) servfailTtl = Number(m[1]);
      else err(args[0] ?? d, 'servfail: expected a duration like 5s');
    } else err(d, `unknown property '${d.text}'`);
  }
  return {
    successTtl,
    denialTtl,
    successMinTtl,
    denialMinTtl,
    servfailTtl,
    disableSuccess,
    disableDenial,
  };
}
