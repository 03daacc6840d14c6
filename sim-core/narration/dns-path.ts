/**
 * DNS on the path: a pod's resolver (glibc's getaddrinfo, as `getent ahosts`
 * or curl call it), dig, the CoreDNS pod sending its answer, and the
 * upstream resolver on the node network.
 */
import type { Fact } from './facts.ts';
import { narrate } from './narrate.ts';
import type { FactOf, Narrators } from './types.ts';
import { plural } from './types.ts';

/** An answer record as the DNS panel lists it. */
export interface DnsRecordFact {
  readonly name: string;
  readonly type: string;
  readonly ttl: number;
  readonly data: string;
}

export type DnsPathFact =
  | FactOf<
      'resolver.query',
      {
        who: string;
        /** getaddrinfo (glibc, two queries per name) or dig (one). */
        tool: 'getaddrinfo' | 'dig';
        /** The lookup this query belongs to (one per action), and which name of its search walk. */
        lookup: number;
        name: string;
        qname: string;
        qtype: string;
        id: number;
        socket: string;
        server: string;
        /** 1-based: the candidate's place in the search walk, and how many there are. */
        candidate: number;
        candidates: number;
        /** Why this name: a search-list suffix, or the name as written. */
        how: 'search' | 'as-is';
        ndots: number;
        /** 1-based try of this query (a retransmission after the timeout is 2). */
        attempt: number;
        /** The A query goes first; the AAAA query follows on the same socket without waiting. */
        parallel: boolean;
      }
    >
  | FactOf<
      'resolver.answer',
      {
        who: string;
        tool: 'getaddrinfo' | 'dig';
        lookup: number;
        qname: string;
        qtype: string;
        id: number;
        rcode: string;
        answers: readonly DnsRecordFact[];
        /** The SOA in the authority section, when the answer is NXDOMAIN or NODATA. */
        soa: boolean;
        from: string;
        /** What the resolver does next: wait for the other answer, try the next name, or stop. */
        next: 'wait' | 'next-name' | 'done' | 'fail';
        /** The next candidate, when next is next-name. */
        nextName?: string;
      }
    >
  | FactOf<
      'resolver.timeout',
      {
        who: string;
        lookup: number;
        qname: string;
        timeoutS: number;
        attempt: number;
        attempts: number;
        server: string;
      }
    >
  | FactOf<
      'resolver.done',
      {
        who: string;
        tool: 'getaddrinfo' | 'dig';
        lookup: number;
        name: string;
        /** The name that answered (getent's canonical name), or the last one tried. */
        qname: string;
        addresses: readonly string[];
        /** getaddrinfo's error (gai_strerror), or dig's when nothing answered. */
        error?: string;
        /** dig: the answer's status (NOERROR, NXDOMAIN …). */
        status?: string;
        queries: number;
        ms: string;
        /** What the program prints (getent ahosts, dig's status line). */
        output: string;
        /** What the action does with the address next (connect, ping, send). */
        then?: string;
      }
    >
  | FactOf<
      'coredns.reply',
      {
        pod: string;
        client: string;
        qname: string;
        qtype: string;
        rcode: string;
        answers: readonly DnsRecordFact[];
        /** The DNS server's own facts (which plugin answered, cache, loadbalance), when it gives them. */
        answer?: Fact;
        forwarded: boolean;
      }
    >
  | FactOf<
      'coredns.forward',
      {
        pod: string;
        qname: string;
        qtype: string;
        upstream: string;
        socket: string;
        answer?: Fact;
      }
    >
  | FactOf<
      'dns.upstream-answer',
      {
        host: string;
        qname: string;
        qtype: string;
        rcode: string;
        answers: readonly DnsRecordFact[];
        client: string;
      }
    >;

const records = (a: readonly DnsRecordFact[]) =>
  a.length ? a.map((r) => `${r.type} ${r.data} (TTL ${r.ttl})`).join(', ') : 'no records';

const nextWords: Record<'wait' | 'next-name' | 'done' | 'fail', string> = {
  wait: 'The resolver keeps waiting for the other answer on the same socket.',
  'next-name':
    'Neither query found an address, so the resolver tries the next name of its search list.',
  done: 'That settles the lookup.',
  fail: 'No name is left to try: the lookup fails.',
};

export const dnsPathNarrators: Narrators<DnsPathFact> = {
  'resolver.query': (f) => ({
    headline:
      f.tool === 'dig'
        ? `dig asks ${f.server} for ${f.qname} ${f.qtype}`
        : `${f.who} asks ${f.qtype} ${f.qname} (name ${f.candidate} of ${f.candidates})`,
    explanation:
      f.tool === 'dig'
        ? `dig sends one ${f.qtype} query for ${f.qname} (ID ${f.id}) from ${f.socket} to ${f.server}. dig does not use the search list unless told to (+search), so the name is asked exactly as written, made absolute.`
        : `${f.who} resolves ${f.name} with glibc's getaddrinfo: ${f.how === 'search' ? `the name has fewer than ndots:${f.ndots} dots, so the search list's suffixes come first` : `the name is asked as written${f.candidate === 1 ? ` (it has at least ndots:${f.ndots} dots)` : ', after every search suffix'}`}. This is name ${f.candidate} of ${f.candidates}: ${f.qname}. ${f.parallel ? `The AAAA query follows the A query at once from the same socket ${f.socket} (send_dg with two queries), so both are in flight together.` : `It goes from ${f.socket} to ${f.server}:53, ID ${f.id} from glibc's random generator.`}${f.attempt > 1 ? ` This is try ${f.attempt}: the first got no answer in time.` : ''}`,
  }),
  'resolver.answer': (f) => ({
    headline: `${f.rcode} for ${f.qname} ${f.qtype}${f.answers.length ? `: ${f.answers[0].data}` : ''}`,
    explanation: [
      `The answer to ID ${f.id} (${f.qtype} ${f.qname}) comes back from ${f.from}: ${f.rcode}, ${records(f.answers)}${f.soa ? ", with the zone's SOA in the authority section (how long a resolver may cache the negative answer)" : ''}.`,
      f.tool === 'dig' ? '' : nextWords[f.next],
      f.next === 'next-name' && f.nextName ? `Next: ${f.nextName}.` : '',
    ]
      .filter(Boolean)
      .join(' '),
  }),
  'resolver.timeout': (f) => ({
    headline: `No answer from ${f.server} in ${f.timeoutS} s`,
    explanation: `Nothing came back for ${f.qname} within timeout:${f.timeoutS}. ${f.attempt < f.attempts ? `glibc sends the same queries again (try ${f.attempt + 1} of attempts:${f.attempts}).` : `That was the last of attempts:${f.attempts}: the lookup fails with "Temporary failure in name resolution" (EAI_AGAIN), and the search list is not walked further.`}`,
  }),
  'resolver.done': (f) => ({
    headline: f.error ? `${f.name}: ${f.error}` : `${f.name} resolves to ${f.addresses.join(', ')}`,
    explanation: `${f.tool === 'dig' ? 'dig' : 'getaddrinfo'} finished for ${f.name} after ${plural(f.queries, 'query', 'queries')} in ${f.ms} ms${f.error ? `: ${f.error}` : f.addresses.length ? `: ${f.qname} has ${f.addresses.join(', ')}` : `: status ${f.status}, no address`}.${f.then ? ` ${f.then}` : ''}`,
  }),
  'coredns.reply': (f) => ({
    headline:
      f.answer?.type === 'dns.answer' && f.answer.plugin === 'cache'
        ? `CoreDNS answers ${f.qname} ${f.qtype} from cache (TTL ${f.answer.ttl})`
        : `CoreDNS answers ${f.qname} ${f.qtype}: ${f.rcode}`,
    explanation: `${f.answer ? `${narrate(f.answer).explanation} ` : ''}CoreDNS in ${f.pod} sends its answer (${f.rcode}, ${records(f.answers)}) from its socket on :53 to ${f.client}${f.forwarded ? ', relaying what the upstream resolver said' : ''}. The reply leaves with the pod's own address as source; conntrack on the client's node turns it back into 10.96.0.10, the address the client asked.`,
  }),
  'coredns.forward': (f) => ({
    headline: `CoreDNS forwards ${f.qname} to ${f.upstream}`,
    explanation: `${f.answer ? `${narrate(f.answer).explanation} ` : ''}${f.qname} is outside the cluster's zones, so CoreDNS's forward plugin sends the query on to ${f.upstream}, the nameserver of the node's /etc/resolv.conf (forward . /etc/resolv.conf; the pod has dnsPolicy Default), from its own socket ${f.socket}. Leaving the pod network, flannel's masquerade rule rewrites the source to the node's address.`,
  }),
  'dns.upstream-answer': (f) => ({
    headline: `${f.host} answers ${f.qname} ${f.qtype}: ${f.rcode}`,
    explanation: `The resolver on ${f.host} answers ${f.client}: ${f.rcode}, ${records(f.answers)}.`,
  }),
};
