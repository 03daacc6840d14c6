/**
 * ipvsadm's listings against documented real output: the `ipvsadm -ln` in
 * kubernetes' pkg/proxy/ipvs/README.md ("Check IPVS proxy rules"), and the
 * column layout of ipvsadm.c (print_title, print_service_entry, list_conn).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ipvsadmConnections, ipvsadmList, ipvsadmStats, largeNum } from './ipvsadm.ts';
import { newRealServer, ZERO_STATS, type VirtualServer } from './virtual-server.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../../test/fixtures/kube-proxy-ipvs/${name}`, import.meta.url), 'utf8');

const vs = (
  protocol: VirtualServer['protocol'],
  address: string,
  port: number,
  dests: VirtualServer['realServers'],
  persistentTimeout?: number,
): VirtualServer => ({
  protocol,
  address,
  port,
  scheduler: 'rr',
  ...(persistentTimeout ? { persistentTimeout } : {}),
  realServers: dests,
  stats: ZERO_STATS,
  servicePort: '',
});

describe('ipvsadm -Ln', () => {
  it('prints the README example: kubernetes (persistent 10800) and kube-dns TCP/UDP', () => {
    // Given out of order: ipvsadm sorts by protocol, address, port.
    const table = [
      vs('UDP', '10.0.0.10', 53, [newRealServer('172.17.0.2', 53)]),
      vs('TCP', '10.0.0.10', 53, [newRealServer('172.17.0.2', 53)]),
      vs(
        'TCP',
        '10.0.0.1',
        443,
        [{ ...newRealServer('192.168.0.1', 6443), activeConns: 1 }],
        10800,
      ),
    ];
    // The README's copy lost the trailing blanks of InActConn's "%-10u".
    const trimmed = ipvsadmList(table).replace(/ +$/gm, '');
    expect(trimmed).toBe(fixture('ipvsadm-ln-readme.txt'));
    expect(ipvsadmList(table).split('\n')[4]).toBe(
      '  -> 192.168.0.1:6443             Masq    1      1          0         ',
    );
  });

  it('sorts destinations by address then port, comparing as a C int', () => {
    // ipvs_cmp_dests: r = ntohl(a) - ntohl(b) in an int; 10.x minus 192.x is
    // -0xb6000000, which wraps positive, so 192.168.0.1 sorts before 10.0.0.1.
    const out = ipvsadmList([
      vs('TCP', '10.96.0.1', 80, [
        newRealServer('10.244.1.3', 80),
        newRealServer('10.244.0.9', 81),
        newRealServer('10.244.0.9', 80),
        newRealServer('192.168.0.1', 80),
      ]),
    ]);
    expect(
      out
        .split('\n')
        .slice(4, 8)
        .map((l) => l.trim().split(/\s+/)[1]),
    ).toEqual(['192.168.0.1:80', '10.244.0.9:80', '10.244.0.9:81', '10.244.1.3:80']);
  });
});

describe('ipvsadm -Ln --stats', () => {
  it('uses the %-33s service column and 9-wide numbers (print_title FMT_STATS, print_largenum)', () => {
    const out = ipvsadmStats([
      {
        ...vs('TCP', '10.0.0.10', 53, [
          {
            ...newRealServer('172.17.0.2', 53),
            stats: { conns: 3, inPkts: 18, outPkts: 12, inBytes: 1104, outBytes: 960 },
          },
        ]),
        stats: { conns: 3, inPkts: 18, outPkts: 12, inBytes: 1104, outBytes: 960 },
      },
    ]);
    expect(out).toBe(
      [
        'IP Virtual Server version 1.2.1 (size=4096)',
        'Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes',
        '  -> RemoteAddress:Port',
        'TCP  10.0.0.10:53                        3       18       12     1104      960',
        '  -> 172.17.0.2:53                       3       18       12     1104      960',
        '',
      ].join('\n'),
    );
  });

  it('abbreviates from 100 million up: K, M, G, T', () => {
    expect(largeNum(99_999_999)).toBe(' 99999999');
    expect(largeNum(123_456_789)).toBe('  123456K');
    expect(largeNum(12_345_678_901)).toBe('   12345M');
  });
});

describe('ipvsadm -Lnc', () => {
  it('prints list_conn header and print_conn lines (%-3s %-6s %-11s %-18s %-18s %s)', () => {
    const out = ipvsadmConnections([
      {
        protocol: 'TCP',
        expires: 14 * 60 + 58,
        state: 'ESTABLISHED',
        client: { ip: '10.244.1.5', port: 41234 },
        virtual: { ip: '10.96.0.10', port: 53 },
        destination: { ip: '10.244.0.3', port: 53 },
      },
      {
        protocol: 'UDP',
        expires: 4 * 60 + 59,
        state: 'UDP',
        client: { ip: '10.244.1.5', port: 50000 },
        virtual: { ip: '10.96.0.10', port: 53 },
        destination: { ip: '10.244.0.3', port: 53 },
      },
    ]);
    expect(out).toBe(
      [
        'IPVS connection entries',
        'pro expire state       source             virtual            destination',
        'TCP 14:58  ESTABLISHED 10.244.1.5:41234   10.96.0.10:53      10.244.0.3:53',
        'UDP 04:59  UDP         10.244.1.5:50000   10.96.0.10:53      10.244.0.3:53',
        '',
      ].join('\n'),
    );
  });
});
