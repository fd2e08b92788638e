import { createHash } from 'node:crypto';
import type { ClusterNode } from '@o2/cluster';

function score(org: string, key: string, node: ClusterNode): string {
  return createHash('sha256').update(`${org}\u0000${key}\u0000${node.name}`).digest('hex');
}

/**
 * Live ingesters ordered by rendezvous hashing of (org, Idempotency-Key): every router puts the
 * same ingester first while it lives, so a client's retry reaches the ingester that remembers
 * the key; if that one leaves, the rest keep their order, so the next owner is also shared.
 * Keyed on the node name, which an ingester keeps across a restart (its WAL dir does too).
 */
export function keyOwnerOrder(
  nodes: readonly ClusterNode[],
  org: string,
  key: string,
): ClusterNode[] {
  return nodes
    .map((node) => ({ node, rank: score(org, key, node) }))
    .sort((a, b) => (a.rank < b.rank ? 1 : a.rank > b.rank ? -1 : 0))
    .map((r) => r.node);
}
