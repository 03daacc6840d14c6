/**
 * ipset membership as `-m set` asks it, stated from the ipset(8) man page's
 * examples and the kernel's rules: a port given without a protocol is tcp
 * ("ipset add foo 192.168.1.1,80" then "ipset test foo 192.168.1.1,tcp:80"
 * is in the set); fewer src/dst flags than the type's dimensions never match
 * (ip_set_test: opt->dim < set->type->dimension); hash:ip,port,net matches
 * the third dimension by its CIDR.
 */
import { describe, expect, it } from 'vitest';
import { ipsetTest } from './ipset-test.ts';
import type { IpsetState } from './state.ts';

const sets: IpsetState = {
  'KUBE-CLUSTER-IP': {
    name: 'KUBE-CLUSTER-IP',
    type: 'hash:ip,port',
    members: ['10.96.0.10,udp:53', '10.96.0.1,tcp:443', '192.168.1.1,80'],
  },
  'KUBE-LOOP-BACK': {
    name: 'KUBE-LOOP-BACK',
    type: 'hash:ip,port,ip',
    members: ['10.244.0.2,tcp:8080,10.244.0.2'],
  },
  'KUBE-NODE-PORT-TCP': { name: 'KUBE-NODE-PORT-TCP', type: 'bitmap:port', members: ['30080'] },
  'KUBE-LOAD-BALANCER-SOURCE-CIDR': {
    name: 'KUBE-LOAD-BALANCER-SOURCE-CIDR',
    type: 'hash:ip,port,net',
    members: ['203.0.113.7,tcp:80,198.51.100.0/24'],
  },
  'KUBE-IPVS-IPS': { name: 'KUBE-IPVS-IPS', type: 'hash:ip', members: ['10.96.0.10'] },
};
const pkt = (src: string, sport: number, dst: string, dport: number, protocol = 6) => ({
  src,
  sport,
  dst,
  dport,
  protocol,
});

describe('ipsetTest', () => {
  it('hash:ip,port dst,dst: address and protocol:port of the destination', () => {
    expect(
      ipsetTest(sets, 'KUBE-CLUSTER-IP', pkt('10.244.0.4', 40000, '10.96.0.10', 53, 17), [
        'dst',
        'dst',
      ]),
    ).toBe(true);
    // A TCP packet to a udp entry is not in the set.
    expect(
      ipsetTest(sets, 'KUBE-CLUSTER-IP', pkt('10.244.0.4', 40000, '10.96.0.10', 53, 6), [
        'dst',
        'dst',
      ]),
    ).toBe(false);
    // src,dst: the source address with the destination port.
    expect(
      ipsetTest(sets, 'KUBE-CLUSTER-IP', pkt('10.96.0.1', 1, '10.0.0.9', 443), ['src', 'dst']),
    ).toBe(true);
    // The man page's "192.168.1.1,80" is tcp:80.
    expect(
      ipsetTest(sets, 'KUBE-CLUSTER-IP', pkt('1.1.1.1', 5, '192.168.1.1', 80), ['dst', 'dst']),
    ).toBe(true);
    // Too few flags for two dimensions: never a match.
    expect(ipsetTest(sets, 'KUBE-CLUSTER-IP', pkt('1.1.1.1', 5, '10.96.0.1', 443), ['dst'])).toBe(
      false,
    );
    // ICMP has no port.
    expect(
      ipsetTest(sets, 'KUBE-CLUSTER-IP', { src: '1.1.1.1', dst: '10.96.0.1', protocol: 1 }, [
        'dst',
        'dst',
      ]),
    ).toBe(false);
  });

  it('hash:ip,port,ip dst,dst,src: kube-proxy’s hairpin set', () => {
    expect(
      ipsetTest(sets, 'KUBE-LOOP-BACK', pkt('10.244.0.2', 33000, '10.244.0.2', 8080), [
        'dst',
        'dst',
        'src',
      ]),
    ).toBe(true);
    expect(
      ipsetTest(sets, 'KUBE-LOOP-BACK', pkt('10.244.0.4', 33000, '10.244.0.2', 8080), [
        'dst',
        'dst',
        'src',
      ]),
    ).toBe(false);
  });

  it('bitmap:port, hash:ip,port,net and hash:ip', () => {
    expect(
      ipsetTest(sets, 'KUBE-NODE-PORT-TCP', pkt('1.1.1.1', 5, '192.168.1.10', 30080), ['dst']),
    ).toBe(true);
    expect(
      ipsetTest(sets, 'KUBE-NODE-PORT-TCP', pkt('1.1.1.1', 30080, '192.168.1.10', 80), ['dst']),
    ).toBe(false);
    expect(
      ipsetTest(
        sets,
        'KUBE-LOAD-BALANCER-SOURCE-CIDR',
        pkt('198.51.100.77', 5, '203.0.113.7', 80),
        ['dst', 'dst', 'src'],
      ),
    ).toBe(true);
    expect(
      ipsetTest(
        sets,
        'KUBE-LOAD-BALANCER-SOURCE-CIDR',
        pkt('198.51.101.77', 5, '203.0.113.7', 80),
        ['dst', 'dst', 'src'],
      ),
    ).toBe(false);
    expect(ipsetTest(sets, 'KUBE-IPVS-IPS', pkt('1.1.1.1', 5, '10.96.0.10', 1), ['dst'])).toBe(
      true,
    );
    expect(
      ipsetTest(sets, 'NO-SUCH-SET', pkt('1.1.1.1', 5, '10.96.0.10', 1), ['dst']),
    ).toBeUndefined();
  });
});
