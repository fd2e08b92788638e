import { describe, expect, it } from 'vitest';
import type { ClusterNode } from '@o2/cluster';
import { keyOwnerOrder } from './key-owner-order.js';

const node = (name: string): ClusterNode => ({
  id: `${name}-id`,
  name,
  roles: ['ingester'],
  httpAddr: `${name}:5080`,
  grpcAddr: `${name}:5081`,
  startedAt: 0,
  heartbeatAt: 0,
});

const names = (nodes: ClusterNode[]): string[] => nodes.map((n) => n.name);

describe('keyOwnerOrder', () => {
  const nodes = ['ing-a', 'ing-b', 'ing-c', 'ing-d'].map(node);

  it('puts the same owner first whatever order the live list comes in', () => {
    const order = names(keyOwnerOrder(nodes, 'default', 'key-1'));
    expect(names(keyOwnerOrder([...nodes].reverse(), 'default', 'key-1'))).toEqual(order);
    expect(new Set(order)).toEqual(new Set(names(nodes)));
  });

  it('keeps the others in order when the owner leaves', () => {
    const [owner, ...rest] = names(keyOwnerOrder(nodes, 'default', 'key-2'));
    const without = nodes.filter((n) => n.name !== owner);
    expect(names(keyOwnerOrder(without, 'default', 'key-2'))).toEqual(rest);
  });

  it('spreads keys over the ingesters and scopes them by org', () => {
    const owners = new Set<string>();
    for (let i = 0; i < 64; i++)
      owners.add(keyOwnerOrder(nodes, 'default', `k${i}`)[0]?.name ?? '');
    expect(owners.size).toBe(4);
    const differs = Array.from({ length: 64 }, (_, i) => i).some(
      (i) =>
        keyOwnerOrder(nodes, 'a', `k${i}`)[0]?.name !== keyOwnerOrder(nodes, 'b', `k${i}`)[0]?.name,
    );
    expect(differs).toBe(true);
  });
});
