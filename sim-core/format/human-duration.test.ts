/**
 * AGE as kubectl prints it: apimachinery duration_test.go (TestHumanDuration,
 * TestHumanDurationBoundaries) and printers_test.go TestTranslateTimestampSince,
 * the upstream cases restated in microseconds.
 */
import { describe, expect, it } from 'vitest';
import { humanDuration, translateTimestampSince } from './human-duration.ts';

const ms = 1_000;
const s = 1_000_000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;
const y = 365 * d;

describe('duration.HumanDuration', () => {
  it('TestHumanDuration', () => {
    const cases: [number, string][] = [
      [s, '1s'],
      [70 * s, '70s'],
      [190 * s, '3m10s'],
      [70 * m, '70m'],
      [47 * h, '47h'],
      [49 * h, '2d1h'],
      [(8 * 24 + 2) * h, '8d'],
      [367 * d, '367d'],
      [2 * y + 25 * h, '2y1d'],
      [8 * y + 2 * h, '8y'],
    ];
    for (const [us, want] of cases) expect(humanDuration(us), String(us)).toBe(want);
  });

  it('TestHumanDurationBoundaries', () => {
    const cases: [number, string][] = [
      [-2 * s, '<invalid>'],
      [-2 * s + 1, '0s'],
      [0, '0s'],
      [s - ms, '0s'],
      [2 * m - ms, '119s'],
      [2 * m, '2m'],
      [2 * m + s, '2m1s'],
      [10 * m - ms, '9m59s'],
      [10 * m, '10m'],
      [10 * m + s, '10m'],
      [3 * h - ms, '179m'],
      [3 * h, '3h'],
      [3 * h + m, '3h1m'],
      [8 * h - ms, '7h59m'],
      [8 * h, '8h'],
      [8 * h + 59 * m, '8h'],
      [2 * d - ms, '47h'],
      [2 * d, '2d'],
      [2 * d + h, '2d1h'],
      [8 * d - ms, '7d23h'],
      [8 * d, '8d'],
      [8 * d + 23 * h, '8d'],
      [2 * y - ms, '729d'],
      [2 * y, '2y'],
      [2 * y + 23 * h + 59 * m, '2y'],
      [2 * y + d - ms, '2y'],
      [2 * y + d, '2y1d'],
      [3 * y, '3y'],
      [7 * y, '7y'],
      [8 * y - ms, '7y364d'],
      [8 * y, '8y'],
      [8 * y + 364 * d, '8y'],
      [9 * y, '9y'],
    ];
    for (const [us, want] of cases) expect(humanDuration(us), String(us)).toBe(want);
  });
});

describe('translateTimestampSince (TestTranslateTimestampSince)', () => {
  const now = 10 * y;
  it('future, now, unknown, and the past', () => {
    expect(translateTimestampSince(now + 2.1 * s, now)).toBe('<invalid>');
    expect(translateTimestampSince(now + 1.9 * s, now)).toBe('0s');
    expect(translateTimestampSince(now, now)).toBe('0s');
    expect(translateTimestampSince(undefined, now)).toBe('<unknown>');
    expect(translateTimestampSince(now - 30 * s, now)).toBe('30s');
    expect(translateTimestampSince(now - 5 * m, now)).toBe('5m');
    expect(translateTimestampSince(now - 100 * m, now)).toBe('100m');
    expect(translateTimestampSince(now - 2 * d, now)).toBe('2d');
    expect(translateTimestampSince(now - 90 * d, now)).toBe('90d');
    expect(translateTimestampSince(now - 10 * y, now)).toBe('10y');
  });
});
