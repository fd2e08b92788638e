import { describe, expect, it } from 'vitest';
import { rendezvousOwner } from './rendezvous-owner.js';

describe('rendezvousOwner', () => {
  const keys = Array.from({ length: 200 }, (_, i) => `2026/11/28/07/file-${i}.parquet`);

  it('picks the same owner whatever the order of the nodes', () => {
    for (const key of keys)
      expect(rendezvousOwner(key, ['a:1', 'b:2', 'c:3'])).toBe(
        rendezvousOwner(key, ['c:3', 'a:1', 'b:2']),
      );
  });

  it('spreads keys over every node and moves only the lost node’s keys', () => {
    const three = keys.map((k) => rendezvousOwner(k, ['a:1', 'b:2', 'c:3']));
    expect(new Set(three)).toEqual(new Set(['a:1', 'b:2', 'c:3']));
    const two = keys.map((k) => rendezvousOwner(k, ['a:1', 'b:2']));
    three.forEach((owner, i) => {
      if (owner !== 'c:3') expect(two[i]).toBe(owner);
    });
  });

  it('refuses an empty node list', () => {
    expect(() => rendezvousOwner('k', [])).toThrow();
  });
});
