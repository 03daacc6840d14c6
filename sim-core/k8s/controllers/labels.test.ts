import { describe, expect, it } from 'vitest';
import {
  labelSelectorMatches,
  matchesSet,
  parseSelector,
  selectorMatches,
  serviceSelects,
} from './labels';

describe('label selectors', () => {
  // Upstream: TestSelectorMatches (apimachinery pkg/labels/selector_test.go).
  it.each([
    ['', { x: 'y' }, true],
    ['x=y', { x: 'y' }, true],
    ['x=y,z=w', { x: 'y', z: 'w' }, true],
    ['x!=y,z!=w', { x: 'z', z: 'a' }, true],
    ['notin=in', { notin: 'in' }, true],
    ['x', { x: 'z' }, true],
    ['!x', { y: 'z' }, true],
    ['x>1', { x: '2' }, true],
    ['x<1', { x: '0' }, true],
    ['x=z', {}, false],
    ['x=y', { x: 'z' }, false],
    ['x=y,z=w', { x: 'w', z: 'w' }, false],
    ['x!=y,z!=w', { x: 'z', z: 'w' }, false],
    ['x', { y: 'z' }, false],
    ['!x', { x: 'z' }, false],
    ['x>1', { x: '0' }, false],
    ['x<1', { x: '2' }, false],
    ['foo=bar,baz=blah', { foo: 'bar', baz: 'blah' }, true],
    ['foo=blah', { foo: 'bar', baz: 'blah' }, false],
    ['foo=bar,foobar=bar,baz=blah', { foo: 'bar', baz: 'blah' }, false],
  ])('%j against %j → %s', (sel, labels, want) => {
    expect(selectorMatches(sel, labels)).toBe(want);
  });

  it('set-based terms: in and notin', () => {
    expect(selectorMatches('env in (prod, qa)', { env: 'qa' })).toBe(true);
    expect(selectorMatches('env notin (prod,qa)', { env: 'qa' })).toBe(false);
    expect(selectorMatches('env notin (prod,qa)', {})).toBe(true);
    expect(parseSelector('a in (x,y),!b')).toEqual([
      { key: 'a', operator: 'In', values: ['x', 'y'] },
      { key: 'b', operator: 'DoesNotExist', values: [] },
    ]);
  });

  // Upstream: TestSetMatches — an empty set matches everything; every pair must match.
  it('a Service selector (a set): empty matches all, a missing selector matches nothing', () => {
    const labels = { foo: 'bar', baz: 'blah' };
    expect(matchesSet({}, labels)).toBe(true);
    expect(matchesSet({ foo: 'bar' }, labels)).toBe(true);
    expect(matchesSet({ foo: 'bar', baz: 'blah' }, labels)).toBe(true);
    expect(matchesSet({ foo: 'blah' }, labels)).toBe(false);
    expect(serviceSelects(undefined, labels)).toBe(false);
  });

  it('metav1.LabelSelector: matchLabels and matchExpressions ANDed', () => {
    const sel = {
      matchLabels: { app: 'web' },
      matchExpressions: [{ key: 'tier', operator: 'In' as const, values: ['front'] }],
    };
    expect(labelSelectorMatches(sel, { app: 'web', tier: 'front' })).toBe(true);
    expect(labelSelectorMatches(sel, { app: 'web', tier: 'back' })).toBe(false);
    expect(labelSelectorMatches({}, { any: 'thing' })).toBe(true);
    expect(labelSelectorMatches(undefined, { any: 'thing' })).toBe(false);
  });
});
