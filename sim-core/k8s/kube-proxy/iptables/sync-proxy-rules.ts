/**
 * The iptables proxier's full sync (pkg/proxy/iptables/proxier.go
 * syncProxyRules, Kubernetes v1.33) as a pure function: from the Services,
 * EndpointSlices and the node it builds the iptables-restore input kube-proxy
 * hands to `iptables-restore --noflush --counters` — the filter table, then
 * the nat table, each with its chain lines first and its rules after, in the
 * order kube-proxy writes them.
 *
 * One liberty: kube-proxy walks its service map, a Go map, in random order;
 * this model walks it sorted by ServicePortName (ns/name:port, then
 * protocol), so its output is deterministic. Within a service the order is
 * kube-proxy's.
 */
import type { EndpointSlice, ProxyNode, Service } from '../../api-types.ts';
import type { EndpointInfo } from '../endpoints.ts';
import { buildEndpointsMap, endpointsFor } from '../endpoints.ts';
import type { ServicePortInfo } from '../service-port.ts';
import {
  buildServicePortMap,
  cidrContains,
  externallyAccessible,
  normalizeCidr,
  usesClusterEndpoints,
  usesLocalEndpoints,
} from '../service-port.ts';
import { servicePortNameString } from '../service-port-name.ts';
import { categorizeEndpoints } from '../topology.ts';
import { endpointChainName, serviceChainNames } from './chain-names.ts';
import { LineBuffer, makeChainLine } from './line-buffer.ts';
import { masqueradeMark } from './mark.ts';
import { computeProbability } from './probability.ts';

export const KUBE_SERVICES = 'KUBE-SERVICES';
export const KUBE_EXTERNAL_SERVICES = 'KUBE-EXTERNAL-SERVICES';
export const KUBE_NODEPORTS = 'KUBE-NODEPORTS';
export const KUBE_POSTROUTING = 'KUBE-POSTROUTING';
export const KUBE_MARK_MASQ = 'KUBE-MARK-MASQ';
export const KUBE_FORWARD = 'KUBE-FORWARD';
export const KUBE_PROXY_FIREWALL = 'KUBE-PROXY-FIREWALL';
export const KUBE_PROXY_CANARY = 'KUBE-PROXY-CANARY';
/** kubelet's anti-martian chain, which kube-proxy duplicates. */
export const KUBE_FIREWALL = 'KUBE-FIREWALL';

/** largeClusterEndpointsThreshold: above this many endpoints, per-endpoint comments are dropped. */
export const LARGE_CLUSTER_ENDPOINTS_THRESHOLD = 1000;

/** The nfacct counters kube-proxy creates (pkg/proxy/metrics). */
export const NFACCT_CT_STATE_INVALID_DROPPED = 'ct_state_invalid_dropped_pkts';
export const NFACCT_LOCALHOST_NODEPORT_ACCEPTED = 'localhost_nps_accepted_pkts';

/** kube-proxy's flags that shape the rules, with its defaults. */
export interface IptablesProxierOptions {
  /** --iptables-masquerade-bit; 14. */
  readonly masqueradeBit?: number;
  /**
   * The mark string itself, overriding the one formatted from the bit (the
   * upstream unit tests' fake proxier sets "0x4000" directly).
   */
  readonly masqueradeMark?: string;
  /** --masquerade-all; false. */
  readonly masqueradeAll?: boolean;
  /** --iptables-localhost-nodeports; true. */
  readonly localhostNodePorts?: boolean;
  /**
   * Whether iptables supports MASQUERADE --random-fully (HasRandomFully;
   * true for iptables ≥ 1.6.2, so on this machine's 1.8.9; the upstream
   * tests' fake says false).
   */
  readonly randomFully?: boolean;
  /**
   * Whether kube-proxy could create its nfacct counters (nfacct.Ensure over
   * nfnetlink_acct). Real nodes usually can, and then KUBE-FORWARD's INVALID
   * rule and a localhost NodePort rule per NodePort carry "-m nfacct
   * --nfacct-name ..."; the upstream tests' fake says true. Default false
   * here because the simulator's netfilter model has no nfacct match (those
   * rules would not load); kube-proxy itself only logs "Failed to create
   * nfacct counter" and writes the rules without it.
   */
  readonly nfacct?: boolean;
  /** net.netfilter.nf_conntrack_tcp_be_liberal is set: no INVALID DROP rule. false. */
  readonly conntrackTCPLiberal?: boolean;
}

export interface IptablesProxierInput {
  readonly services: readonly Service[];
  readonly endpointSlices: readonly EndpointSlice[];
  readonly node: ProxyNode;
  readonly options?: IptablesProxierOptions;
}

export interface IptablesSyncResult {
  /** The iptables-restore input of a full sync: "*filter" … "COMMIT", "*nat" … "COMMIT". */
  readonly restoreText: string;
  /** The filter table's chain lines and rules as written (without "*filter"/"COMMIT"). */
  readonly filterChains: readonly string[];
  readonly filterRules: readonly string[];
  readonly natChains: readonly string[];
  readonly natRules: readonly string[];
  /** The masquerade mark as kube-proxy formats it ("0x00004000"). */
  readonly masqueradeMark: string;
  /** The total endpoint count decided large-cluster mode (comments dropped). */
  readonly largeClusterMode: boolean;
}

interface Resolved {
  readonly mark: string;
  readonly masqueradeAll: boolean;
  readonly localhostNodePorts: boolean;
  readonly randomFully: boolean;
  readonly nfacct: boolean;
  readonly conntrackTCPLiberal: boolean;
}

function resolve(o: IptablesProxierOptions = {}): Resolved {
  return {
    mark: o.masqueradeMark ?? masqueradeMark(o.masqueradeBit ?? 14),
    masqueradeAll: o.masqueradeAll ?? false,
    localhostNodePorts: o.localhostNodePorts ?? true,
    randomFully: o.randomFully ?? true,
    nfacct: o.nfacct ?? false,
    conntrackTCPLiberal: o.conntrackTCPLiberal ?? false,
  };
}

/**
 * proxyutil.LocalTrafficDetector for --detect-local-mode=ClusterCIDR:
 * "-s <cidr>" is pod traffic, "! -s <cidr>" is not; not implemented (no
 * rules) when there is no cluster CIDR.
 */
interface LocalDetector {
  readonly implemented: boolean;
  readonly ifLocal: readonly string[];
  readonly ifNotLocal: readonly string[];
}

function detectLocalByCidr(clusterCIDR: string): LocalDetector {
  const cidr = clusterCIDR === '' ? undefined : (normalizeCidr(clusterCIDR) ?? clusterCIDR);
  if (cidr === undefined) return { implemented: false, ifLocal: [], ifNotLocal: [] };
  return { implemented: true, ifLocal: ['-s', cidr], ifNotLocal: ['!', '-s', cidr] };
}

/** syncProxyRules for a node's IPv4 proxier, as its first (full) sync writes it. */
export function syncIptablesProxier(input: IptablesProxierInput): IptablesSyncResult {
  const opts = resolve(input.options);
  const mark = opts.mark;
  const detector = detectLocalByCidr(input.node.clusterCIDR);
  const svcPortMap = buildServicePortMap(input.services);
  const endpointsMap = buildEndpointsMap(input.endpointSlices, input.node.name);

  const filterChains = new LineBuffer();
  const filterRules = new LineBuffer();
  const natChains = new LineBuffer();
  const natRules = new LineBuffer();

  for (const c of [
    KUBE_SERVICES,
    KUBE_EXTERNAL_SERVICES,
    KUBE_FORWARD,
    KUBE_NODEPORTS,
    KUBE_PROXY_FIREWALL,
  ])
    filterChains.write(makeChainLine(c));
  for (const c of [KUBE_SERVICES, KUBE_NODEPORTS, KUBE_POSTROUTING, KUBE_MARK_MASQ])
    natChains.write(makeChainLine(c));

  // The masquerade machinery: KUBE-POSTROUTING masquerades what carries the
  // mark (clearing it first, in case the packet traverses the stack again);
  // KUBE-MARK-MASQ sets it.
  natRules.write(
    '-A',
    KUBE_POSTROUTING,
    '-m',
    'mark',
    '!',
    '--mark',
    `${mark}/${mark}`,
    '-j',
    'RETURN',
  );
  natRules.write('-A', KUBE_POSTROUTING, '-j', 'MARK', '--xor-mark', mark);
  natRules.write(
    commented(KUBE_POSTROUTING, '"kubernetes service traffic requiring SNAT"'),
    '-j',
    'MASQUERADE',
    opts.randomFully ? ['--random-fully'] : [],
  );
  natRules.write('-A', KUBE_MARK_MASQ, '-j', 'MARK', '--or-mark', mark);

  // route_localnet makes NodePorts answer on 127.0.0.1; this anti-martian
  // rule (a copy of kubelet's) keeps other hosts from using that.
  if (opts.localhostNodePorts) {
    filterChains.write(makeChainLine(KUBE_FIREWALL));
    filterRules.write(
      commented(KUBE_FIREWALL, '"block incoming localnet connections"'),
      '-d',
      '127.0.0.0/8',
      '!',
      '-s',
      '127.0.0.0/8',
      '-m',
      'conntrack',
      '!',
      '--ctstate',
      'RELATED,ESTABLISHED,DNAT',
      '-j',
      'DROP',
    );
  }

  let totalEndpoints = 0;
  for (const sp of svcPortMap) totalEndpoints += endpointsFor(endpointsMap, sp.name).length;
  const largeClusterMode = totalEndpoints > LARGE_CLUSTER_ENDPOINTS_THRESHOLD;
  const comment = (text: string): string[] =>
    largeClusterMode ? [] : ['-m', 'comment', '--comment', text];

  const ctx: ServiceContext = {
    opts,
    detector,
    nodeIP: input.node.ip,
    filterRules,
    natChains,
    natRules,
    comment,
  };
  for (const sp of svcPortMap) writeServicePort(ctx, sp, endpointsFor(endpointsMap, sp.name));

  // Finally the jump to KUBE-NODEPORTS, which must stay last. (nodePortAddresses
  // unset: every local address, i.e. addrtype LOCAL.)
  natRules.write(
    commented(
      KUBE_SERVICES,
      '"kubernetes service nodeports; NOTE: this must be the last rule in this chain"',
    ),
    '-m',
    'addrtype',
    '--dst-type',
    'LOCAL',
    opts.localhostNodePorts ? [] : ['!', '-d', '127.0.0.0/8'],
    '-j',
    KUBE_NODEPORTS,
  );

  if (!opts.conntrackTCPLiberal) {
    filterRules.write(
      '-A',
      KUBE_FORWARD,
      '-m',
      'conntrack',
      '--ctstate',
      'INVALID',
      opts.nfacct ? ['-m', 'nfacct', '--nfacct-name', NFACCT_CT_STATE_INVALID_DROPPED] : [],
      '-j',
      'DROP',
    );
  }
  filterRules.write(
    commented(KUBE_FORWARD, '"kubernetes forwarding rules"'),
    '-m',
    'mark',
    '--mark',
    `${mark}/${mark}`,
    '-j',
    'ACCEPT',
  );
  filterRules.write(
    commented(KUBE_FORWARD, '"kubernetes forwarding conntrack rule"'),
    '-m',
    'conntrack',
    '--ctstate',
    'RELATED,ESTABLISHED',
    '-j',
    'ACCEPT',
  );

  const text = [
    '*filter',
    ...filterChains.lines,
    ...filterRules.lines,
    'COMMIT',
    '*nat',
    ...natChains.lines,
    ...natRules.lines,
    'COMMIT',
  ]
    .map((l) => `${l}\n`)
    .join('');
  return {
    restoreText: text,
    filterChains: filterChains.lines,
    filterRules: filterRules.lines,
    natChains: natChains.lines,
    natRules: natRules.lines,
    masqueradeMark: mark,
    largeClusterMode,
  };
}

interface ServiceContext {
  readonly opts: Resolved;
  readonly detector: LocalDetector;
  readonly nodeIP: string;
  readonly filterRules: LineBuffer;
  readonly natChains: LineBuffer;
  readonly natRules: LineBuffer;
  /** appendServiceCommentLocked: the comment words, or none in large-cluster mode. */
  readonly comment: (text: string) => string[];
}

/** The body of syncProxyRules' loop for one service port. */
function writeServicePort(
  ctx: ServiceContext,
  sp: ServicePortInfo,
  allEndpoints: readonly EndpointInfo[],
): void {
  const { opts, detector, filterRules, natChains, natRules } = ctx;
  const protocol = sp.protocol.toLowerCase();
  const name = servicePortNameString(sp.name);
  const chains = serviceChainNames(name, protocol);
  const port = String(sp.port);
  const { clusterEndpoints, localEndpoints, allReachableEndpoints, hasAnyEndpoints } =
    categorizeEndpoints(allEndpoints, sp);
  const hasEndpoints = hasAnyEndpoints;

  const clusterPolicyChain = chains.clusterPolicy;
  const usesClusterPolicyChain = (clusterEndpoints?.length ?? 0) > 0 && usesClusterEndpoints(sp);
  const localPolicyChain = chains.localPolicy;
  const usesLocalPolicyChain = (localEndpoints?.length ?? 0) > 0 && usesLocalEndpoints(sp);

  let internalPolicyChain = clusterPolicyChain;
  let hasInternalEndpoints = hasEndpoints;
  if (sp.internalPolicyLocal) {
    internalPolicyChain = localPolicyChain;
    if ((localEndpoints?.length ?? 0) === 0) hasInternalEndpoints = false;
  }
  const internalTrafficChain = internalPolicyChain;

  let externalPolicyChain = clusterPolicyChain;
  let hasExternalEndpoints = hasEndpoints;
  if (sp.externalPolicyLocal) {
    externalPolicyChain = localPolicyChain;
    if ((localEndpoints?.length ?? 0) === 0) hasExternalEndpoints = false;
  }
  const externalTrafficChain = chains.external;
  // Even with no endpoints for external traffic, the short-circuit rules for
  // pods and the node itself still need the EXT chain.
  const usesExternalTrafficChain = hasEndpoints && externallyAccessible(sp);

  const fwChain = chains.firewall;
  const usesFWChain =
    hasEndpoints && sp.loadBalancerVIPs.length > 0 && sp.loadBalancerSourceRanges.length > 0;
  const loadBalancerTrafficChain = usesFWChain ? fwChain : externalTrafficChain;

  let internalFilterTarget = '';
  let internalFilterComment = '';
  let externalFilterTarget = '';
  let externalFilterComment = '';
  if (!hasEndpoints) {
    internalFilterTarget = 'REJECT';
    internalFilterComment = `"${name} has no endpoints"`;
    externalFilterTarget = 'REJECT';
    externalFilterComment = internalFilterComment;
  } else {
    if (!hasInternalEndpoints) {
      internalFilterTarget = 'DROP';
      internalFilterComment = `"${name} has no local endpoints"`;
    }
    if (!hasExternalEndpoints) {
      externalFilterTarget = 'DROP';
      externalFilterComment = `"${name} has no local endpoints"`;
    }
  }

  const proto = ['-m', protocol, '-p', protocol];
  // `-A chain -m comment --comment C -m proto -p proto -d DST --dport port -j T`:
  // the shape of every capture rule proxier.go writes for a service port.
  const capture = (
    rules: LineBuffer,
    chain: string,
    comment: string,
    dst: string,
    target: string,
  ): void =>
    rules.write(commented(chain, comment), proto, '-d', dst, '--dport', port, '-j', target);

  // Capture the clusterIP.
  if (hasInternalEndpoints) {
    capture(natRules, KUBE_SERVICES, `"${name} cluster IP"`, sp.clusterIP, internalTrafficChain);
  } else {
    capture(filterRules, KUBE_SERVICES, internalFilterComment, sp.clusterIP, internalFilterTarget);
  }

  // Capture externalIPs.
  for (const externalIP of sp.externalIPs) {
    if (hasEndpoints) {
      capture(natRules, KUBE_SERVICES, `"${name} external IP"`, externalIP, externalTrafficChain);
    }
    if (!hasExternalEndpoints) {
      capture(
        filterRules,
        KUBE_EXTERNAL_SERVICES,
        externalFilterComment,
        externalIP,
        externalFilterTarget,
      );
    }
  }

  // Capture load-balancer ingress.
  for (const lbip of sp.loadBalancerVIPs) {
    if (hasEndpoints) {
      capture(natRules, KUBE_SERVICES, `"${name} loadbalancer IP"`, lbip, loadBalancerTrafficChain);
    }
    if (usesFWChain) {
      capture(
        filterRules,
        KUBE_PROXY_FIREWALL,
        `"${name} traffic not accepted by ${fwChain}"`,
        lbip,
        'DROP',
      );
    }
  }
  if (!hasExternalEndpoints) {
    for (const lbip of sp.loadBalancerVIPs) {
      capture(
        filterRules,
        KUBE_EXTERNAL_SERVICES,
        externalFilterComment,
        lbip,
        externalFilterTarget,
      );
    }
  }

  // Capture nodeports (not subject to loadBalancerSourceRanges).
  if (sp.nodePort !== 0) {
    const nodePort = String(sp.nodePort);
    if (hasEndpoints) {
      if (opts.localhostNodePorts && opts.nfacct) {
        natRules.write(
          commented(KUBE_NODEPORTS, name),
          proto,
          '-d',
          '127.0.0.0/8',
          '--dport',
          nodePort,
          '-m',
          'nfacct',
          '--nfacct-name',
          NFACCT_LOCALHOST_NODEPORT_ACCEPTED,
          '-j',
          externalTrafficChain,
        );
      }
      natRules.write(
        commented(KUBE_NODEPORTS, name),
        proto,
        '--dport',
        nodePort,
        '-j',
        externalTrafficChain,
      );
    }
    if (!hasExternalEndpoints) {
      filterRules.write(
        commented(KUBE_EXTERNAL_SERVICES, externalFilterComment),
        '-m',
        'addrtype',
        '--dst-type',
        'LOCAL',
        proto,
        '--dport',
        nodePort,
        '-j',
        externalFilterTarget,
      );
    }
  }

  // Capture healthCheckNodePorts, whether or not this node has local endpoints.
  if (sp.healthCheckNodePort !== 0) {
    filterRules.write(
      commented(KUBE_NODEPORTS, `"${name} health check node port"`),
      '-m',
      'tcp',
      '-p',
      'tcp',
      '--dport',
      String(sp.healthCheckNodePort),
      '-j',
      'ACCEPT',
    );
  }

  // Internal traffic: masquerade what comes from off the cluster (or all of
  // it with --masquerade-all), since the answer may cross nodes.
  if (hasInternalEndpoints) {
    const args = [
      '-m',
      'comment',
      '--comment',
      `"${name} cluster IP"`,
      ...proto,
      '-d',
      sp.clusterIP,
      '--dport',
      port,
    ];
    if (opts.masqueradeAll) {
      natRules.write('-A', internalTrafficChain, args, '-j', KUBE_MARK_MASQ);
    } else if (detector.implemented) {
      natRules.write('-A', internalTrafficChain, args, detector.ifNotLocal, '-j', KUBE_MARK_MASQ);
    }
  }

  // External traffic.
  if (usesExternalTrafficChain) {
    natChains.write(makeChainLine(externalTrafficChain));
    if (!sp.externalPolicyLocal) {
      natRules.write(
        commented(externalTrafficChain, `"masquerade traffic for ${name} external destinations"`),
        '-j',
        KUBE_MARK_MASQ,
      );
    } else {
      if (detector.implemented) {
        natRules.write(
          commented(externalTrafficChain, `"pod traffic for ${name} external destinations"`),
          detector.ifLocal,
          '-j',
          clusterPolicyChain,
        );
      }
      natRules.write(
        commented(
          externalTrafficChain,
          `"masquerade LOCAL traffic for ${name} external destinations"`,
        ),
        '-m',
        'addrtype',
        '--src-type',
        'LOCAL',
        '-j',
        KUBE_MARK_MASQ,
      );
      natRules.write(
        commented(externalTrafficChain, `"route LOCAL traffic for ${name} external destinations"`),
        '-m',
        'addrtype',
        '--src-type',
        'LOCAL',
        '-j',
        clusterPolicyChain,
      );
    }
    if (hasExternalEndpoints) natRules.write('-A', externalTrafficChain, '-j', externalPolicyChain);
  }

  // The firewall chain for loadBalancerSourceRanges; what falls off its end
  // is dropped by the KUBE-PROXY-FIREWALL rule in filter.
  if (usesFWChain) {
    natChains.write(makeChainLine(fwChain));
    const args = ['-A', fwChain, '-m', 'comment', '--comment', `"${name} loadbalancer IP"`];
    let allowFromNode = false;
    for (const cidr of sp.loadBalancerSourceRanges) {
      natRules.write(args, '-s', cidr, '-j', externalTrafficChain);
      if (cidrContains(cidr, ctx.nodeIP)) allowFromNode = true;
    }
    // A node reaching its own VIP-like LB loops back with the VIP as source.
    if (allowFromNode) {
      for (const lbip of sp.loadBalancerVIPs)
        natRules.write(args, '-s', lbip, '-j', externalTrafficChain);
    }
    natRules.write(
      commented(fwChain, `"other traffic to ${name} will be dropped by KUBE-PROXY-FIREWALL"`),
    );
  }

  if (usesClusterPolicyChain) {
    natChains.write(makeChainLine(clusterPolicyChain));
    writeServiceToEndpointRules(
      ctx,
      name,
      protocol,
      sp,
      clusterPolicyChain,
      clusterEndpoints ?? [],
    );
  }
  if (usesLocalPolicyChain) {
    natChains.write(makeChainLine(localPolicyChain));
    writeServiceToEndpointRules(ctx, name, protocol, sp, localPolicyChain, localEndpoints ?? []);
  }

  // The per-endpoint chains.
  for (const ep of allReachableEndpoints) {
    const epChain = endpointChainName(name, protocol, ep.endpoint);
    natChains.write(makeChainLine(epChain));
    const args = ['-A', epChain, ...ctx.comment(name)];
    // Hairpin: an endpoint reaching itself through the Service is masqueraded.
    natRules.write(args, '-s', ep.ip, '-j', KUBE_MARK_MASQ);
    const affinity =
      sp.sessionAffinity === 'ClientIP' ? ['-m', 'recent', '--name', epChain, '--set'] : [];
    natRules.write(args, affinity, proto, '-j', 'DNAT', '--to-destination', ep.endpoint);
  }
}

/** `-A chain -m comment --comment C`: how most of kube-proxy's rules begin. */
function commented(chain: string, comment: string): string[] {
  return ['-A', chain, '-m', 'comment', '--comment', comment];
}

/** writeServiceToEndpointRules: affinity checks first, then the random pick. */
function writeServiceToEndpointRules(
  ctx: ServiceContext,
  name: string,
  protocol: string,
  sp: ServicePortInfo,
  svcChain: string,
  endpoints: readonly EndpointInfo[],
): void {
  const chainOf = (ep: EndpointInfo) => endpointChainName(name, protocol, ep.endpoint);
  if (sp.sessionAffinity === 'ClientIP') {
    for (const ep of endpoints) {
      const epChain = chainOf(ep);
      ctx.natRules.write(
        '-A',
        svcChain,
        ctx.comment(`"${name} -> ${ep.endpoint}"`),
        '-m',
        'recent',
        '--name',
        epChain,
        '--rcheck',
        '--seconds',
        String(sp.stickyMaxAgeSeconds),
        '--reap',
        '-j',
        epChain,
      );
    }
  }
  const n = endpoints.length;
  endpoints.forEach((ep, i) => {
    const statistic =
      i < n - 1
        ? ['-m', 'statistic', '--mode', 'random', '--probability', computeProbability(n - i)]
        : [];
    ctx.natRules.write(
      '-A',
      svcChain,
      ctx.comment(`"${name} -> ${ep.endpoint}"`),
      statistic,
      '-j',
      chainOf(ep),
    );
  });
}
