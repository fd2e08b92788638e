import { describe, expect, it } from 'vitest';
import { Labels } from './labels.js';
import { CompiledMatcher } from './matcher.js';
import { xxhash64 } from './xxhash64.js';

describe('labels and matchers', () => {
  it('keeps labels sorted and drops empty values', () => {
    const l = Labels.from({ b: '2', a: '1', c: '' });
    expect(l.list.map((x) => x.name)).toEqual(['a', 'b']);
    expect(l.with('a', '').toRecord()).toEqual({ b: '2' });
  });

  it('anchors regexes and supports RE2 inline case-insensitivity', () => {
    expect(new CompiledMatcher({ name: 'x', type: '=~', value: 'ab' }).matches('abc')).toBe(false);
    const ci = new CompiledMatcher({ name: 'x', type: '=~', value: '.*(?i:duc).*' });
    expect(ci.matches('PRODUCTION')).toBe(true);
    expect(new CompiledMatcher({ name: 'x', type: '=~', value: 'a.b' }).matches('a\nb')).toBe(true);
  });

  it('computes XXH64 like the reference implementation', () => {
    expect(xxhash64(new Uint8Array(0)).toString(16)).toBe('ef46db3751d8e999');
    expect(xxhash64(new TextEncoder().encode('a')).toString(16)).toBe('d24ec4f1a98c6e5b');
  });
});
