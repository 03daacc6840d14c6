/**
 * Every fact a step can carry. A step's facts say what happened in the
 * real system's terms (which bridge, which MAC, which rule, which state),
 * as plain data; the narrators turn them into words. Tests assert facts.
 */
import type { ArpFact } from './arp.ts';
import type { CalicoFact } from './calico.ts';
import type { CiliumFact } from './cilium.ts';
import type { ControlFact } from './control.ts';
import type { DnsPathFact } from './dns-path.ts';
import type { IngressFact } from './ingress.ts';
import type { DnsFact } from './dns.ts';
import type { FaultFact } from './faults.ts';
import type { HttpFact } from './http.ts';
import type { IpFact } from './ip.ts';
import type { IpvsFact } from './ipvs.ts';
import type { KubeFact } from './kube.ts';
import type { LinkFact } from './link.ts';
import type { NetfilterFact } from './netfilter.ts';
import type { TcpFact } from './tcp.ts';
import type { TerminationFact } from './termination.ts';
import type { TunnelFact } from './tunnel.ts';

export type Fact =
  | LinkFact
  | ArpFact
  | IpFact
  | TunnelFact
  | NetfilterFact
  | TcpFact
  | KubeFact
  | ControlFact
  | IpvsFact
  | IngressFact
  | DnsFact
  | HttpFact
  | TerminationFact
  | DnsPathFact
  | CalicoFact
  | CiliumFact
  | FaultFact;
export type FactType = Fact['type'];
/** The fact of one type, with its fields. */
export type FactOfType<T extends FactType> = Extract<Fact, { readonly type: T }>;
