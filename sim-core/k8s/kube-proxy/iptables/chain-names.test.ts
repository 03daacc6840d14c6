/**
 * Chain names, probabilities and the mark against kube-proxy's values.
 * Upstream has no dedicated name test; the names below are the ones its
 * tests expect (TestOverallIPTablesRules and TestParseIPTablesData for
 * ns1/svc1:p80 … ns5/svc5:p80), and the KUBE-SVC/KUBE-SEP names of the
 * reference node's ruleset (sim-core/test/fixtures/clusterip).
 */
import { describe, expect, it } from 'vitest';
import { base32StdEncode } from './base32.ts';
import { endpointChainName, portProtoHash, serviceChainNames } from './chain-names.ts';
import { masqueradeMark } from './mark.ts';
import { computeProbability, endpointProbability } from './probability.ts';

describe('servicePortChainName / portProtoHash', () => {
  it.each([
    ['ns1/svc1:p80', 'XPGD46QRK7WJZT7O'],
    ['ns2/svc2:p80', 'GNZBNJ2PO5MGZ6GT'],
    ['ns3/svc3:p80', 'X27LE4BHSL4DOUIK'],
    ['ns4/svc4:p80', '4SW47YFZTEDKD3PK'],
    ['ns5/svc5:p80', 'NUKIZ6OKUXPJNT4C'],
    ['default/web:http', 'CDGGSHYLG3RE2FKL'],
  ])('%s + "tcp" hashes to %s', (name, hash) => {
    expect(portProtoHash(name, 'tcp')).toBe(hash);
    expect(serviceChainNames(name, 'tcp')).toEqual({
      clusterPolicy: `KUBE-SVC-${hash}`,
      localPolicy: `KUBE-SVL-${hash}`,
      firewall: `KUBE-FW-${hash}`,
      external: `KUBE-EXT-${hash}`,
    });
  });
  it('the protocol is part of the hash (a UDP port of the same name differs)', () => {
    expect(portProtoHash('ns1/svc1:p80', 'udp')).not.toBe('XPGD46QRK7WJZT7O');
  });
});

describe('servicePortEndpointChainName', () => {
  it.each([
    ['ns1/svc1:p80', '10.180.0.1:80', 'KUBE-SEP-SXIVWICOYRO3J4NJ'],
    ['ns2/svc2:p80', '10.180.0.2:80', 'KUBE-SEP-RS4RBKLTHTF2IUXJ'],
    ['ns3/svc3:p80', '10.180.0.3:80', 'KUBE-SEP-OYPFS5VJICHGATKP'],
    ['ns4/svc4:p80', '10.180.0.4:80', 'KUBE-SEP-UKSFD7AGPMPPLUHC'],
    ['ns4/svc4:p80', '10.180.0.5:80', 'KUBE-SEP-C6EBXVWJJZMIWKLZ'],
    ['ns5/svc5:p80', '10.180.0.3:80', 'KUBE-SEP-I77PXRDZVX7PMWMN'],
    ['default/web:http', '10.244.0.2:8080', 'KUBE-SEP-QA4PSDNF5R2OJOPA'],
    ['default/web:http', '10.244.0.3:8080', 'KUBE-SEP-TCD3IFXQZW3ZEZQU'],
  ])('%s, %s → %s', (name, endpoint, chain) => {
    expect(endpointChainName(name, 'tcp', endpoint)).toBe(chain);
  });
});

describe('base32.StdEncoding', () => {
  // RFC 4648 section 10 test vectors.
  it.each([
    ['', ''],
    ['f', 'MY======'],
    ['fo', 'MZXQ===='],
    ['foo', 'MZXW6==='],
    ['foob', 'MZXW6YQ='],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI======'],
  ])('%j → %j', (input, out) => {
    expect(base32StdEncode(new TextEncoder().encode(input))).toBe(out);
  });
});

describe('probability (fmt.Sprintf("%0.10f", 1.0/float64(n)))', () => {
  it.each([
    [2, '0.5000000000'],
    [3, '0.3333333333'],
    [4, '0.2500000000'],
    [5, '0.2000000000'],
    [6, '0.1666666667'],
    [7, '0.1428571429'],
    [9, '0.1111111111'],
    [11, '0.0909090909'],
    [1000, '0.0010000000'],
    [1024, '0.0009765625'],
    // An exact tie at the 11th digit: Go rounds half to even.
    [2048, '0.0004882812'],
  ])('1/%i → %s', (n, s) => {
    expect(computeProbability(n)).toBe(s);
  });
  it('endpoint i of n gets 1/(n-i), the last none', () => {
    expect([0, 1, 2].map((i) => endpointProbability(i, 3))).toEqual([
      '0.3333333333',
      '0.5000000000',
      undefined,
    ]);
  });
});

describe('masquerade mark (fmt.Sprintf("%#08x", 1<<bit))', () => {
  it('pads the digits to eight, the 0x not counted', () => {
    expect(masqueradeMark(14)).toBe('0x00004000');
    expect(masqueradeMark(0)).toBe('0x00000001');
    expect(masqueradeMark(31)).toBe('0x80000000');
  });
});
