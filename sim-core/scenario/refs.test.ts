import { describe, expect, it } from 'vitest';
import { parsePodRef, parseTarget, podKey } from './refs.ts';

describe('pod references and targets', () => {
  it('reads "name" as namespace default and "ns/name" as written', () => {
    expect(parsePodRef('web')).toEqual({ ok: true, ref: { namespace: 'default', name: 'web' } });
    expect(parsePodRef('shop/web')).toEqual({ ok: true, ref: { namespace: 'shop', name: 'web' } });
    expect(podKey({ namespace: 'shop', name: 'web' })).toBe('shop/web');
  });

  it.each(['a/b/c', '/web', 'shop/', ''])('refuses %j', (s) => {
    expect(parsePodRef(s)).toMatchObject({ ok: false });
  });

  it('reads dotted quads as addresses and everything else as pods', () => {
    expect(parseTarget('10.244.1.2')).toEqual({ kind: 'ip', ip: '10.244.1.2' });
    expect(parseTarget('web')).toEqual({ kind: 'pod', ref: { namespace: 'default', name: 'web' } });
    expect(parseTarget('web.v2')).toEqual({
      kind: 'pod',
      ref: { namespace: 'default', name: 'web.v2' },
    });
    expect(parseTarget('10.244.1.256')).toEqual({
      kind: 'invalid',
      message: '10.244.1.256 is not a valid IPv4 address',
    });
  });
});
