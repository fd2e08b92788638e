import type { Cluster, NodeInfo } from '@o2/cluster';

/**
 * How old a listing of queriers may decide ownership: a fresh one is several NATS round trips
 * on every query's path. A querier that left keeps its share until then (its call is
 * UNAVAILABLE, the leader reads the share); one that joined gets a share this much later.
 */
const QUERIER_LIST_MAX_AGE_MS = 1_000;

/**
 * The gRPC address → name of every live querier, each address once, this querier included even
 * before its registration is visible. Rendezvous ownership is decided over these addresses, so
 * the leader's split and a querier's prefetch agree on which querier owns a file.
 */
export async function querierAddresses(
  cluster: Cluster,
  self: Pick<NodeInfo, 'name' | 'grpcAddr'>,
  staleGraceMs = 0,
): Promise<Map<string, string>> {
  // A restarted querier on the same address is listed twice until its old registration lapses.
  // A querier whose heartbeat is merely late (a loaded box) keeps its share: if it is really
  // gone, the leader's call fails with UNAVAILABLE and the leader reads that share itself.
  const names = new Map<string, string>();
  for (const node of await cluster.nodes.list('querier', {
    staleGraceMs,
    maxAgeMs: QUERIER_LIST_MAX_AGE_MS,
  }))
    if (!names.has(node.grpcAddr)) names.set(node.grpcAddr, node.name);
  names.set(self.grpcAddr, self.name);
  return names;
}
