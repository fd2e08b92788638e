import type { Cluster, ClusterNode, ListNodesOptions } from '@o2/cluster';
import type { NodeRole } from '@o2/config';
import { AppError } from '@o2/errors';
import { PeerClientPool } from '@o2/grpc';
import type { GrpcClient } from '@o2/grpc';
import type { Logger } from '@o2/logger';

export interface PeerClientsOptions {
  cluster: Cluster;
  token: string;
  logger: Logger;
  maxMessageBytes: number;
}

/**
 * gRPC clients to the live nodes of a role, one HTTP/2 channel per peer address, kept for the
 * router's life. Nodes come from the registry on every call (it caches), so a departed node
 * stops getting work as soon as its registration lapses.
 */
export class PeerClients {
  private readonly clients: PeerClientPool;
  private readonly turns = new Map<NodeRole, number>();

  constructor(private readonly options: PeerClientsOptions) {
    this.clients = new PeerClientPool(options);
  }

  /** Live nodes of `role`, starting with the next one in round-robin order. */
  async rotation(role: NodeRole, options?: ListNodesOptions): Promise<ClusterNode[]> {
    const nodes = await this.options.cluster.nodes.list(role, options);
    if (nodes.length === 0)
      throw new AppError('UNAVAILABLE', `no live ${role} in the cluster`, { retryAfterSeconds: 1 });
    const turn = this.turns.get(role) ?? 0;
    this.turns.set(role, turn + 1);
    const start = turn % nodes.length;
    return [...nodes.slice(start), ...nodes.slice(0, start)];
  }

  client(node: ClusterNode): GrpcClient {
    return this.clients.client(node.grpcAddr);
  }

  close(): void {
    this.clients.close();
  }
}
