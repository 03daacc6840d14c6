/** The one entry point: a fact, rendered by its type's narrator. */
import { arpNarrators } from './arp.ts';
import { calicoNarrators } from './calico.ts';
import { ciliumNarrators } from './cilium.ts';
import { controlNarrators } from './control.ts';
import { dnsNarrators } from './dns.ts';
import { dnsPathNarrators } from './dns-path.ts';
import { faultNarrators } from './faults.ts';
import type { Fact } from './facts.ts';
import { ingressNarrators } from './ingress.ts';
import { httpNarrators } from './http.ts';
import { ipNarrators } from './ip.ts';
import { ipvsNarrators } from './ipvs.ts';
import { kubeNarrators } from './kube.ts';
import { linkNarrators } from './link.ts';
import { netfilterNarrators } from './netfilter.ts';
import { tcpNarrators } from './tcp.ts';
import { terminationNarrators } from './termination.ts';
import { tunnelNarrators } from './tunnel.ts';
import type { Narration, Narrators } from './types.ts';

let all: Narrators<Fact> | undefined;

/** The headline and the full explanation of a fact. */
export function narrate(fact: Fact): Narration {
  // Built on first use: the area modules import this one for their nested facts.
  all ??= {
    ...linkNarrators,
    ...arpNarrators,
    ...ipNarrators,
    ...tunnelNarrators,
    ...netfilterNarrators,
    ...tcpNarrators,
    ...kubeNarrators,
    ...controlNarrators,
    ...ipvsNarrators,
    ...dnsPathNarrators,
    ...ingressNarrators,
    ...dnsNarrators,
    ...httpNarrators,
    ...terminationNarrators,
    ...calicoNarrators,
    ...ciliumNarrators,
    ...faultNarrators,
  };
  const fn = all[fact.type] as (f: Fact) => Narration;
  return fn(fact);
}
