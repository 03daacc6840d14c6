/**
 * base64 against Node's own codec (the reference), and Go's
 * base64.StdEncoding error offsets for the inputs a Secret's data gets wrong.
 */
import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64 } from './base64.ts';

describe('ING3 base64 as a Secret is decoded', () => {
  it('encodes and decodes every length 0..40 as Node does', () => {
    for (let n = 0; n <= 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n * 11) & 0xff);
      const ref = Buffer.from(bytes).toString('base64');
      expect(encodeBase64(bytes)).toBe(ref);
      const back = decodeBase64(ref);
      expect(back.ok && Buffer.from(back.bytes).equals(Buffer.from(bytes))).toBe(true);
    }
  });

  it('skips newlines, as PEM-wrapped base64 has them', () => {
    const r = decodeBase64('aGVs\nbG8=\n');
    expect(r.ok && new TextDecoder().decode(r.bytes)).toBe('hello');
  });

  it('reports the offset Go reports: a bad character, an unpadded tail, data after the pad', () => {
    expect(decodeBase64('ab$d')).toEqual({ ok: false, at: 2 });
    expect(decodeBase64('aGVsbG8')).toEqual({ ok: false, at: 4 });
    expect(decodeBase64('aGk=aGk=')).toEqual({ ok: false, at: 4 });
    expect(decodeBase64('a===')).toEqual({ ok: false, at: 1 });
  });
});
