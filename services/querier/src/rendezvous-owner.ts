import { createHash } from 'node:crypto';

function score(node: string, key: string): bigint {
  return createHash('sha256').update(node).update('\0').update(key).digest().readBigUInt64BE(0);
}

/**
 * The node that owns `key` by rendezvous (highest random weight) hashing: every node scores
 * the key and the highest wins, so adding or losing a node moves only that node's keys and
 * every leader picks the same owner from the same node list, whatever its order.
 */
export function rendezvousOwner(key: string, nodes: readonly string[]): string {
  let best: string | undefined;
  let bestScore = -1n;
  for (const node of nodes) {
    const s = score(node, key);
    if (s > bestScore || (s === bestScore && best !== undefined && node < best)) {
      best = node;
      bestScore = s;
    }
  }
  if (best === undefined) throw new Error('rendezvousOwner needs at least one node');
  return best;
}
