import { describe, expect, it } from 'vitest';
import { BoundedMap } from './bounded-map.js';

describe('BoundedMap', () => {
  it('keeps at most capacity entries, dropping the oldest insertion first', () => {
    const map = new BoundedMap<string, number>(3);
    for (const [i, key] of ['a', 'b', 'c', 'd', 'e'].entries()) map.set(key, i);
    expect(map.size).toBe(3);
    expect([map.has('a'), map.has('b')]).toEqual([false, false]);
    expect([map.get('c'), map.get('d'), map.get('e')]).toEqual([2, 3, 4]);
  });

  it('updates a present key in place without evicting and frees room on delete', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1).set('b', 2).set('a', 10);
    expect([map.size, map.get('a'), map.get('b')]).toEqual([2, 10, 2]);
    // 'a' is still the oldest insertion, so it goes first.
    map.set('c', 3);
    expect([map.has('a'), map.get('b'), map.get('c')]).toEqual([false, 2, 3]);
    expect(map.delete('b')).toBe(true);
    map.set('d', 4);
    expect([map.size, map.get('c'), map.get('d')]).toEqual([2, 3, 4]);
  });

  it('refuses a capacity that could hold nothing', () => {
    for (const capacity of [0, -1, 1.5, Number.NaN])
      expect(() => new BoundedMap(capacity)).toThrow(RangeError);
  });
});
