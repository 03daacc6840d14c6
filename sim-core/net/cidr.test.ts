import { describe, expect, it } from 'vitest';
import {
  broadcastAddress,
  cidrContains,
  cidrSize,
  cidrsOverlap,
  hostAddress,
  ipToNumber,
  looksLikeIPv4,
  networkAddress,
  nthSubnet,
  numberToIp,
  parseCidr,
  parseIPv4,
  prefixLength,
  subnetCount,
  subnetIndex,
} from './cidr.ts';

describe('parseIPv4', () => {
  it('accepts dotted quads', () => {
    expect(parseIPv4('10.244.1.2')).toBe('10.244.1.2');
    expect(parseIPv4('0.0.0.0')).toBe('0.0.0.0');
    expect(parseIPv4('255.255.255.255')).toBe('255.255.255.255');
  });
  it.each([
    '10.244.1.256',
    '10.244.1',
    '10.244.1.2.3',
    '010.1.1.1',
    ' 1.2.3.4',
    '1.2.3.4/32',
    'a.b.c.d',
    '',
  ])('refuses %j', (s) => expect(parseIPv4(s)).toBeUndefined());
  it('tells addresses from names by shape', () => {
    expect(looksLikeIPv4('10.0.0.300')).toBe(true);
    expect(looksLikeIPv4('web.default')).toBe(false);
  });
});

describe('parseCidr', () => {
  it('accepts network/prefix', () => {
    expect(parseCidr('10.244.0.0/16')).toEqual({ ok: true, cidr: '10.244.0.0/16', prefix: 16 });
    expect(parseCidr('0.0.0.0/0')).toEqual({ ok: true, cidr: '0.0.0.0/0', prefix: 0 });
    expect(parseCidr('10.1.2.3/32')).toEqual({ ok: true, cidr: '10.1.2.3/32', prefix: 32 });
  });
  it('refuses a prefix over 32', () => {
    expect(parseCidr('10.244.0.0/33')).toEqual({
      ok: false,
      message: '10.244.0.0/33 is not a CIDR range: the prefix length must be 0..32',
    });
  });
  it('refuses host bits and suggests the network', () => {
    expect(parseCidr('10.244.1.0/16')).toEqual({
      ok: false,
      message: '10.244.1.0/16 has host bits set; did you mean 10.244.0.0/16?',
    });
  });
  it('refuses a missing prefix or a bad address', () => {
    expect(parseCidr('10.244.0.0')).toMatchObject({
      ok: false,
      message: expect.stringContaining('address/prefix'),
    });
    expect(parseCidr('10.244.0/16')).toMatchObject({
      ok: false,
      message: expect.stringContaining('not an IPv4'),
    });
    expect(parseCidr('10.244.0.0/x')).toMatchObject({
      ok: false,
      message: expect.stringContaining('0..32'),
    });
    expect(parseCidr('10.244.0.0/016')).toMatchObject({ ok: false });
  });
});

describe('range arithmetic', () => {
  it('measures ranges', () => {
    expect(prefixLength('10.96.0.0/12')).toBe(12);
    expect(cidrSize('10.244.1.0/24')).toBe(256n);
    expect(networkAddress('192.168.1.0/24')).toBe('192.168.1.0');
    expect(broadcastAddress('192.168.1.0/24')).toBe('192.168.1.255');
  });
  it('tests containment of addresses and ranges', () => {
    expect(cidrContains('10.244.0.0/16', '10.244.3.7')).toBe(true);
    expect(cidrContains('10.244.0.0/16', '10.245.0.1')).toBe(false);
    expect(cidrContains('10.244.0.0/16', '10.244.3.0/24')).toBe(true);
    expect(cidrContains('10.244.0.0/16', '10.244.0.0/16')).toBe(true);
    expect(cidrContains('10.244.0.0/24', '10.244.0.0/16')).toBe(false);
  });
  it('returns the overlapping block', () => {
    expect(cidrsOverlap('10.0.0.0/8', '10.96.0.0/12')).toBe('10.96.0.0/12');
    expect(cidrsOverlap('10.96.0.0/12', '10.0.0.0/8')).toBe('10.96.0.0/12');
    expect(cidrsOverlap('10.244.0.0/16', '10.244.0.0/16')).toBe('10.244.0.0/16');
    expect(cidrsOverlap('10.244.0.0/16', '10.96.0.0/12')).toBeUndefined();
    expect(cidrsOverlap('192.168.1.0/24', '192.168.2.0/24')).toBeUndefined();
  });
  it('numbers subnets', () => {
    expect(subnetCount('10.244.0.0/16', 24)).toBe(256n);
    expect(subnetCount('10.244.0.0/16', 16)).toBe(1n);
    expect(subnetCount('10.244.0.0/16', 8)).toBe(0n);
    expect(nthSubnet('10.244.0.0/16', 24, 0)).toBe('10.244.0.0/24');
    expect(nthSubnet('10.244.0.0/16', 24, 1)).toBe('10.244.1.0/24');
    expect(nthSubnet('10.244.0.0/16', 24, 255)).toBe('10.244.255.0/24');
    expect(nthSubnet('10.0.0.0/8', 26, 5)).toBe('10.0.1.64/26');
    expect(subnetIndex('10.0.0.0/8', '10.0.1.64/26')).toBe(5n);
    expect(() => nthSubnet('10.244.0.0/16', 24, 256)).toThrow(RangeError);
  });
  it('numbers host addresses', () => {
    expect(hostAddress('10.244.1.0/24', 1)).toBe('10.244.1.1');
    expect(hostAddress('10.244.1.0/24', 255)).toBe('10.244.1.255');
    expect(() => hostAddress('10.244.1.0/24', 256)).toThrow(RangeError);
  });
  it('converts addresses to numbers and back', () => {
    expect(ipToNumber('10.244.0.1')).toBe(0x0af40001);
    expect(numberToIp(0x0af40001)).toBe('10.244.0.1');
    expect(numberToIp(ipToNumber('255.255.255.255'))).toBe('255.255.255.255');
  });
});
