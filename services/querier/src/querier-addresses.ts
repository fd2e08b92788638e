import type { Cluster, NodeInfo } from '@o2/cluster';

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
  for (const node of await cluster.nodes.list('querier', { staleGraceMs }))
    if (!names.has(node.grpcAddr)) names.set(node.grpcAddr, node.name);
  names.set(self.grpcAddr, self.name);
  return names;
}
